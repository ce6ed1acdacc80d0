import type { ReactNode } from 'react';

/** What an input needs to be tied to its label, hint and errors. */
export interface InputWiring {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface Props {
  id: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly string[] | undefined;
  /** The input itself, given the attributes that tie it to the rest. */
  children: (wiring: InputWiring) => ReactNode;
}

/** Describes an input by its hint and errors (`aria-describedby`), marking it invalid when it has errors. */
export function describedBy(id: string, hint: boolean, errors: boolean): string | undefined {
  return [hint ? `${id}-hint` : '', errors ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The text of a field's errors, its id the one `describedBy` names. */
export function FieldErrors({ id, errors }: { id: string; errors?: readonly string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} className="field-error">
      <span className="visually-hidden">Error: </span>
      {errors.join('; ')}
    </p>
  );
}

/** A labelled input with its hint and its errors between the label and the input. */
export function Field({ id, label, hint, errors, children }: Props) {
  const invalid = Boolean(errors?.length);
  return (
    <div className={invalid ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={id} errors={errors} />
      {children({
        id,
        'aria-invalid': invalid ? true : undefined,
        'aria-describedby': describedBy(id, Boolean(hint), invalid),
      })}
    </div>
  );
}
