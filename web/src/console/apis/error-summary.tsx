import type { Ref } from 'react';
import { FieldErrorSummary } from '../ui/field-error-summary.tsx';
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
  ref?: Ref<HTMLDivElement>;
  errors: PlacedErrors;
  /** The id of the input a field's errors are shown against. */
  targetOf: (field: FieldKey) => string;
  /** Whether the errors of members the form does not show are listed with the raw JSON instead. */
  formShown: boolean;
  onShowRaw: () => void;
}

/** A refused definition's problems: against the form's fields, or pointing to the raw JSON. */
export function ErrorSummary({ ref, errors, targetOf, formShown, onShowRaw }: Props) {
  const unplaced = errors.unplaced.length;
  return (
    <FieldErrorSummary
      ref={ref}
      what="The definition was not saved"
      byField={errors.byField}
      otherCount={unplaced}
      labelOf={labelOf}
      targetOf={targetOf}
      titleEnd={formShown ? '.' : ', listed above the definition below.'}
      listed={formShown}
    >
      {unplaced > 0 ? (
        <li>
          {unplaced === 1 ? 'One is' : `${unplaced} are`} in parts of the definition the form does not show.{' '}
          <button type="button" className="button button-small" onClick={onShowRaw}>
            Show the raw JSON
          </button>
        </li>
      ) : null}
    </FieldErrorSummary>
  );
}
