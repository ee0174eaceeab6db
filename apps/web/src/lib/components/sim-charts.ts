import type { SimulationResult } from '@podium/contest-model';
import type { ChartConfiguration, Plugin } from 'chart.js';
import { currencySymbol, formatMoney, formatNumber } from '../format.js';
import { i18n } from '../i18n/i18n.svelte.js';

// The simulator's two charts: the fund's histogram with what each prize needs, and each
// seller's chance of a prize.

export const NEWCOMER = '#38bdf8';
export const VETERAN = '#fbbf24';
const AXIS = '#9ca3af';
const GRID = '#ffffff14';

interface MarkerLine {
  value: number;
  label: string;
  strong: boolean;
}

/** Vertical lines on the fund histogram: what each prize needs, and all of them (break-even). */
const markers: Plugin<'bar'> = {
  id: 'simMarkers',
  afterDatasetsDraw(instance) {
    const options = (
      instance.options.plugins as unknown as Record<string, { lines?: MarkerLine[] }>
    )['simMarkers'];
    const { ctx, chartArea } = instance;
    const x = instance.scales['x'];
    if (!x) return;
    // Labels go in the first row where they do not overlap a label already drawn; the
    // all-prizes line always takes the top row. Lines stay even when their label has no room.
    const rowsRight: number[] = [];
    const lines = [...(options?.lines ?? [])].sort((a, b) => Number(b.strong) - Number(a.strong));
    for (const line of lines) {
      const px = x.getPixelForValue(line.value);
      if (px < chartArea.left - 1 || px > chartArea.right + 1) continue;
      ctx.save();
      ctx.strokeStyle = line.strong ? '#f87171' : '#fbbf24cc';
      ctx.lineWidth = line.strong ? 2 : 1.5;
      ctx.setLineDash(line.strong ? [] : [5, 4]);
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = `${line.strong ? 600 : 500} 12px Inter, 'Segoe UI', Roboto, sans-serif`;
      ctx.fillStyle = line.strong ? '#fca5a5' : '#fde68a';
      const width = ctx.measureText(line.label).width;
      const left = px + 4 + width > chartArea.right ? px - 4 - width : px + 4;
      const row = rowsRight.findIndex((right) => right < left - 6);
      const at = row === -1 ? rowsRight.length : row;
      if (at < 6) {
        rowsRight[at] = left + width;
        ctx.fillText(line.label, left, chartArea.top + 12 + at * 14);
      }
      ctx.restore();
    }
  },
};

/** The fund histogram, with a line per prize (cumulative cost) and one for all of them. */
export function fundHistogram(
  result: SimulationResult,
): ChartConfiguration<'bar', { x: number; y: number }[]> {
  const t = i18n.t;
  const money = (minor: number) => formatMoney(minor, result.currency, i18n.locale);
  const bins = result.fund.histogram;
  let cumulative = 0;
  const lines: MarkerLine[] = result.prizes.map((prize) => {
    cumulative += prize.costMinor;
    return {
      value: cumulative / 100,
      label: `${prize.league ? `${prize.league} ` : ''}#${prize.place}`,
      strong: false,
    };
  });
  lines.push({
    value: result.prizesCostMinor / 100,
    label: `${t('sim.breakEvenLine')}: ${money(result.prizesCostMinor)}`,
    strong: true,
  });
  const first = bins[0]?.fromMinor ?? 0;
  const last = bins.at(-1)?.toMinor ?? 0;
  const max = Math.max(last, result.prizesCostMinor * 1.05) / 100;
  return {
    type: 'bar',
    data: {
      datasets: [
        {
          label: t('sim.outcomes'),
          data: bins.map((bin) => ({ x: (bin.fromMinor + bin.toMinor) / 200, y: bin.count })),
          backgroundColor: '#60a5fa99',
          borderColor: '#60a5fa',
          borderWidth: 1,
          barPercentage: 1,
          categoryPercentage: 1,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          type: 'linear',
          suggestedMin: Math.min(first, 0) / 100,
          suggestedMax: max,
          title: {
            display: true,
            text: `${t('sim.fundChartAxis')}, ${currencySymbol(result.currency, i18n.locale)}`,
            color: AXIS,
          },
          ticks: {
            color: AXIS,
            maxTicksLimit: 8,
            callback: (value) => formatNumber(Number(value), i18n.locale, 0),
          },
          grid: { color: GRID },
        },
        y: {
          title: { display: true, text: t('sim.outcomes'), color: AXIS },
          ticks: { color: AXIS },
          grid: { color: GRID },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => {
              const bin = bins[items[0]?.dataIndex ?? 0];
              return bin ? `${money(bin.fromMinor)} – ${money(bin.toMinor)}` : '';
            },
          },
        },
        ...({ simMarkers: { lines } } as object),
      },
    },
    plugins: [markers],
  };
}

/** Each seller's chance of a prize, best first, newcomers and veterans in their colours. */
export function chancesChart(
  sellers: SimulationResult['participants'],
): ChartConfiguration<'bar', number[], string> {
  const t = i18n.t;
  return {
    type: 'bar',
    data: {
      labels: sellers.map((seller) => seller.name),
      datasets: [
        {
          label: t('sim.chances'),
          data: sellers.map((seller) => Math.round(seller.pPrize * 1000) / 10),
          backgroundColor: sellers.map((seller) => (seller.isNewcomer ? NEWCOMER : VETERAN)),
          barPercentage: 0.8,
          categoryPercentage: 0.9,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          min: 0,
          suggestedMax: 100,
          ticks: { color: AXIS, callback: (value) => `${value} %` },
          grid: { color: GRID },
        },
        y: {
          ticks: { color: '#e5e7eb', autoSkip: false, font: { size: 11 } },
          grid: { display: false },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${item.formattedValue} %` } },
      },
    },
  };
}
