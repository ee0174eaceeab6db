import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type DefaultDataPoint,
} from 'chart.js';
import type { Attachment } from 'svelte/attachments';

// Only what the screens draw (lines, bars, scatter), so the bundle carries no unused charts.
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
);

interface Mounted {
  chart: Chart;
  type: ChartType;
  /** A destroy scheduled by the previous attachment run, cancelled when the config only changed. */
  pending: boolean;
}

const mounted = new WeakMap<HTMLCanvasElement, Mounted>();

/**
 * A chart.js chart as a Svelte attachment: `<canvas {@attach chart(config)}></canvas>`.
 *
 * The chart lives and dies with its canvas. Svelte re-runs an attachment when the config it was
 * built from changes (tearing the old run down first); rather than rebuilding the chart then —
 * which would restart its animation and flicker on every live update — the teardown only
 * schedules the destroy, and a re-run on the same canvas cancels it and updates data and options
 * in place. Pass plain objects (e.g. from `$derived`), not `$state` proxies: chart.js writes into
 * its data.
 */
export function chart<
  TType extends ChartType = ChartType,
  TData = DefaultDataPoint<TType>,
  TLabel = unknown,
>(config: ChartConfiguration<TType, TData, TLabel>): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const existing = mounted.get(canvas);
    if (existing && existing.type === config.type) {
      existing.pending = false;
      existing.chart.data = config.data as Chart['data'];
      if (config.options) existing.chart.options = config.options as Chart['options'];
      existing.chart.update('none');
    } else {
      existing?.chart.destroy();
      // A chart left on the canvas by a run that failed half-way would refuse the new one.
      Chart.getChart(canvas)?.destroy();
      const created = new Chart(canvas, config as unknown as ChartConfiguration);
      mounted.set(canvas, { chart: created, type: config.type, pending: false });
    }
    return () => {
      const entry = mounted.get(canvas);
      if (!entry) return;
      entry.pending = true;
      queueMicrotask(() => {
        if (!entry.pending || mounted.get(canvas) !== entry) return;
        entry.chart.destroy();
        mounted.delete(canvas);
      });
    };
  };
}
