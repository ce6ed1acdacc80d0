import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { CatalogEntry } from '../../api/portal.ts';
import { type AccessRequest, type AppSummary, requestAccess } from '../api/my-apps.ts';
import { fieldMessage, formErrorsOf } from '../ui/field-errors.ts';
import { focusFirstInvalid } from '../ui/focus.ts';
import { FormField } from '../ui/form-field.tsx';
import { FormProblem } from '../ui/form-problem.tsx';
import { useAction } from '../ui/use-action.ts';

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

/** The scopes the API asks for that the app does not hold yet, as the catalog tells. */
const missingScopes = (api: CatalogEntry | undefined, app: AppSummary | undefined) =>
  api && app ? api.requiredScopes.filter((scope) => !app.scopes.includes(scope)) : [];

/** Asks an operator to let an app call an API: the scopes are granted when they approve. */
export function AccessRequestForm({ apps, catalog, initialApi, onSent, onClose }: Props) {
  const form = useRef<HTMLFormElement>(null);
  const [appId, setAppId] = useState(apps.length === 1 ? apps[0]!.appId : '');
  const [apiName, setApiName] = useState(
    initialApi && catalog.some((api) => api.name === initialApi) ? initialApi : '',
  );
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState<Partial<Record<Field, string>>>({});
  const [sent, setSent] = useState<AccessRequest>();
  const send = useAction(requestAccess);
  const server = formErrorsOf(send.error, FIELDS);
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
  const missing = missingScopes(api, app);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!appId) found.appId = 'Choose the app that will call the API.';
    if (!apiName) found.apiName = 'Choose an API.';
    if (note.length > 1000) found.note = 'The note may have at most 1,000 characters.';
    setChecked(found);
    setSent(undefined);
    send.reset();
    if (Object.keys(found).length > 0) return focusFirstInvalid(form.current);
    const request = await send.run(appId, { apiName, ...(note.trim() ? { note: note.trim() } : {}) });
    if (!request) return focusFirstInvalid(form.current);
    setSent(request);
    setNote('');
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
      <FormField
        label="API"
        required
        error={errors.apiName}
        hint={
          api
            ? api.requiredScopes.length === 0
              ? `${api.name} names no scope of its own: the request asks for the scopes of its operations.`
              : missing.length === 0 && app
                ? `${app.name} already holds ${api.requiredScopes.join(', ')}.`
                : `Asks for ${(missing.length > 0 ? missing : api.requiredScopes).join(', ')}.`
            : 'The API your app needs to call.'
        }
      >
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
      <FormField
        label="Note for the operator"
        error={errors.note}
        hint="What your app does with the API helps them decide. At most 1,000 characters."
      >
        {(control) => (
          <textarea {...control} rows={3} value={note} onChange={(event) => setNote(event.target.value)} />
        )}
      </FormField>
      <FormProblem error={send.error} context="The request could not be sent." others={server.others} />
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
