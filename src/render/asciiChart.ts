// ASCII line charts of trajectories (asciichart draws each line), readable without colour: the
// first series in box lines, every further series with its own marker, a cell two series share as
// "*", 10–90% bands as "·" under the lines, x ticks under the plot, and a legend. The step axis is
// linear or symmetric-log (x ↦ ln(1 + x), so phase 1 — the first tens of steps of thousands — gets
// columns of its own).
import asciichart from "asciichart";
import { symlogTicks } from "./figures/stepAxis.js";

export interface ChartSeries {
  name: string;
  /** y values at `steps` (same length); non-finite values are skipped. */
  values: readonly number[];
  /** 10th and 90th percentiles at `steps`, drawn as a band. */
  band?: { lo: readonly number[]; hi: readonly number[] };
}

export type StepAxis = "linear" | "symlog";

export interface ChartOptions {
  title: string;
  steps: readonly number[];
  /** Plot log10(y) and label the axis with y; non-positive values are skipped. */
  logScale?: boolean;
  /** "symlog" stretches the early steps; default linear. */
  stepAxis?: StepAxis;
  height?: number;
  /** Total width in columns, labels included (≤ 100 for reports). */
  maxColumns?: number;
}

type Symbols = [string, string, string, string, string, string, string, string, string, string];
const LINE_SYMBOLS: Symbols = ["┼", "┤", "╶", "╴", "─", "╰", "╭", "╮", "╯", "│"];
const MARKERS = ["+", "×", "o", "#", "%", "@", "=", "~"];
const BAND = "·";
const OVERLAP = "*";
const LABEL_WIDTH = 9;
/** Columns left of the plot: the y labels, a space, the axis. */
const LEFT = LABEL_WIDTH + 2;

/** The steps the columns show: the data's own steps when they fit, else evenly spaced on the axis. */
export function columnSteps(steps: readonly number[], columns: number, axis: StepAxis): number[] {
  const first = steps[0];
  const last = steps[steps.length - 1];
  if (axis === "linear" && steps.length <= columns) return [...steps];
  const forward = axis === "symlog" ? (x: number) => Math.sign(x) * Math.log1p(Math.abs(x)) : (x: number) => x;
  const inverse = axis === "symlog" ? (u: number) => Math.sign(u) * Math.expm1(Math.abs(u)) : (u: number) => u;
  const a = forward(first);
  const b = forward(last);
  return Array.from({ length: columns }, (_, c) => (c === columns - 1 ? last : inverse(a + ((b - a) * c) / (columns - 1))));
}

/** Linear interpolation of (steps, values) at `at`, skipping non-finite values; NaN outside the data. */
export function interpolate(steps: readonly number[], values: readonly number[], at: readonly number[]): number[] {
  const xs: number[] = [];
  const ys: number[] = [];
  steps.forEach((s, i) => {
    if (Number.isFinite(values[i])) {
      xs.push(s);
      ys.push(values[i]);
    }
  });
  let k = 0;
  return at.map((x) => {
    if (xs.length === 0 || x < xs[0] || x > xs[xs.length - 1]) return NaN;
    while (k + 1 < xs.length && xs[k + 1] < x) k++;
    while (k > 0 && xs[k] > x) k--;
    if (xs[k] === x || k + 1 >= xs.length) return ys[k];
    const t = (x - xs[k]) / (xs[k + 1] - xs[k]);
    return ys[k] + t * (ys[k + 1] - ys[k]);
  });
}

function formatLabel(value: number, logScale: boolean): string {
  const shown = logScale ? 10 ** value : value;
  const text = Math.abs(shown) >= 1e4 || (Math.abs(shown) < 1e-2 && shown !== 0) ? shown.toExponential(1) : shown.toPrecision(3);
  return text.padStart(LABEL_WIDTH);
}

/** asciichart cannot skip points: carry the last finite value over gaps (the first one before it). */
function fillGaps(ys: readonly number[]): number[] | null {
  const first = ys.find(Number.isFinite);
  if (first === undefined) return null;
  let last = first;
  return ys.map((y) => (Number.isFinite(y) ? (last = y) : last));
}

/** Round numbers for linear x ticks: about one per 12 columns. */
function linearTicks(first: number, last: number, columns: number): number[] {
  const raw = (last - first) / Math.max(1, Math.floor(columns / 12));
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  const stepSize = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(first / stepSize) * stepSize; t <= last + 1e-9; t += stepSize) ticks.push(Math.round(t * 1e9) / 1e9);
  return ticks;
}

/**
 * The tick row ("└──┬───┬…") and the label row under the plot, labels kept apart by a space. The
 * last column is always labelled with the real last step (a 3000-step run once ended at "2000").
 */
function xAxis(shown: readonly number[], axis: StepAxis): string[] {
  const first = shown[0];
  const last = shown[shown.length - 1];
  const width = shown.length - 1;
  const lastText = String(last);
  const lastStart = Math.max(0, width - 1 - Math.floor(lastText.length / 2));
  const round = axis === "symlog" ? symlogTicks(last).filter((t) => t >= first) : linearTicks(first, last, width);
  // the round ticks that leave room for the last step's label, then the last step
  const candidates = [...round.filter((t) => t < last && Math.min(columnOfTick(shown, t), Math.max(0, width - 1)) + String(t).length < lastStart), last];
  const columnOf = (t: number) => columnOfTick(shown, t);
  const rule = Array.from({ length: Math.max(1, width) }, () => "─");
  const labels = Array.from({ length: width + 8 }, () => " ");
  let freeFrom = 0;
  for (const t of candidates) {
    const c = Math.min(columnOf(t), Math.max(0, width - 1));
    const text = String(t);
    const start = Math.max(0, c - Math.floor(text.length / 2));
    if (start < freeFrom || start + text.length > labels.length) continue;
    rule[c] = "┬";
    for (let i = 0; i < text.length; i++) labels[start + i] = text[i];
    freeFrom = start + text.length + 1;
  }
  return [" ".repeat(LEFT - 1) + "└" + rule.join(""), " ".repeat(LEFT) + labels.join("").trimEnd()];
}

