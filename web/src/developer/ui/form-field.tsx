import { type ReactNode, useId } from 'react';

/** What a field's control needs to be named, described and marked invalid. */
export interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
  'aria-required'?: true;
}

interface Props {
  label: string;
  hint?: ReactNode;
  /** The complaint about the value, as a sentence. */
  error?: string | undefined;
  required?: boolean;
  children: (control: ControlProps) => ReactNode;
}

/** A labelled control with its hint and its error, both read out with it. */
export function FormField({ label, hint, error, required = false, children }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'dev-field dev-field-invalid' : 'dev-field'}>
      <label htmlFor={id}>
        {label}
        {required ? null : <span className="dev-optional"> (optional)</span>}
      </label>
      {hint ? (
        <p id={hintId} className="dev-hint">
          {hint}
        </p>
      ) : null}
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(required ? { 'aria-required': true as const } : {}),
      })}
      {error ? (
        <p id={errorId} className="dev-field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
