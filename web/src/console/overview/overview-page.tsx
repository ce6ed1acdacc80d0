import { lazy, Suspense, useState } from 'react';
import { Loading } from '../../ui/loading.tsx';
import { fetchCallUsage, fetchRanking, type UsageFilters } from '../api/analytics.ts';
import { LoadView } from '../ui/load-view.tsx';
import { RefreshButton } from '../ui/refresh-button.tsx';
import { useLoad } from '../ui/use-load.ts';
import { TopList } from './top-list.tsx';
import { UsageFilterForm } from './usage-filter-form.tsx';
import { describeFilters, type RangeChoice, rangeLabel, rangeOf, usageKey } from './usage-filters.ts';
import { UsageTotals } from './usage-totals.tsx';

// uPlot is only needed here: it loads with the charts, not with the rest of the console.
const UsageCharts = lazy(() => import('./usage-charts.tsx'));

export function OverviewPage() {
  const [filters, setFilters] = useState<UsageFilters>({});
  const [range, setRange] = useState<RangeChoice>('1h');
  // Each load asks for the range ending now, so a refresh moves the window along.
  const usage = useLoad(usageKey(filters, range), () => fetchCallUsage(filters, rangeOf(range, Date.now())));
  const topApis = useLoad(`api:${range}`, () => fetchRanking('api', rangeOf(range, Date.now())));
  const topApps = useLoad(`app:${range}`, () => fetchRanking('app', rangeOf(range, Date.now())));
  const scope = describeFilters(filters);
  const refreshing = usage.refreshing || topApis.refreshing || topApps.refreshing;
  const refresh = () => {
    usage.reload();
    topApis.reload();
    topApps.reload();
  };

  return (
    <>
      <title>Overview · Console · Portico developers</title>
      <div className="console-heading">
        <h1>Overview</h1>
        <RefreshButton
          refreshing={refreshing}
          onRefresh={refresh}
          asOf={usage.state.status === 'ready' ? usage.state.data.to : undefined}
        />
      </div>
      <p className="lead">
        Calls to {scope}, {rangeLabel(range)}.
      </p>
      <UsageFilterForm
        filters={filters}
        range={range}
        onApply={(next, nextRange) => {
          setFilters(next);
          setRange(nextRange);
        }}
      />
      <LoadView state={usage.state} loading="Loading the figures…" failure="The figures could not be loaded.">
        {(report) => (
          <>
            <UsageTotals totals={report.totals} />
            <Suspense fallback={<Loading label="Drawing the charts…" />}>
              <UsageCharts report={report} scope={scope} />
            </Suspense>
          </>
        )}
      </LoadView>
      <div className="top-grid">
        <TopList title="Busiest APIs" state={topApis.state} />
        <TopList title="Busiest apps" state={topApps.state} />
      </div>
    </>
  );
}
