/**
 * The apps that call most (or fail most) in a period, kept as a bounded summary: with 100k apps a cell
 * holding every app would pass DynamoDB's item size, so a ranking cell keeps the `TOP_APPS_KEPT` apps
 * with the highest estimates per family (`count:<app>`, `errors:<app>`) and, in `floor:<family>`, the
 * highest estimate it ever let go.
 *
 * The merge is weighted Space-Saving: an app not in the summary enters at `floor + added`. Every
 * estimate is then at least the app's true count and at most `floor` above it, and an app left out
 * has a true count of at most `floor`; with fewer apps than the bound the floor stays 0 and the
 * counts are exact. Deterministic: the same cell and batch give the same summary (ties by app id).
 */
export const TOP_APPS_KEPT = 250;
const FAMILIES = ['count', 'errors'] as const;

export function mergeTopApps(
  current: Readonly<Record<string, number>>,
  added: Readonly<Record<string, number>>,
  kept = TOP_APPS_KEPT,
): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const family of FAMILIES) {
    const prefix = `${family}:`;
    let floor = current[`floor:${family}`] ?? 0;
    const estimates = new Map<string, number>();
    for (const [name, n] of Object.entries(current))
      if (name.startsWith(prefix)) estimates.set(name.slice(prefix.length), n);
    for (const [name, n] of Object.entries(added)) {
      if (!name.startsWith(prefix) || n <= 0) continue;
      const app = name.slice(prefix.length);
      estimates.set(app, (estimates.get(app) ?? floor) + n);
    }
    const ranked = [...estimates].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
    for (const [, estimate] of ranked.slice(kept)) floor = Math.max(floor, estimate);
    for (const [app, estimate] of ranked.slice(0, kept)) merged[`${prefix}${app}`] = estimate;
    if (floor > 0) merged[`floor:${family}`] = floor;
  }
  return merged;
}
