import type { MouseEvent, ReactNode, Ref } from 'react';

interface Props<K extends string> {
  ref?: Ref<HTMLDivElement>;
  /** What failed, e.g. "The test case was not saved". */
  what: string;
  /** Each field's messages, shown against its input. */
  byField: Partial<Record<K, string[]>>;
  /** Problems not against any field, counted too; the caller lists them (`children`). */
  otherCount: number;
  labelOf: (field: K) => string;
  /** The id of the input a field's errors are shown against. */
  targetOf: (field: K) => string;
  /** Ends the title sentence; "." by default. */
  titleEnd?: string;
  /** Whether the list is shown (the fields may be hidden). */
  listed?: boolean;
  /** List items after the fields', for the other problems. */
  children?: ReactNode;
}

/** Every problem of a refused save, each linking to its input; focused when it appears. */
export function FieldErrorSummary<K extends string>({
  ref,
  what,
  byField,
  otherCount,
  labelOf,
  targetOf,
  titleEnd = '.',
  listed = true,
  children,
}: Props<K>) {
  const fields = Object.entries(byField) as [K, string[]][];
  const count = fields.length + otherCount;
  const goTo = (field: K) => (event: MouseEvent<HTMLAnchorElement>) => {
    const target = document.getElementById(targetOf(field));
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'center' });
  };
  return (
    <div ref={ref} className="alert alert-error" role="alert" tabIndex={-1}>
      <p className="alert-title">
        {what}: {count === 1 ? 'one problem' : `${count} problems`}
        {titleEnd}
      </p>
      {listed ? (
        <ul>
          {fields.map(([field, messages]) => (
            <li key={field}>
              <a href={`#${targetOf(field)}`} onClick={goTo(field)}>
                {labelOf(field)}
              </a>
              : {messages.join('; ')}
            </li>
          ))}
          {children}
        </ul>
      ) : null}
    </div>
  );
}
