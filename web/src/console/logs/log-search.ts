import type { LogSearchParams } from '../api/logs.ts';
import { traceIdOf } from '../traces/trace-address.ts';
import { isoOfLocalInput } from '../ui/time-input.ts';

/** The search form's inputs, as typed. */
export interface LogSearchForm {
  from: string;
  to: string;
  api: string;
  app: string;
  status: string;
  requestId: string;
  traceId: string;
  limit: string;
}

export type LogSearchField = keyof LogSearchForm;

export const EMPTY_SEARCH: LogSearchForm = {
  from: '',
  to: '',
  api: '',
  app: '',
  status: '',
  requestId: '',
  traceId: '',
  limit: '50',
};

const FILTERS = ['api', 'app', 'status', 'requestId', 'traceId'] as const;

/** A search given in the page's address (`?requestId=…`): a link from a trace lands on its call. */
export function searchFormOf(search: string): LogSearchForm {
  const params = new URLSearchParams(search);
  const form = { ...EMPTY_SEARCH };
  for (const name of FILTERS) form[name] = params.get(name) ?? '';
  return form;
}

export type SearchCheck =
  | { ok: true; params: LogSearchParams }
  | { ok: false; problems: Partial<Record<LogSearchField, string>> };

/**
 * The search the platform is asked, or what is wrong with the inputs. Times are the reader's local
 * times; blank inputs are left out (the platform searches the last hour by default).
 */
export function checkSearch(form: LogSearchForm): SearchCheck {
  const problems: Partial<Record<LogSearchField, string>> = {};
  const params: LogSearchParams = {};
  for (const name of ['from', 'to'] as const) {
    if (!form[name]) continue;
    const iso = isoOfLocalInput(form[name]);
    if (iso) params[name] = iso;
    else problems[name] = 'Enter a date and time.';
  }
  if (params.from && params.to && params.from > params.to) problems.to = 'Must not be before From.';
  if (form.traceId.trim()) {
    const traceId = traceIdOf(form.traceId);
    if (traceId) params.traceId = traceId;
    else problems.traceId = 'A trace id is 32 hex digits (or paste a whole traceparent).';
  }
  const status = form.status.trim();
  if (status) {
    if (/^[1-5]\d\d$/.test(status)) params.status = status;
    else problems.status = 'An HTTP status, from 100 to 599.';
  }
  for (const name of ['api', 'app', 'requestId'] as const) {
    const value = form[name].trim();
    if (value) params[name] = value;
  }
  if (form.limit) params.limit = form.limit;
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, params };
}
