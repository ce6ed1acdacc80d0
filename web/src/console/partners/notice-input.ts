import type { NoticeInput } from '../api/partners.ts';
import { isoOfLocalInput, localInputOf } from '../ui/time-input.ts';

/** The notice form's inputs, as typed (times as `datetime-local` values). */
export interface NoticeForm {
  content: string;
  begin: string;
  end: string;
  effective: boolean;
}

export type NoticeField = 'content' | 'begin' | 'end' | 'effective';

export const MAX_CONTENT = 1_000;
const MAX_SPAN_MS = 366 * 86_400_000;
const HOUR_MS = 3_600_000;

/** A notice from now for two hours: the usual maintenance window. */
export function newNoticeForm(now: number): NoticeForm {
  return { content: '', begin: localInputOf(now), end: localInputOf(now + 2 * HOUR_MS), effective: true };
}

export type NoticeCheck =
  | { ok: true; body: NoticeInput }
  | { ok: false; problems: Partial<Record<NoticeField, string>> };

/** The body to send, or what is wrong with the inputs (the platform's own rules, checked first here). */
export function checkNotice(form: NoticeForm): NoticeCheck {
  const problems: Partial<Record<NoticeField, string>> = {};
  const content = form.content.trim();
  if (!content) problems.content = 'Say what is wrong.';
  else if (content.length > MAX_CONTENT) problems.content = 'At most 1,000 characters.';
  const begin = isoOfLocalInput(form.begin);
  const end = isoOfLocalInput(form.end);
  if (!begin) problems.begin = 'Enter a date and time.';
  if (!end) problems.end = 'Enter a date and time.';
  if (begin && end) {
    const span = Date.parse(end) - Date.parse(begin);
    if (span <= 0) problems.end = 'Must be after the beginning.';
    else if (span > MAX_SPAN_MS) problems.end = 'At most 366 days after the beginning.';
  }
  if (Object.keys(problems).length || !begin || !end) return { ok: false, problems };
  return { ok: true, body: { content, begin, end, effective: form.effective } };
}

/** The input a platform violation of a notice names (`/begin` → begin), if the form has it. */
export function noticeFieldOf(pointer: string | undefined): NoticeField | undefined {
  const name = pointer?.replace(/^\//, '');
  return name === 'content' || name === 'begin' || name === 'end' || name === 'effective' ? name : undefined;
}
