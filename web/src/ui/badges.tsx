import type { ReactNode } from 'react';

export function MethodBadge({ method }: { method: string }) {
  return <span className={`method method-${method.toLowerCase()}`}>{method.toUpperCase()}</span>;
}

type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** An HTTP status, coloured by its class. */
export function StatusCode({ status }: { status: string | number }) {
  const text = String(status);
  const tone = text.startsWith('2')
    ? 'success'
    : text.startsWith('4') || text.startsWith('5')
      ? 'danger'
      : 'neutral';
  return <span className={`status-code status-${tone}`}>{text}</span>;
}
