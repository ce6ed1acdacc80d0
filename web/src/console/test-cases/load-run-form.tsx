import { type FormEvent, useId, useState } from 'react';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { type LoadRun, startLoadRun } from '../api/load-runs.ts';
import type { CaseEnvironment } from '../api/test-cases.ts';
import { Field } from '../ui/field.tsx';
import {
  checkLoadProfile,
  LOAD_LIMITS,
  LOAD_PROFILE_FIELDS,
  type LoadProblems,
  type LoadProfileField,
  NEW_LOAD_PROFILE_FORM,
  plannedOf,
  type StartFailure,
  startFailureOf,
} from './load-profile-input.ts';

const LABELS: Record<LoadProfileField, string> = {
  ratePerSecond: 'Requests per second',
  durationSeconds: 'Duration (seconds)',
  concurrency: 'Requests in flight at most',
};

const HINTS: Record<LoadProfileField, string> = {
  ratePerSecond: `1 to ${LOAD_LIMITS.ratePerSecond} a second.`,
  durationSeconds: `1 to ${LOAD_LIMITS.durationSeconds} seconds.`,
  concurrency: `1 to ${LOAD_LIMITS.concurrency} at once.`,
};

interface Props {
  apiName: string;
  caseId: string;
  /** The case's environment, once read: production load goes to the API's real upstreams. */
  environment: CaseEnvironment | undefined;
  onStarted: (run: LoadRun) => void;
}

/** An operator's load run of the case: how many requests a second, for how long, how many in flight. */
export function LoadRunForm({ apiName, caseId, environment, onStarted }: Props) {
  const id = useId();
  const [form, setForm] = useState(NEW_LOAD_PROFILE_FORM);
  const [failure, setFailure] = useState<StartFailure>();
  const [starting, setStarting] = useState(false);
  const problems: LoadProblems = failure?.kind === 'invalid' ? failure.problems : {};
  const inputId = (field: LoadProfileField) => `${id}-${field}`;
  const planned = plannedOf(form);

  const refuse = (refusal: StartFailure) => {
    setFailure(refusal);
    if (refusal.kind !== 'invalid') return;
    const first = LOAD_PROFILE_FIELDS.find((field) => refusal.problems[field]);
    if (first) document.getElementById(inputId(first))?.focus();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const check = checkLoadProfile(form);
    if (!check.ok) {
      refuse({ kind: 'invalid', problems: check.problems });
      return;
    }
    setFailure(undefined);
    setStarting(true);
    try {
      onStarted(await startLoadRun(apiName, caseId, check.profile));
    } catch (error) {
      refuse(startFailureOf(error));
    } finally {
      setStarting(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="h-card">
        Start a load run
      </h3>
      {environment === 'production' ? (
        <p className="note">
          This case calls <strong>production</strong>: a load run sends its requests to the API’s real
          upstreams.
        </p>
      ) : null}
      {failure?.kind === 'busy' ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">The load run was not started.</p>
          <p>
            A load run of {apiName} is already queued or running, and an API has one at a time. Start this one
            when it has finished.
          </p>
        </div>
      ) : null}
      {failure?.kind === 'other' ? (
        <ProblemMessage error={failure.error} context="The load run was not started." />
      ) : null}
      <div className="field-pair">
        {LOAD_PROFILE_FIELDS.map((field) => (
          <Field
            key={field}
            id={inputId(field)}
            label={LABELS[field]}
            hint={HINTS[field]}
            errors={problems[field] ? [problems[field]] : undefined}
          >
            {(wiring) => (
              <input
                {...wiring}
                type="number"
                inputMode="numeric"
                min={1}
                max={LOAD_LIMITS[field]}
                step={1}
                value={form[field]}
                onChange={(e) => setForm({ ...form, [field]: e.target.value })}
              />
            )}
          </Field>
        ))}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={starting}>
          {starting ? 'Starting…' : 'Start load run'}
        </button>
        {planned !== undefined ? (
          <span className="muted">{planned === 1 ? '1 request' : `${planned} requests`} in all.</span>
        ) : null}
      </div>
    </form>
  );
}
