import { useEffect, useRef } from 'react';
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
  /** Counts: the value axis marks whole numbers only. */
  whole?: boolean;
}

const AXIS = {
  stroke: '#475569',
  grid: { stroke: '#e2e8f0', width: 1 },
  ticks: { stroke: '#cbd5e1', width: 1 },
};
const HEIGHT = 200;
const WHOLE_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7,
];

function optionsOf(
  { lines, format, whole }: Pick<Props, 'lines' | 'format' | 'whole'>,
  width: number,
): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      AXIS,
      {
        ...AXIS,
        size: 64,
        values: (_u, ticks) => ticks.map((tick) => format(tick)),
        ...(whole ? { incrs: WHOLE_STEPS } : {}),
      },
    ],
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
  const { title, description, times, lines, format, whole } = props;
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const chart = new uPlot(
      optionsOf({ lines, format, whole }, element.clientWidth || 600),
      [times, ...lines.map((line) => line.values)] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [times, lines, format, whole]);
  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      <div ref={holder} className="chart-canvas" role="img" aria-label={`${title}. ${description}`} />
    </figure>
  );
}
