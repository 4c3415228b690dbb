// ASCII line charts of trajectories (asciichart), readable without colour: the first series is drawn
// with box lines, every further series with its own marker character, and a legend says which.
import asciichart from "asciichart";

export interface ChartSeries {
  name: string;
  /** y values at `steps` (same length); non-finite values are skipped. */
  values: number[];
}

export interface ChartOptions {
  title: string;
  steps: number[];
  /** Plot log10(y) and label the axis with y; non-positive values are skipped. */
  logScale?: boolean;
  height?: number;
  /** Total width in columns, labels included (≤ 100 for reports). */
  maxColumns?: number;
}

type Symbols = [string, string, string, string, string, string, string, string, string, string];
const LINE_SYMBOLS: Symbols = ["┼", "┤", "╶", "╴", "─", "╰", "╭", "╮", "╯", "│"];
const MARKERS = ["·", "+", "×", "o", "#"];
const LABEL_WIDTH = 9;

/** Evenly spaced indices into n points, at most `max` of them, always keeping the first and last. */
export function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

function formatLabel(value: number, logScale: boolean): string {
  const shown = logScale ? 10 ** value : value;
  const text = Math.abs(shown) >= 1e4 || (Math.abs(shown) < 1e-2 && shown !== 0) ? shown.toExponential(1) : shown.toPrecision(3);
  return text.padStart(LABEL_WIDTH);
}

/** Renders one chart with a title line, the plot and a legend line; "" when nothing is plottable. */
export function renderChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const logScale = options.logScale ?? false;
  const maxColumns = options.maxColumns ?? 100;
  const indices = sampleIndices(options.steps.length, maxColumns - LABEL_WIDTH - 3);
  const transform = (y: number): number => (logScale ? (y > 0 ? Math.log10(y) : NaN) : y);
  // asciichart cannot skip points: carry the last finite value over gaps
  const plotted = series.map((s) => {
    let last = NaN;
    const ys = indices.map((i) => {
      const y = transform(s.values[i]);
      if (Number.isFinite(y)) last = y;
      return last;
    });
    const first = ys.find(Number.isFinite);
    return first === undefined ? null : ys.map((y) => (Number.isFinite(y) ? y : first));
  });
  const finite = plotted.flatMap((ys) => ys ?? []);
  if (finite.length === 0) return "";
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (max - min < 1e-9) {
    min -= 0.5;
    max += 0.5;
  }
  const config = { min, max, height: options.height ?? 12, format: (y: number) => formatLabel(y, logScale) };
  let grid: string[] | null = null;
  const legend: string[] = [];
  plotted.forEach((ys, k) => {
    if (ys === null) return;
    const marker = k === 0 ? null : MARKERS[(k - 1) % MARKERS.length];
    const symbols: Symbols = marker === null ? LINE_SYMBOLS : [LINE_SYMBOLS[0], LINE_SYMBOLS[1], marker, marker, marker, marker, marker, marker, marker, marker];
    const lines = asciichart.plot(ys, { ...config, symbols }).split("\n");
    legend.push(`${marker === null ? "──" : marker + marker} ${series[k].name}`);
    if (grid === null) {
      grid = lines;
      return;
    }
    grid = grid.map((line, row) => overlay(line, lines[row] ?? ""));
  });
  const first = options.steps[0];
  const last = options.steps[options.steps.length - 1];
  const axis = `${" ".repeat(LABEL_WIDTH + 2)}step ${first} … ${last}`;
  return [options.title + (logScale ? " (log scale)" : ""), ...(grid ?? []), axis, `legend: ${legend.join("   ")}`].join("\n");
}

/** Writes the plot characters of `top` (right of its axis) over `base`. */
function overlay(base: string, top: string): string {
  const axisAt = Math.max(top.indexOf("┤"), top.indexOf("┼"));
  const out = Array.from(base);
  const chars = Array.from(top);
  for (let i = axisAt + 1; i < chars.length; i++) if (chars[i] !== " ") out[i] = chars[i];
  return out.join("");
}
