import { type FormEvent, useId, useState } from 'react';
import { useLocation } from 'wouter';
import { traceHref, traceIdOf } from '../traces/trace-address.ts';
import { Field } from '../ui/field.tsx';

/** Opens a trace by its id (or a pasted `traceparent`). */
export function FindTraceForm() {
  const id = useId();
  const [, navigate] = useLocation();
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string>();
  const open = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const traceId = traceIdOf(value);
    if (!traceId) {
      setProblem('A trace id is 32 hex digits (or paste a whole traceparent).');
      return;
    }
    navigate(traceHref(traceId));
  };
  return (
    <form className="card inline-form" onSubmit={open} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="h-card">
        Find a trace
      </h2>
      <div className="inline-form-row">
        <Field
          id={`${id}-trace`}
          label="Trace id"
          hint="Looked up in the last hour."
          errors={problem ? [problem] : undefined}
        >
          {(wiring) => (
            <input
              {...wiring}
              type="text"
              value={value}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button">
          Open trace
        </button>
      </div>
    </form>
  );
}
