import { useId } from 'react';
import { Link } from 'wouter';
import type { Ranked, Ranking } from '../api/analytics.ts';
import { formatCount, formatShare } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import type { LoadState } from '../ui/use-load.ts';

const PAGE_OF: Partial<Record<Ranked, (name: string) => string>> = {
  api: (name) => `/apis/${encodeURIComponent(name)}`,
  app: (id) => `/apps/${encodeURIComponent(id)}`,
  partner: (id) => `/partners/${encodeURIComponent(id)}`,
};

/** The busiest APIs (apps, partners) of the range, each linking to its console page. */
export function TopList({ title, state }: { title: string; state: LoadState<Ranking> }) {
  const titleId = useId();
  // App rankings come from bounded summaries: the platform says how far off they may be.
  const maxError = state.status === 'ready' ? state.data.maxError : 0;
  return (
    <section className="card top-list" aria-labelledby={titleId}>
      <h2 id={titleId} className="h-card">
        {title}
      </h2>
      <LoadView state={state} loading="Loading…" failure={`${title} could not be loaded.`}>
        {(ranking) =>
          ranking.items.length === 0 ? (
            <p className="muted">No calls in this range.</p>
          ) : (
            <ol>
              {ranking.items.map((item) => {
                const name = item[ranking.of] ?? '';
                const href = PAGE_OF[ranking.of]?.(name);
                return (
                  <li key={name}>
                    {href ? <Link href={href}>{name}</Link> : <span>{name}</span>}
                    <span className="muted">
                      {formatCount(item.calls)} calls · {formatShare(item.errorRate)} failed
                    </span>
                  </li>
                );
              })}
            </ol>
          )
        }
      </LoadView>
      {maxError > 0 ? <p className="muted small">Figures may be high by up to {maxError} calls.</p> : null}
    </section>
  );
}
