/** The URL of a call: the server's base, the path template filled in, the query appended. */

const TEMPLATE_PARAMETER = /\{([^}]+)\}/g;

/** The names in a path template, in order: `/orders/{orderId}` has `orderId`. */
export const pathParameterNames = (template: string): string[] =>
  [...template.matchAll(TEMPLATE_PARAMETER)].map((match) => match[1]!);

/**
 * The template with each `{name}` replaced by its value, encoded segment by segment so that a value
 * for a greedy parameter (`a/b.txt`) stays several segments. A missing value leaves `{name}`.
 */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(TEMPLATE_PARAMETER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') return whole;
    return value.split('/').map(encodeURIComponent).join('/');
  });
}

/** The full URL; query pairs with an empty value are left out. */
export function requestUrl(
  base: string,
  template: string,
  pathValues: Record<string, string>,
  query: [name: string, value: string][] = [],
): string {
  const path = fillPath(template, pathValues);
  const search = new URLSearchParams(query.filter(([, value]) => value !== '')).toString();
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
}
