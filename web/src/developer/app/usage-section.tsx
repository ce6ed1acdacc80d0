import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { fetchCallUsage } from '../api/usage.ts';
import { formatCount, formatMs } from '../ui/format.ts';
import { useData } from '../ui/use-data.ts';
import { callSeries, usageSummary } from './usage-series.ts';

// uPlot is loaded with the chart, when an app's usage is first shown.
const UsageChart = lazy(() => import('./usage-chart.tsx'));

const RANGES = {
  hour: { label: 'Last hour', phrase: 'in the last hour', ms: 3_600_000 },
  day: { label: 'Last 24 hours', phrase: 'in the last 24 hours', ms: 86_400_000 },
} as const;
type Range = keyof typeof RANGES;

/** The app's calls and failed calls over the last hour or day: a chart, and the same in words. */
export function UsageSection({ appId }: { appId: string }) {
  const name = useId();
  const [range, setRange] = useState<Range>('hour');
  const usage = useData(`usage:${appId}:${range}`, () => {
    const to = new Date();
    return fetchCallUsage(appId, new Date(to.getTime() - RANGES[range].ms), to);
  });
  const report = usage.resource.status === 'ready' ? usage.resource.data : undefined;
  const series = useMemo(() => (report ? callSeries(report) : undefined), [report]);
  const summary = report ? usageSummary(report, RANGES[range].phrase) : '';

  return (
    <section aria-labelledby="usage-title" className="dev-section">
      <div className="dev-section-head">
        <h2 id="usage-title">Usage</h2>
        <button type="button" className="button button-small" onClick={usage.reload}>
          Refresh
        </button>
      </div>
      <fieldset className="dev-segmented">
        <legend className="visually-hidden">Time range</legend>
        {(Object.keys(RANGES) as Range[]).map((key) => (
          <label key={key} className="dev-segment">
            <input
              type="radio"
              name={name}
              value={key}
              checked={range === key}
              onChange={() => setRange(key)}
            />
            {RANGES[key].label}
          </label>
        ))}
      </fieldset>
      {usage.resource.status === 'error' ? (
        <ProblemMessage error={usage.resource.error} context="The app’s usage could not be loaded." />
      ) : !report || !series ? (
        <Loading label="Loading the usage…" />
      ) : (
        <>
          <p aria-live="polite">{summary}</p>
          <dl className="dev-stats">
            <div>
              <dt>Calls</dt>
              <dd>{formatCount(report.totals.count)}</dd>
            </div>
            <div>
              <dt>Failed</dt>
              <dd>{formatCount(report.totals.errors)}</dd>
            </div>
            <div>
              <dt>Latency p50</dt>
              <dd>{report.totals.latencyMs ? formatMs(report.totals.latencyMs.p50) : '–'}</dd>
            </div>
            <div>
              <dt>Latency p99</dt>
              <dd>{report.totals.latencyMs ? formatMs(report.totals.latencyMs.p99) : '–'}</dd>
            </div>
          </dl>
          <Suspense fallback={<Loading label="Loading the chart…" />}>
            <UsageChart
              title={`Calls per ${report.grain}, ${RANGES[range].phrase}`}
              description={summary}
              series={series}
            />
          </Suspense>
        </>
      )}
    </section>
  );
}
