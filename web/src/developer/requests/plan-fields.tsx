import { useId } from 'react';
import {
  PLAN_ROWS,
  type PlanErrors,
  type PlanInput,
  type PlanRowError,
  type PolicyInput,
  WINDOWS,
} from './rate-limit-plan-input.ts';

interface RowProps {
  label: string;
  value: PolicyInput;
  error: PlanRowError | undefined;
  onChange: (value: PolicyInput) => void;
}

/** One limit of the plan: the calls, and the window they are counted over; its complaint under the calls. */
function PlanRow({ label, value, error, onChange }: RowProps) {
  const id = useId();
  const limitId = `${id}-limit`;
  const windowId = `${id}-window`;
  const errorId = `${id}-error`;
  const describedBy = error ? errorId : undefined;
  return (
    <div className="field-pair">
      <div className={error?.control === 'limit' ? 'dev-field dev-field-invalid' : 'dev-field'}>
        <label htmlFor={limitId}>{label}</label>
        <input
          id={limitId}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          value={value.limit}
          aria-invalid={error?.control === 'limit' ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange({ ...value, limit: event.target.value })}
        />
        {error ? (
          <p id={errorId} className="dev-field-error">
            {error.message}
          </p>
        ) : null}
      </div>
      <div className={error?.control === 'window' ? 'dev-field dev-field-invalid' : 'dev-field'}>
        <label htmlFor={windowId}>
          <span className="visually-hidden">{label}, </span>per
        </label>
        <select
          id={windowId}
          value={value.windowSeconds}
          aria-invalid={error?.control === 'window' ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange({ ...value, windowSeconds: Number(event.target.value) })}
        >
          {WINDOWS.map((window) => (
            <option key={window.seconds} value={window.seconds}>
              {window.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

interface Props {
  value: PlanInput;
  errors: PlanErrors;
  onChange: (value: PlanInput) => void;
}

/** The rate-limit plan a request may ask for: a limit on each API the app calls, and one on all its calls. */
export function PlanFields({ value, errors, onChange }: Props) {
  const hintId = `${useId()}-hint`;
  return (
    <fieldset className="fieldset" aria-describedby={hintId}>
      <legend>
        Rate-limit plan<span className="dev-optional"> (optional)</span>
      </legend>
      <p id={hintId} className="dev-small">
        Limits an operator sets on the app when they approve, for every API it calls, in place of the APIs’
        own. Leave blank to ask for none.
      </p>
      {PLAN_ROWS.map((row) => (
        <PlanRow
          key={row.dimension}
          label={row.label}
          value={value[row.dimension]}
          error={errors[row.dimension]}
          onChange={(next) => onChange({ ...value, [row.dimension]: next })}
        />
      ))}
    </fieldset>
  );
}
