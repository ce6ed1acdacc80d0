/** Parses a raw query string, reporting parameters sent more than once (OAuth forbids them). */
export function readQuery(rawQueryString: string | undefined): {
  params: Map<string, string>;
  duplicates: string[];
} {
  const params = new Map<string, string>();
  const duplicates: string[] = [];
  for (const [key, value] of new URLSearchParams(rawQueryString ?? '')) {
    if (params.has(key)) duplicates.push(key);
    params.set(key, value);
  }
  return { params, duplicates };
}
