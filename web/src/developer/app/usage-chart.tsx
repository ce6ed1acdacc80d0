import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount } from '../ui/format.ts';
import type { CallSeries } from './usage-series.ts';

interface Props {
  title: string;
  /** The chart in words: its accessible name. */
  description: string;
  series: CallSeries;
}

const HEIGHT = 220;
// Both at least 3:1 against white (WCAG non-text contrast).
const CALLS_COLOR = '#4338ca';
const ERRORS_COLOR = '#b91c1c';
const AXIS = {
  stroke: '#475569',
  grid: { stroke: '#e2e8f0', width: 1 },
  ticks: { stroke: '#cbd5e1', width: 1 },
};

const count = (value: number) => formatCount(Math.round(value));

function options(width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [AXIS, { ...AXIS, size: 56, values: (_u, ticks) => ticks.map(count) }],
    series: [
      {},
      {
        label: 'Calls',
        stroke: CALLS_COLOR,
        width: 2,
        fill: `${CALLS_COLOR}22`,
        points: { show: false },
        value: (_u, v) => count(v ?? 0),
      },
      {
        label: 'Failed',
        stroke: ERRORS_COLOR,
        width: 2,
        points: { show: false },
        value: (_u, v) => count(v ?? 0),
      },
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

/** Calls and failed calls per period, drawn by uPlot; one image to assistive technology, named by its summary. */
export default function UsageChart({ title, description, series }: Props) {
  const holder = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const chart = new uPlot(
      options(element.clientWidth || 600),
      [series.times, series.calls, series.errors],
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [series]);
  return (
    <figure className="dev-chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="dev-chart-title">
        {title}
      </figcaption>
      <div ref={holder} className="dev-chart-canvas" role="img" aria-label={`${title}. ${description}`} />
    </figure>
  );
}
