import { forwardRef, type MouseEvent } from 'react';
import type { FieldKey, PlacedErrors } from './problem-fields.ts';

const LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  version: 'Version',
  upstreams: 'Upstreams',
  timeoutMs: 'Timeout (ms)',
  requiredScopes: 'Required scopes',
  authModes: 'Authentication',
  lifecycleStatus: 'Lifecycle status',
  sunsetAt: 'Sunset',
  lifecycleLink: 'Deprecation link',
  mockEnabled: 'Mock enabled',
};

const labelOf = (field: FieldKey): string =>
  field.startsWith('upstreams.') ? `Upstream ${Number(field.slice(10)) + 1}` : (LABELS[field] ?? field);

interface Props {
  errors: PlacedErrors;
  /** The id of the input a field's errors are shown against. */
  targetOf: (field: FieldKey) => string;
  /** Whether the errors of members the form does not show are listed with the raw JSON instead. */
  formShown: boolean;
  onShowRaw: () => void;
}

/** Every problem of a refused save, each linking to its input; focused when it appears. */
export const ErrorSummary = forwardRef<HTMLDivElement, Props>(function ErrorSummary(
  { errors, targetOf, formShown, onShowRaw },
  ref,
) {
  const fields = Object.entries(errors.byField) as [FieldKey, string[]][];
  const count = fields.length + errors.unplaced.length;
  const goTo = (field: FieldKey) => (event: MouseEvent<HTMLAnchorElement>) => {
    const target = document.getElementById(targetOf(field));
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'center' });
  };
  return (
    <div ref={ref} className="alert alert-error" role="alert" tabIndex={-1}>
      <p className="alert-title">
        The definition was not saved: {count === 1 ? 'one problem' : `${count} problems`}
        {formShown ? '.' : ', listed above the definition below.'}
      </p>
      {formShown ? (
        <ul>
          {fields.map(([field, messages]) => (
            <li key={field}>
              <a href={`#${targetOf(field)}`} onClick={goTo(field)}>
                {labelOf(field)}
              </a>
              : {messages.join('; ')}
            </li>
          ))}
          {errors.unplaced.length > 0 ? (
            <li>
              {errors.unplaced.length === 1 ? 'One is' : `${errors.unplaced.length} are`} in parts of the
              definition the form does not show.{' '}
              <button type="button" className="button button-small" onClick={onShowRaw}>
                Show the raw JSON
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
});
