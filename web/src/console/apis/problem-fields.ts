import type { FieldError } from '../../api/client.ts';

/** The inputs of the definition form an error can be shown against. */
export type FieldKey =
  | 'name'
  | 'description'
  | 'version'
  | 'upstreams'
  | `upstreams.${number}`
  | 'timeoutMs'
  | 'requiredScopes'
  | 'authModes'
  | 'lifecycleStatus'
  | 'sunsetAt'
  | 'lifecycleLink'
  | 'mockEnabled';

const SCALARS = new Set(['name', 'description', 'version', 'timeoutMs']);
const LISTS = new Set(['requiredScopes', 'authModes']);
const LIFECYCLE: Record<string, FieldKey> = {
  status: 'lifecycleStatus',
  sunsetAt: 'sunsetAt',
  link: 'lifecycleLink',
};

/** A JSON pointer's reference tokens (RFC 6901: `~1` is `/`, `~0` is `~`). */
const tokensOf = (pointer: string): string[] =>
  pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));

/** The form input a violation's JSON pointer names, or undefined when the form does not show it. */
export function fieldOfPointer(pointer: string): FieldKey | undefined {
  const [first, second, third, ...rest] = tokensOf(pointer);
  if (first === undefined) return undefined;
  if (SCALARS.has(first)) return second === undefined ? (first as FieldKey) : undefined;
  if (LISTS.has(first)) return first as FieldKey;
  if (first === 'upstreams') {
    if (second === undefined) return 'upstreams';
    if (!/^\d+$/.test(second)) return undefined;
    return third === undefined || (third === 'url' && rest.length === 0)
      ? `upstreams.${Number(second)}`
      : undefined;
  }
  if (first === 'lifecycle') return second === undefined ? 'lifecycleStatus' : LIFECYCLE[second];
  if (first === 'mock') return second === undefined || second === 'enabled' ? 'mockEnabled' : undefined;
  return undefined;
}

export interface PlacedErrors {
  byField: Partial<Record<FieldKey, string[]>>;
  /** Errors of members the form does not show (or of query parameters): listed with the raw JSON. */
  unplaced: FieldError[];
}

export const NO_ERRORS: PlacedErrors = { byField: {}, unplaced: [] };

/** A 400's `errors` shared out to the form's inputs; the rest left for the raw JSON. */
export function placeErrors(errors: readonly FieldError[]): PlacedErrors {
  const placed: PlacedErrors = { byField: {}, unplaced: [] };
  for (const error of errors) {
    const field = error.pointer !== undefined ? fieldOfPointer(error.pointer) : undefined;
    if (field === undefined) placed.unplaced.push(error);
    else placed.byField[field] = [...(placed.byField[field] ?? []), error.message];
  }
  return placed;
}

/** Whether anything is to be shown. */
export const hasErrors = (placed: PlacedErrors): boolean =>
  placed.unplaced.length > 0 || Object.keys(placed.byField).length > 0;
