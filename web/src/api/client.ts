import { currentAccessToken } from '../auth/token-store.ts';

/** One field's complaint in a problem's `errors` (a JSON pointer into the body, or a parameter path). */
export interface FieldError {
  pointer?: string;
  path?: string;
  message: string;
}

/** RFC 9457 problem details, as every platform endpoint answers its errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

/** A platform answer that is not a success, carrying its problem details. */
export class ApiError extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  readonly errors: FieldError[];

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors ?? [];
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function fieldErrorsOf(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((item) => ({
    ...(text(item.pointer) ? { pointer: item.pointer as string } : {}),
    ...(text(item.path) ? { path: item.path as string } : {}),
    message: text(item.message) ?? text(item.detail) ?? 'Not valid.',
  }));
}

/**
 * The problem an error answer stands for. OAuth endpoints answer RFC 6749 `error` and
 * `error_description` alongside the problem members; anything else unreadable gets a generic problem.
 */
export function problemOf(status: number, body: unknown): Problem {
  const fields = isRecord(body) ? body : {};
  const title = text(fields.title) ?? text(fields.error) ?? `Request failed with status ${status}`;
  const detail = text(fields.detail) ?? text(fields.error_description);
  const instance = text(fields.instance);
  const errors = fieldErrorsOf(fields.errors);
  return {
    type: text(fields.type) ?? 'about:blank',
    title,
    status: typeof fields.status === 'number' ? fields.status : status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** The body of an answer: JSON when it says so, else its text (undefined when empty). */
export async function readBody(response: Response): Promise<unknown> {
  const raw = await response.text();
  if (raw === '') return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (!/[/+]json\b/i.test(type)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export interface ApiRequest extends Omit<RequestInit, 'body'> {
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
  /** Leave out the signed-in user's token (OAuth endpoints authenticate the client, not the user). */
  anonymous?: boolean;
}

/** Calls a platform endpoint on this origin; throws ApiError for any answer that is not 2xx. */
export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const { json, form, anonymous, headers: extra, ...init } = request;
  const headers = new Headers(extra);
  headers.set('accept', 'application/json, application/problem+json');
  const token = anonymous ? undefined : currentAccessToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  let body: BodyInit | undefined;
  if (json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(json);
  } else if (form) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    body = new URLSearchParams(form);
  }
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, ...(body !== undefined ? { body } : {}) });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'The platform could not be reached',
      status: 0,
      detail: 'Check your connection and try again.',
    });
  }
  const payload = await readBody(response);
  if (!response.ok) throw new ApiError(problemOf(response.status, payload));
  return payload as T;
}