/** The column whose step is nearest to `t`. */
function columnOfTick(shown: readonly number[], t: number): number {
  let best = 0;
  for (let c = 1; c < shown.length; c++) if (Math.abs(shown[c] - t) < Math.abs(shown[best] - t)) best = c;
  return best;
}

/** Renders one chart with a title line, the plot, x ticks and a legend; "" when nothing is plottable. */
export function renderChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const logScale = options.logScale ?? false;
  const axis = options.stepAxis ?? "linear";
  const maxColumns = options.maxColumns ?? 100;
  if (options.steps.length === 0) return "";
  const shown = columnSteps(options.steps, maxColumns - LEFT, axis);
  const transform = (y: number): number => (logScale ? (y > 0 ? Math.log10(y) : NaN) : y);
  const at = (values: readonly number[]) => interpolate(options.steps, values.map(transform), shown);
  const lines = series.map((s) => fillGaps(at(s.values)));
  const bands = series.map((s) => (s.band === undefined ? null : { lo: at(s.band.lo), hi: at(s.band.hi) }));
  const finite = [...lines.flatMap((ys) => ys ?? []), ...bands.flatMap((b) => (b === null ? [] : [...b.lo, ...b.hi].filter(Number.isFinite)))];
  if (finite.length === 0) return "";
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (max - min < 1e-9) {
    min -= 0.5;
    max += 0.5;
  }
  const height = options.height ?? 12;
  const config = { min, max, height, format: (y: number) => formatLabel(y, logScale) };
  // The row asciichart puts y on (see its plot()): rows − (round(y · ratio) − round(min · ratio)).
  const ratio = height / (max - min);
  const rows = Math.abs(Math.round(max * ratio) - Math.round(min * ratio));
  const rowOf = (y: number) => rows - (Math.round(y * ratio) - Math.round(min * ratio));

  let grid: string[][] | null = null;
  const owner: number[][] = [];
  const startRows: number[] = [];
  const legend: string[] = [];
  lines.forEach((ys, k) => {
    if (ys === null) return;
    const marker = k === 0 ? null : MARKERS[(k - 1) % MARKERS.length];
    const symbols: Symbols = marker === null ? LINE_SYMBOLS : [LINE_SYMBOLS[0], LINE_SYMBOLS[1], marker, marker, marker, marker, marker, marker, marker, marker];
    const plotted = asciichart.plot(ys, { ...config, symbols }).split("\n").map((line) => Array.from(line));
    legend.push(`${marker === null ? "──" : marker + marker} ${series[k].name}`);
    if (grid === null) {
      // The axis and labels of the first plot, its plot area cleared: bands go in first, lines over them.
      grid = plotted.map((cells) => cells.map((ch, i) => (i < LEFT ? ch : " ")));
      grid.forEach((cells) => owner.push(cells.map(() => -1)));
      bands.forEach((band) => {
        if (band === null) return;
        for (let c = 0; c + 1 < shown.length; c++) {
          if (!Number.isFinite(band.lo[c]) || !Number.isFinite(band.hi[c])) continue;
          for (let r = rowOf(band.hi[c]); r <= rowOf(band.lo[c]); r++) if (grid![r] !== undefined) grid![r][LEFT + c] = BAND;
        }
      });
    }
    plotted.forEach((cells, r) => {
      for (let i = LEFT; i < cells.length; i++) {
        if (cells[i] === " ") continue;
        const mine = owner[r][i];
        grid![r][i] = mine === -1 || mine === k ? cells[i] : OVERLAP;
        owner[r][i] = mine === -1 || mine === k ? k : -2;
      }
    });
    // asciichart marks a series' first value on the axis itself ("┼"), and also a row it takes for
    // zero in its own integer units, which means nothing on a log axis: keep only the first values.
    grid.forEach((cells) => (cells[LEFT - 1] = LINE_SYMBOLS[1]));
    if (ys.length > 0) startRows.push(rowOf(ys[0]));
  });
  for (const r of startRows) if (grid !== null && (grid as string[][])[r] !== undefined) (grid as string[][])[r][LEFT - 1] = LINE_SYMBOLS[0];
  if (bands.some((b) => b !== null)) legend.push(`${BAND}${BAND} 10–90% of seeds`);
  if (owner.some((row) => row.includes(-2))) legend.push(`${OVERLAP} lines overlap`);
  const [rule, ticks] = xAxis(shown, axis);
  const xTitle = axis === "symlog" ? "step (symlog scale: early steps stretched)" : "step";
  return [
    options.title + (logScale ? " (log scale)" : ""),
    ...(grid ?? ([] as string[][])).map((cells) => cells.join("").trimEnd()),
    rule,
    ticks,
    " ".repeat(LEFT) + xTitle,
    `legend: ${legend.join("   ")}`,
  ].join("\n");
}
