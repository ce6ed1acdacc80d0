import { ApiError } from '../../api/client.ts';
import type { LoadProfile } from '../api/load-runs.ts';

/** The load run form's inputs, as typed. */
export type LoadProfileForm = Record<keyof LoadProfile, string>;

export type LoadProfileField = keyof LoadProfile;

export const LOAD_PROFILE_FIELDS: readonly LoadProfileField[] = [
  'ratePerSecond',
  'durationSeconds',
  'concurrency',
];

/** The platform's hard caps of one load run. */
export const LOAD_LIMITS: Record<LoadProfileField, number> = {
  ratePerSecond: 50,
  durationSeconds: 60,
  concurrency: 20,
};

export const NEW_LOAD_PROFILE_FORM: LoadProfileForm = {
  ratePerSecond: '10',
  durationSeconds: '10',
  concurrency: '5',
};

const MISSING: Record<LoadProfileField, string> = {
  ratePerSecond: 'Enter how many requests to send each second.',
  durationSeconds: 'Enter how many seconds to send them for.',
  concurrency: 'Enter how many requests may be in flight at once.',
};

export type LoadProblems = Partial<Record<LoadProfileField, string>>;

export type LoadProfileCheck = { ok: true; profile: LoadProfile } | { ok: false; problems: LoadProblems };

/** A whole number from 1 to `max` as typed, or undefined. */
function wholeUpTo(text: string, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return n >= 1 && n <= max ? n : undefined;
}

/** The profile to send, or what is wrong with each input (the platform's caps, checked first here). */
export function checkLoadProfile(form: LoadProfileForm): LoadProfileCheck {
  const problems: LoadProblems = {};
  const profile: Partial<LoadProfile> = {};
  for (const field of LOAD_PROFILE_FIELDS) {
    const value = wholeUpTo(form[field], LOAD_LIMITS[field]);
    if (value !== undefined) profile[field] = value;
    else if (!form[field].trim()) problems[field] = MISSING[field];
    else problems[field] = `A whole number from 1 to ${LOAD_LIMITS[field]}.`;
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, profile: profile as LoadProfile };
}

/** How many requests the form plans (rate × duration), once both are whole numbers within the caps. */
export function plannedOf(form: LoadProfileForm): number | undefined {
  const rate = wholeUpTo(form.ratePerSecond, LOAD_LIMITS.ratePerSecond);
  const duration = wholeUpTo(form.durationSeconds, LOAD_LIMITS.durationSeconds);
  return rate !== undefined && duration !== undefined ? rate * duration : undefined;
}

/** The input a platform violation names (`/ratePerSecond`), if the form has it. */
export function loadFieldOf(pointer: string | undefined): LoadProfileField | undefined {
  const name = pointer?.replace(/^\//, '');
  return LOAD_PROFILE_FIELDS.find((field) => field === name);
}

/** Why a load run was not started, as the form shows it. */
export type StartFailure =
  | { kind: 'invalid'; problems: LoadProblems }
  | { kind: 'busy' }
  | { kind: 'other'; error: unknown };

/**
 * A 400 whose errors all name inputs is shown against them; a 409 means another load run of the API is
 * queued or running (one at a time per API); anything else is shown as the problem it is.
 */
export function startFailureOf(error: unknown): StartFailure {
  if (!(error instanceof ApiError)) return { kind: 'other', error };
  if (error.status === 409) return { kind: 'busy' };
  if (error.status !== 400 || error.errors.length === 0) return { kind: 'other', error };
  const problems: LoadProblems = {};
  for (const fieldError of error.errors) {
    const field = loadFieldOf(fieldError.pointer);
    if (!field) return { kind: 'other', error };
    problems[field] = problems[field] ? `${problems[field]}; ${fieldError.message}` : fieldError.message;
  }
  return { kind: 'invalid', problems };
}
