import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { CatalogEntry } from '../../api/portal.ts';
import { type AccessRequest, type AppSummary, requestAccess } from '../api/my-apps.ts';
import { fieldMessage, formErrorsOf } from '../ui/field-errors.ts';
import { focusFirstInvalid } from '../ui/focus.ts';
import { FormField } from '../ui/form-field.tsx';
import { FormProblem } from '../ui/form-problem.tsx';
import { useAction } from '../ui/use-action.ts';
import { askedForHint, newAccessRequest } from './access-requests.ts';
import { PlanFields } from './plan-fields.tsx';
import {
  EMPTY_PLAN_INPUT,
  type PlanErrors,
  type PlanInput,
  parsePlanInput,
  planErrorsOf,
} from './rate-limit-plan-input.ts';

interface Props {
  /** The apps it may be for: a select when there are several. */
  apps: AppSummary[];
  catalog: CatalogEntry[];
  initialApi?: string | undefined;
  onSent: (request: AccessRequest) => void;
  /** Shows a button that closes the form. */
  onClose?: () => void;
}

const FIELDS = ['appId', 'apiName', 'note'] as const;
type Field = (typeof FIELDS)[number];

/** Whether any limit of the plan is filled in. */
const asksForPlan = (plan: PlanInput) => plan.app.limit.trim() !== '' || plan.appApi.limit.trim() !== '';

/**
 * Asks an operator to let an app call an API: the scopes are granted, and the rate-limit plan asked for
 * set on the app, when they approve.
 */
export function AccessRequestForm({ apps, catalog, initialApi, onSent, onClose }: Props) {
  const form = useRef<HTMLFormElement>(null);
  const [appId, setAppId] = useState(apps.length === 1 ? apps[0]!.appId : '');
  const [apiName, setApiName] = useState(
    initialApi && catalog.some((api) => api.name === initialApi) ? initialApi : '',
  );
  const [note, setNote] = useState('');
  const [plan, setPlan] = useState<PlanInput>(EMPTY_PLAN_INPUT);
  const [checked, setChecked] = useState<Partial<Record<Field, string>>>({});
  const [planChecked, setPlanChecked] = useState<PlanErrors>({});
  const [sent, setSent] = useState<AccessRequest>();
  const send = useAction(requestAccess);
  const server = formErrorsOf(send.error, FIELDS);
  const serverPlan = planErrorsOf(server.others);
  const planErrors: PlanErrors = { ...planChecked, ...serverPlan.rows };
  const errors: Partial<Record<Field, string>> = {
    ...checked,
    ...(server.fields.appId ? { appId: fieldMessage('The app', server.fields.appId) } : {}),
    ...(server.fields.apiName ? { apiName: fieldMessage('The API', server.fields.apiName) } : {}),
    ...(server.fields.note ? { note: fieldMessage('The note', server.fields.note) } : {}),
  };
  const api = catalog.find((entry) => entry.name === apiName);
  const app = apps.find((entry) => entry.appId === appId);
  const unknownApi =
    initialApi && !catalog.some((entry) => entry.name === initialApi) ? initialApi : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!appId) found.appId = 'Choose the app that will call the API.';
    if (!apiName) found.apiName = 'Choose an API.';
    if (note.length > 1000) found.note = 'The note may have at most 1,000 characters.';
    const asked = parsePlanInput(plan);
    setChecked(found);
    setPlanChecked(asked.ok ? {} : asked.errors);
    setSent(undefined);
    send.reset();
    if (Object.keys(found).length > 0 || !asked.ok) return focusFirstInvalid(form.current);
    const request = await send.run(appId, newAccessRequest(apiName, asked.plan, note));
    if (!request) return focusFirstInvalid(form.current);
    setSent(request);
    setNote('');
    setPlan(EMPTY_PLAN_INPUT);
    onSent(request);
  };

  return (
    <form ref={form} className="dev-form" onSubmit={submit} noValidate>
      {unknownApi ? (
        <p className="note">
          No API named <code>{unknownApi}</code> is published. Choose one of the{' '}
          <Link href="~/docs">listed APIs</Link>.
        </p>
      ) : null}
      {apps.length > 1 ? (
        <FormField label="App" required error={errors.appId} hint="The app that will call the API.">
          {(control) => (
            <select {...control} value={appId} onChange={(event) => setAppId(event.target.value)}>
              <option value="">Choose an app…</option>
              {apps.map((entry) => (
                <option key={entry.appId} value={entry.appId}>
                  {entry.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
      ) : (
        <p>
          For the app <strong>{apps[0]?.name}</strong>.
        </p>
      )}
      <FormField label="API" required error={errors.apiName} hint={askedForHint(api, app, asksForPlan(plan))}>
        {(control) => (
          <select {...control} value={apiName} onChange={(event) => setApiName(event.target.value)}>
            <option value="">Choose an API…</option>
            {catalog.map((entry) => (
              <option key={entry.name} value={entry.name}>
                {entry.name} (v{entry.version}
                {entry.status === 'deprecated' ? ', deprecated' : ''})
              </option>
            ))}
          </select>
        )}
      </FormField>
      <PlanFields value={plan} errors={planErrors} onChange={setPlan} />
      <FormField
        label="Note for the operator"
        error={errors.note}
        hint="What your app does with the API helps them decide. At most 1,000 characters."
      >
        {(control) => (
          <textarea {...control} rows={3} value={note} onChange={(event) => setNote(event.target.value)} />
        )}
      </FormField>
      <FormProblem error={send.error} context="The request could not be sent." others={serverPlan.others} />
      <p className={sent ? 'dev-success' : 'visually-hidden'} role="status">
        {sent
          ? `Request sent for ${sent.apiName}. An operator will review it; its status shows in your access requests.`
          : ''}
      </p>
      <div className="dev-actions">
        <button type="submit" className="button button-primary" disabled={send.busy}>
          {send.busy ? 'Sending…' : 'Send request'}
        </button>
        {onClose ? (
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        ) : null}
      </div>
    </form>
  );
}
