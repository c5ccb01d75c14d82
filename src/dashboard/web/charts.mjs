// Charts with uPlot (embedded, served by runcode): bars over time, stacked or not. Colours come from the page's
// CSS variables, so the charts follow the light or dark theme; times are UTC, like the store's days and hours.
import uPlot from "./uplot.js";
import { usd } from "./format.mjs";

const live = new Set();

/** Destroys the charts of the page being replaced. */
export function clearCharts() {
  for (const u of live) u.destroy();
  live.clear();
}

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
export const palette = () => Array.from({ length: 8 }, (_, i) => css(`--c${i + 1}`));

const HOUR = 3600;
const DAY = 86400;

function axes(format, bucket) {
  const fg = css("--muted");
  const grid = css("--grid");
  // Ticks on whole buckets: days for daily bars (no "8am" between them), hours for hourly ones.
  const incrs =
    bucket === "day"
      ? [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY]
      : [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];
  return [
    { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, incrs, space: 56 },
    { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, values: (_, vals) => vals.map(format), size: 70 },
  ];
}

/**
 * Bars over time in `el`. `series`: [{ label, values }] in stacking order (bottom first); with more than one they are
 * stacked. `times` are bucket starts in ms; `o.bucket` is "hour" or "day".
 */
export function bars(el, times, series, o = {}) {
  const format = o.format ?? usd;
  const half = (o.bucket === "hour" ? HOUR : DAY) / 2;
  const colors = palette();
  const xs = times.map((t) => t / 1000);
  // Stacked: each drawn series is the running total, tallest first, so the shorter ones paint over it.
  const stacked = [];
  let run = xs.map(() => 0);
  for (const s of series) {
    run = run.map((v, i) => v + (s.values[i] ?? 0));
    stacked.push(run);
  }
  const order = series.map((_, i) => i).reverse();
  const width = Math.max(280, el.clientWidth || 600);
  const u = new uPlot(
    {
      width,
      height: o.height ?? 240,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: {
        x: { time: true, range: (_, min, max) => [min - half, max + half] },
        y: { range: (_, min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: axes(format, o.bucket),
      series: [
        {},
        ...order.map((i) => ({
          label: series[i].label,
          stroke: colors[i % colors.length],
          fill: colors[i % colors.length],
          width: 0,
          paths: uPlot.paths.bars({ size: [0.7, 48], gap: 1 }),
          points: { show: false },
        })),
      ],
    },
    [xs, ...order.map((i) => stacked[i])],
    el,
  );
  live.add(u);
  return u;
}

/** Keeps every chart as wide as its box (the page is usable from a phone to a wide screen). */
addEventListener("resize", () => {
  for (const u of live) {
    const box = u.root.parentElement;
    if (box) u.setSize({ width: Math.max(280, box.clientWidth), height: u.height });
  }
});
