import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartLine {
  label: string;
  values: (number | null)[];
  /** Dark enough for 3:1 against white (WCAG non-text contrast). */
  color: string;
  /** Fills the area below: for a count, where the area is the quantity. */
  filled?: boolean;
}

interface Props {
  title: string;
  /** The text alternative: what the chart shows, in words. */
  description: string;
  /** Epoch seconds. */
  times: number[];
  lines: ChartLine[];
  format: (value: number) => string;
}

const AXIS = {
  stroke: '#475569',
  grid: { stroke: '#e2e8f0', width: 1 },
  ticks: { stroke: '#cbd5e1', width: 1 },
};
const HEIGHT = 200;

function optionsOf({ lines, format }: Pick<Props, 'lines' | 'format'>, width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [AXIS, { ...AXIS, size: 64, values: (_u, ticks) => ticks.map((tick) => format(tick)) }],
    series: [
      {},
      ...lines.map((line) => ({
        label: line.label,
        stroke: line.color,
        width: 2,
        ...(line.filled ? { fill: `${line.color}22` } : {}),
        // Isolated periods (neighbours without calls) are only visible as points.
        points: { show: !line.filled, size: 5 },
        value: (_u: uPlot, value: number | null) => (value === null ? '–' : format(value)),
      })),
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

/**
 * A time series drawn by uPlot on a canvas. The canvas means nothing to assistive technology, so the
 * chart is one image whose name is its title and description.
 */
export function TimeSeriesChart(props: Props) {
  const { title, description, times, lines, format } = props;
  const holder = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const chart = new uPlot(
      optionsOf({ lines, format }, element.clientWidth || 600),
      [times, ...lines.map((line) => line.values)] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [times, lines, format]);
  return (
    <figure className="chart">
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      <div ref={holder} className="chart-canvas" role="img" aria-label={`${title}. ${description}`} />
    </figure>
  );
}
