/**
 * `<input type="datetime-local">` speaks the reader's local time without a zone (`2030-01-01T10:00`);
 * the platform speaks ISO 8601 instants. These convert between the two.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** The local time input value of an instant (minutes precision); '' for an unreadable time. */
export function localInputOf(iso: string | number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant a local time input value stands for; undefined when empty or unreadable. */
export function isoOfLocalInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
