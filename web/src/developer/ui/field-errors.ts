import { ApiError, type FieldError } from '../../api/client.ts';

/** A form's complaints: one message per field it has, and the rest (shown with the form's error). */
export interface FormErrors {
  fields: Record<string, string>;
  others: FieldError[];
}

export const NO_ERRORS: FormErrors = { fields: {}, others: [] };

/** The top-level field a complaint is about: `/redirectUris/0` → `redirectUris`, a parameter's path as is. */
export function fieldOf(error: FieldError): string | undefined {
  if (error.pointer !== undefined) {
    const first = error.pointer.split('/')[1];
    return first ? first.replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
  }
  return error.path?.split(/[.[]/)[0] || undefined;
}

/** The field errors of a failed call, sorted to the form's fields; the first complaint of a field wins. */
export function formErrorsOf(error: unknown, fields: readonly string[]): FormErrors {
  if (!(error instanceof ApiError)) return NO_ERRORS;
  const result: FormErrors = { fields: {}, others: [] };
  for (const fieldError of error.errors) {
    const field = fieldOf(fieldError);
    if (field !== undefined && fields.includes(field)) result.fields[field] ??= fieldError.message;
    else result.others.push(fieldError);
  }
  return result;
}

/**
 * A complaint as a sentence under its input: the platform's "is required" reads "Name is required.",
 * a sentence of its own is kept as it is.
 */
export function fieldMessage(label: string, message: string): string {
  const sentence = /^[A-Z]/.test(message) ? message : `${label} ${message}`;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
