import { type FormEvent, useId, useState } from 'react';
import type { LogSearchParams } from '../api/logs.ts';
import { Field } from '../ui/field.tsx';
import { checkSearch, type LogSearchField, type LogSearchForm } from './log-search.ts';

interface Props {
  initial: LogSearchForm;
  busy: boolean;
  onSearch: (params: LogSearchParams) => void;
}

const TEXT_INPUTS: { name: LogSearchField; label: string; hint?: string }[] = [
  { name: 'api', label: 'API' },
  { name: 'app', label: 'App id' },
  { name: 'status', label: 'Status', hint: 'e.g. 502' },
  { name: 'requestId', label: 'Request id' },
  { name: 'traceId', label: 'Trace id' },
];

/** The request-log search: a time range (the last hour when blank) and filters. */
export function LogSearchFormView({ initial, busy, onSearch }: Props) {
  const id = useId();
  const [form, setForm] = useState(initial);
  const [problems, setProblems] = useState<Partial<Record<LogSearchField, string>>>({});
  const set = (name: LogSearchField, value: string) => setForm((f) => ({ ...f, [name]: value }));
  const errorsOf = (name: LogSearchField) => (problems[name] ? [problems[name]] : undefined);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const check = checkSearch(form);
    if (!check.ok) {
      setProblems(check.problems);
      const first = Object.keys(check.problems)[0];
      if (first) document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setProblems({});
    onSearch(check.params);
  };

  return (
    <form className="card search-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="h-card">
        Search the request log
      </h2>
      <div className="search-grid">
        {(['from', 'to'] as const).map((name) => (
          <Field
            key={name}
            id={`${id}-${name}`}
            label={name === 'from' ? 'From' : 'To'}
            hint={name === 'from' ? 'Blank: an hour before To.' : 'Blank: now.'}
            errors={errorsOf(name)}
          >
            {(wiring) => (
              <input
                {...wiring}
                type="datetime-local"
                value={form[name]}
                onChange={(e) => set(name, e.target.value)}
              />
            )}
          </Field>
        ))}
        {TEXT_INPUTS.map((input) => (
          <Field
            key={input.name}
            id={`${id}-${input.name}`}
            label={input.label}
            hint={input.hint}
            errors={errorsOf(input.name)}
          >
            {(wiring) => (
              <input
                {...wiring}
                type="text"
                value={form[input.name]}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => set(input.name, e.target.value)}
              />
            )}
          </Field>
        ))}
        <Field id={`${id}-limit`} label="At most">
          {(wiring) => (
            <select {...wiring} value={form.limit} onChange={(e) => set('limit', e.target.value)}>
              {['25', '50', '100', '200'].map((n) => (
                <option key={n} value={n}>
                  {n} calls
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </div>
    </form>
  );
}
