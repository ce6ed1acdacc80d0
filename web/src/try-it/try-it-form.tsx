import { type FormEvent, useId, useState } from 'react';
import { Link } from 'wouter';
import type { OpenApiDocument } from '../docs/openapi.ts';
import type { Operation } from '../docs/operations.ts';
import { acceptsBearerToken } from '../docs/security.ts';
import { Loading } from '../ui/loading.tsx';
import { ProblemMessage } from '../ui/problem-message.tsx';
import { CallResultView } from './call-result-view.tsx';
import { sandboxBaseUrl } from './sandbox-base-url.ts';
import { sandboxTokens } from './sandbox-session.ts';
import { type CallResult, sendCall } from './send-call.ts';
import {
  initialValues,
  prepareCall,
  TRIED_LOCATIONS,
  type TriedLocation,
  type TryItValues,
} from './try-it-call.ts';
import { useTryItApps } from './try-it-context.tsx';

const LEGENDS: Record<TriedLocation, string> = {
  path: 'Path parameters',
  query: 'Query parameters',
  header: 'Headers',
};

type Outcome =
  | { kind: 'result'; result: CallResult }
  | { kind: 'failed'; error: unknown }
  | { kind: 'invalid'; problems: string[] };

/** The try-it form of one operation, for a signed-in developer. */
export function TryItForm({ document, operation }: { document: OpenApiDocument; operation: Operation }) {
  const { apps, selectedAppId, selectApp } = useTryItApps();
  const [values, setValues] = useState<TryItValues>(() => initialValues(document, operation));
  const [outcome, setOutcome] = useState<Outcome>();
  const [sending, setSending] = useState(false);
  const id = useId();

  if (apps.status === 'idle' || apps.status === 'loading') return <Loading label="Loading your apps…" />;
  if (apps.status === 'error')
    return <ProblemMessage error={apps.error} context="Your apps could not be loaded." />;
  if (apps.data.length === 0 || !selectedAppId) {
    return (
      <p>
        Try-it calls use one of your apps’ sandbox credentials, and you have no apps yet.{' '}
        <Link href="/apps">Create an app</Link> first.
      </p>
    );
  }

  const setParameter = (location: TriedLocation, name: string, value: string) =>
    setValues((previous) => ({
      ...previous,
      parameters: { ...previous.parameters, [location]: { ...previous.parameters[location], [name]: value } },
    }));

  const send = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const baseUrl = sandboxBaseUrl(document.servers?.[0]?.url, window.location.origin);
    const prepared = prepareCall(baseUrl, operation, values);
    if (!prepared.ok) {
      setOutcome({ kind: 'invalid', problems: prepared.problems });
      return;
    }
    setSending(true);
    try {
      const token = await sandboxTokens.tokenFor(selectedAppId);
      const result = await sendCall(prepared.call, token);
      // A refused token is not used again: the next call gets a fresh one.
      if (result.status === 401) sandboxTokens.forget(selectedAppId);
      setOutcome({ kind: 'result', result });
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    } finally {
      setSending(false);
    }
  };

  const fieldsAt = (location: TriedLocation) =>
    operation.parameters.filter((parameter) => parameter.in === location);
  const status =
    outcome?.kind === 'result'
      ? `Answered ${outcome.result.status} in ${outcome.result.durationMs} ms.`
      : outcome?.kind === 'failed'
        ? 'The call failed.'
        : outcome?.kind === 'invalid'
          ? 'The call was not sent.'
          : '';

  return (
    <>
      <form className="try-it-form" onSubmit={send}>
        <div className="field">
          <label htmlFor={`${id}-app`}>App</label>
          <select id={`${id}-app`} value={selectedAppId} onChange={(event) => selectApp(event.target.value)}>
            {apps.data.map((app) => (
              <option key={app.appId} value={app.appId}>
                {app.name} ({app.appId})
              </option>
            ))}
          </select>
        </div>
        {acceptsBearerToken(document, operation.security) ? null : (
          <p className="note">
            This operation takes signed requests only: the gateway is likely to refuse a sandbox token.
          </p>
        )}
        {TRIED_LOCATIONS.map((location) => {
          const fields = fieldsAt(location);
          if (fields.length === 0) return null;
          return (
            <fieldset key={location}>
              <legend>{LEGENDS[location]}</legend>
              {fields.map((parameter) => {
                const inputId = `${id}-${location}-${parameter.name}`;
                const required = parameter.required || location === 'path';
                return (
                  <div className="field" key={parameter.name}>
                    <label htmlFor={inputId}>
                      <code>{parameter.name}</code>
                      {required ? <span className="required">required</span> : null}
                    </label>
                    <input
                      id={inputId}
                      type="text"
                      autoComplete="off"
                      spellCheck={false}
                      required={required}
                      value={values.parameters[location][parameter.name] ?? ''}
                      onChange={(event) => setParameter(location, parameter.name, event.target.value)}
                    />
                  </div>
                );
              })}
            </fieldset>
          );
        })}
        {operation.requestBody ? (
          <div className="field">
            <label htmlFor={`${id}-body`}>Request body (JSON)</label>
            <textarea
              id={`${id}-body`}
              className="code-input"
              rows={Math.min(16, Math.max(4, values.body.split('\n').length + 1))}
              spellCheck={false}
              value={values.body}
              onChange={(event) => setValues((previous) => ({ ...previous, body: event.target.value }))}
            />
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={sending}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {outcome?.kind === 'invalid' ? (
        <div className="alert alert-error">
          <ul>
            {outcome.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {outcome?.kind === 'failed' ? (
        <ProblemMessage error={outcome.error} context="The call could not be made." />
      ) : null}
      {outcome?.kind === 'result' ? <CallResultView result={outcome.result} /> : null}
    </>
  );
}
