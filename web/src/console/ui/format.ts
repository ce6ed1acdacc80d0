/** How the console writes figures and times. `locale` is the reader's unless a test names one. */

export const formatCount = (n: number, locale?: string): string => n.toLocaleString(locale);

/** Milliseconds with a precision that suits their size: 0.42 ms, 12.3 ms, 845 ms, 2.35 s. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** A span of time in the unit that suits it: 500 ms, 45 s, 10 min, 2 h, 1.5 d. */
export function formatDuration(ms: number): string {
  const round = (n: number) => Number(n.toFixed(1));
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${round(ms / 3_600_000)} h`;
  return `${round(ms / 86_400_000)} d`;
}

/** A share from 0 to 1 as a percentage: 0 %, 0.05 %, 2.5 %, 100 %. */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent === 0 || percent === 100) return `${percent} %`;
  return `${Number(percent.toPrecision(percent < 1 ? 1 : 3))} %`;
}

export function formatDateTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A recent time, without the year: for tables of calls. */
export function formatRecent(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(locale, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
}

/** Epoch seconds (as token records keep them) as an ISO time. */
export const isoOfEpochSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** Bytes as B, kB or MB (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${bytes} B`;
}
