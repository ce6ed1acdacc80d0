import type { FieldError } from '../../api/client.ts';
import type { RateLimitPlan, RateLimitPolicy } from '../../api/rate-limits.ts';
import { fieldMessage } from '../ui/field-errors.ts';

/** The most calls a window may allow, as the platform takes it. */
export const MAX_LIMIT = 1_000_000;

/** The windows the form offers. */
export const WINDOWS = [
  { seconds: 1, label: 'second' },
  { seconds: 60, label: 'minute' },
  { seconds: 3600, label: 'hour' },
  { seconds: 86400, label: 'day' },
] as const;

export const DEFAULT_WINDOW = 60;

/** The two limits a plan may set: on each API the app calls, and on all its calls. */
export type PlanDimension = 'appApi' | 'app';

/** A row of the form, in the order shown. */
export const PLAN_ROWS: readonly { dimension: PlanDimension; label: string }[] = [
  { dimension: 'appApi', label: 'Calls to each API' },
  { dimension: 'app', label: 'Calls in all' },
];

/** One row as typed: the number of calls (blank: not asked) and the window chosen, in seconds. */
export interface PolicyInput {
  limit: string;
  windowSeconds: number;
}

export type PlanInput = Record<PlanDimension, PolicyInput>;

export const EMPTY_PLAN_INPUT: PlanInput = {
  appApi: { limit: '', windowSeconds: DEFAULT_WINDOW },
  app: { limit: '', windowSeconds: DEFAULT_WINDOW },
};

/** What is wrong with a row, and which of its inputs it is about. */
export interface PlanRowError {
  message: string;
  control: 'limit' | 'window';
}

export type PolicyParse = { ok: true; policy?: RateLimitPolicy } | ({ ok: false } & PlanRowError);

/** Digits, grouped by commas or not: "600", "10000", "10,000". */
const WHOLE = /^(?:\d+|\d{1,3}(?:,\d{3})+)$/;

/**
 * A row as the platform takes it: nothing when the calls are left blank, a limit when they are a whole
 * number from 1 to 1,000,000 (thousands may be grouped: "10,000"), and a complaint otherwise.
 */
export function parsePolicyInput(input: PolicyInput): PolicyParse {
  const text = input.limit.trim();
  if (text === '') return { ok: true };
  if (!WHOLE.test(text))
    return {
      ok: false,
      control: 'limit',
      message: 'Enter a whole number of calls, like 600, or leave it blank.',
    };
  const limit = Number(text.replaceAll(',', ''));
  if (limit < 1)
    return {
      ok: false,
      control: 'limit',
      message: 'Enter at least 1 call, or leave it blank to ask for none.',
    };
  if (limit > MAX_LIMIT) return { ok: false, control: 'limit', message: 'Enter at most 1,000,000 calls.' };
  if (!WINDOWS.some((window) => window.seconds === input.windowSeconds))
    return { ok: false, control: 'window', message: 'Choose a second, a minute, an hour or a day.' };
  return { ok: true, policy: { limit, windowSeconds: input.windowSeconds } };
}

export type PlanErrors = Partial<Record<PlanDimension, PlanRowError>>;

export type PlanParse = { ok: true; plan?: RateLimitPlan } | { ok: false; errors: PlanErrors };

/** The plan the rows ask for (none when both are blank), or what is wrong with each row that is. */
export function parsePlanInput(input: PlanInput): PlanParse {
  const plan: RateLimitPlan = {};
  const errors: PlanErrors = {};
  for (const { dimension } of PLAN_ROWS) {
    const parsed = parsePolicyInput(input[dimension]);
    if (!parsed.ok) errors[dimension] = { message: parsed.message, control: parsed.control };
    else if (parsed.policy) plan[dimension] = parsed.policy;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return Object.keys(plan).length > 0 ? { ok: true, plan } : { ok: true };
}

const POINTER = /^\/rateLimits\/(app|appApi)(?:\/([^/]+))?(?:\/.*)?$/;

/**
 * The platform's complaints about the plan (`/rateLimits/appApi/limit`…), put against their rows (the
 * first of a row wins); the others are left for the form's error.
 */
export function planErrorsOf(errors: readonly FieldError[]): { rows: PlanErrors; others: FieldError[] } {
  const rows: PlanErrors = {};
  const others: FieldError[] = [];
  for (const error of errors) {
    const match = error.pointer ? POINTER.exec(error.pointer) : null;
    if (!match) {
      others.push(error);
      continue;
    }
    const dimension = match[1] as PlanDimension;
    const row = PLAN_ROWS.find((entry) => entry.dimension === dimension)!;
    const part = match[2];
    const label =
      part === 'windowSeconds'
        ? `The window of ${row.label.toLowerCase()}`
        : part === 'burst'
          ? `The burst of ${row.label.toLowerCase()}`
          : row.label;
    rows[dimension] ??= {
      message: fieldMessage(label, error.message),
      control: part === 'windowSeconds' ? 'window' : 'limit',
    };
  }
  return { rows, others };
}
