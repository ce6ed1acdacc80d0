/** A query string (with its `?`) of the values that are set; empty and undefined values are left out. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A path segment for a platform route, escaped. */
export const segment = (value: string): string => encodeURIComponent(value);
