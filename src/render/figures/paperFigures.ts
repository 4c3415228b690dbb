// The figures of the paper page (issue 13), one per claim, from the studies' summaries:
// 1. ln massSpurious / ln massSignal over phase 1 with the fitted rates as lines;
// 2. the signal step against λ with its 95% CI;
// 3. XOR's samples to learn (signal step × batch at λ = 0) against d, log-log, with the fitted exponent;
// 4. the final coefSpurious and coefSignal against λ with their 95% CIs.
import type { ScalingAnalysis } from "../../paper/exponent.js";
import type { TopLevelSpec } from "vega-lite";
import type { StudySummary } from "../../analysis/summary.js";
import { formatValue } from "../format.js";
import type { Figure } from "./studyFigures.js";
import { colourRange, dashRange } from "./palette.js";
import { renderSvg } from "./vegaSvg.js";

const WIDTH = 500;
const HEIGHT = 280;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** A study's summary with the batch and horizon of its runs. */
export interface PaperSummary {
  summary: StudySummary;
  batch: number;
  steps: number;
}

/** The fitted growth of samples to learn XOR with d: samples ∝ d^slope. */
export interface ExponentFit {
  slope: number;
  /** ln of the fitted median step at d = 1: the fitted medians are exp(intercept)·d^slope steps. */
  intercept: number;
  lo: number;
  hi: number;
}

const lambdaOf = (condition: Record<string, unknown>) => Number(condition.lambda);

/** Phase 1: per λ, ln of the median masses up to the median spurious step, and lines with the mean fitted rates. */
export function phaseOneSpec(study: PaperSummary): TopLevelSpec | null {
  const rows: { lambda: string; metric: string; step: number; lnMass: number; kind: string }[] = [];
  const labels: string[] = [];
  for (const c of study.summary.conditions) {
    const label = `λ = ${c.condition.lambda}`;
    const end = c.events.spurious?.medianStep ?? null;
    if (end === null) continue;
    labels.push(label);
    for (const [metric, rate] of [["massSpurious", "spuriousRate"], ["massSignal", "signalRate"]] as const) {
      const band = c.trajectories[metric];
      if (band === undefined) continue;
      const points = band.steps.map((step, i) => ({ step, lnMass: Math.log(band.median[i]) })).filter((p) => p.step <= end && Number.isFinite(p.lnMass));
      for (const p of points) rows.push({ lambda: label, metric: `ln ${metric}`, step: p.step, lnMass: p.lnMass, kind: "median across seeds" });
      const slope = c.rates[rate]?.mean ?? null;
      if (slope === null || points.length < 2) continue;
      // the line with the mean fitted slope through the centroid of the median curve (its least-squares intercept)
      const meanStep = points.reduce((s, p) => s + p.step, 0) / points.length;
      const meanLn = points.reduce((s, p) => s + p.lnMass, 0) / points.length;
      for (const step of [0, end]) rows.push({ lambda: label, metric: `ln ${metric}`, step, lnMass: meanLn + slope * (step - meanStep), kind: `fit: ${formatValue(slope)}/step` });
    }
  }
  if (rows.length === 0) return null;
  const colour = { field: "lambda", type: "nominal" as const, title: "condition", scale: { domain: labels, range: colourRange(labels) } };
  const x = { field: "step", type: "quantitative" as const, title: "step (phase 1: 0 → median spurious step)" };
  const values = rows.map((r) => r.lnMass);
  const margin = 0.05 * (Math.max(...values) - Math.min(...values) || 1);
  const y = { field: "lnMass", type: "quantitative" as const, title: "ln mass", scale: { domain: [Math.min(...values) - margin, Math.max(...values) + margin], nice: false } };
  return {
    $schema: SCHEMA,
    title: { text: "Claim 1: the spurious mass grows exponentially in phase 1", subtitle: "solid: ln massSpurious, dashed: ln massSignal; thin: mean fitted rate" },
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'median across seeds'" }],
        mark: { type: "line", strokeWidth: 2.5, clip: true },
        encoding: { x, y, color: colour, strokeDash: { field: "metric", type: "nominal", title: "metric", scale: { domain: ["ln massSpurious", "ln massSignal"], range: dashRange(["a", "b"]) } } },
      },
      {
        transform: [{ filter: "datum.kind !== 'median across seeds'" }],
        mark: { type: "line", strokeWidth: 1, opacity: 0.8, clip: true },
        encoding: { x, y, color: colour, detail: { field: "metric" } },
      },
    ],
  };
}

interface IntervalRow {
  series: string;
  x: number;
  y: number;
  lo: number;
  hi: number;
  /** The upper bound is not finite (not bounded within the horizon): drawn up to the horizon. */
  open: boolean;
}

function intervalSpec(rows: IntervalRow[], opts: { title: string; subtitle: string; xTitle: string; yTitle: string; logX?: boolean; logY?: boolean; fit?: { x: number; y: number }[]; fitLabel?: string }): TopLevelSpec {
  const series = [...new Set(rows.map((r) => r.series))];
  const colour = { field: "series", type: "nominal" as const, title: null, scale: { domain: [...series, ...(opts.fitLabel ? [opts.fitLabel] : [])], range: colourRange([...series, "fit"]) }, legend: { orient: "bottom" as const, columns: 1, labelLimit: 420 } };
  // a log axis spans the data with a margin of a factor 1.25 (Vega would round it out to decades)
  const logDomain = (values: number[]): [number, number] => [Math.min(...values) / 1.25, Math.max(...values) * 1.25];
  const xScale = opts.logX ? { type: "log" as const, domain: logDomain(rows.map((r) => r.x)), nice: false } : { zero: false, nice: false, padding: 12 };
  const yScale = opts.logY ? { type: "log" as const, domain: logDomain(rows.flatMap((r) => [r.lo, r.hi])), nice: false } : { zero: false };
  const anyOpen = rows.some((r) => r.open);
  const x = { field: "x", type: "quantitative" as const, title: opts.xTitle, scale: xScale };
  return {
    $schema: SCHEMA,
    title: { text: opts.title, subtitle: opts.subtitle },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      { data: { values: rows }, mark: { type: "rule", strokeWidth: 1.5 }, encoding: { x, y: { field: "lo", type: "quantitative", title: opts.yTitle, scale: yScale }, y2: { field: "hi" }, color: colour } },
      { data: { values: rows }, mark: { type: "line", strokeWidth: 1, opacity: 0.5 }, encoding: { x, y: { field: "y", type: "quantitative", scale: yScale }, color: colour } },
      {
        data: { values: rows },
        mark: { type: "point", filled: true, size: 60 },
        encoding: { x, y: { field: "y", type: "quantitative", scale: yScale }, color: colour, shape: { field: "open", type: "nominal", title: null, scale: { domain: [false, true], range: ["circle", "triangle-up"] }, legend: anyOpen ? { orient: "bottom", labelExpr: "datum.value ? 'CI open above' : 'CI closed'" } : null } },
      },
      ...(opts.fit === undefined
        ? []
        : [{ data: { values: opts.fit.map((p) => ({ ...p, series: opts.fitLabel })) }, mark: { type: "line" as const, strokeDash: [6, 3], strokeWidth: 1.5 }, encoding: { x, y: { field: "y", type: "quantitative" as const, scale: yScale }, color: colour } }]),
    ],
  };
}

/** Claim 2: KM median signal step against λ, one series per study. */
export function signalStepSpec(studies: readonly { label: string; study: PaperSummary }[]): TopLevelSpec | null {
  const rows: IntervalRow[] = [];
  for (const { label, study } of studies) {
    for (const c of study.summary.conditions) {
      const e = c.events.signal;
      if (e === undefined || e.medianStep === null) continue;
      rows.push({ series: label, x: lambdaOf(c.condition), y: e.medianStep, lo: e.medianLo ?? e.medianStep, hi: e.medianHi ?? study.steps, open: e.medianHi === null });
    }
  }
  if (rows.length === 0) return null;
  return intervalSpec(rows, {
    title: "Claim 2: a stronger correlation delays the XOR signal",
    subtitle: "Kaplan–Meier median step of wga ≥ 0.9 with its 95% CI",
    xTitle: "spurious correlation λ",
    yTitle: "signal step (steps)",
  });
}

/** Claim 3: samples to learn XOR alone (λ = 0) against d, log-log, with the fitted power law. */
export function sampleComplexitySpec(study: PaperSummary, fit: ExponentFit | null): TopLevelSpec | null {
  const rows: IntervalRow[] = [];
  for (const c of study.summary.conditions) {
    if (lambdaOf(c.condition) !== 0) continue;
    const e = c.events.signal;
    if (e === undefined || e.medianStep === null) continue;
    const b = study.batch;
    rows.push({ series: "λ = 0: median [95% CI]", x: Number(c.condition.d), y: e.medianStep * b, lo: (e.medianLo ?? e.medianStep) * b, hi: (e.medianHi ?? study.steps) * b, open: e.medianHi === null });
  }
  if (rows.length === 0) return null;
  const ds = rows.map((r) => r.x);
  const fitLine = fit === null ? undefined : [Math.min(...ds), Math.max(...ds)].map((d) => ({ x: d, y: Math.exp(fit.intercept) * d ** fit.slope * study.batch }));
  return intervalSpec(rows, {
    title: "Claim 3: samples XOR alone needs grow with d",
    subtitle: fit === null ? "samples = signal step × batch" : `samples = signal step × batch; fitted exponent ${formatValue(fit.slope)} [${formatValue(fit.lo)}, ${formatValue(fit.hi)}]`,
    xTitle: "input dimension d (log scale)",
    yTitle: "samples to learn XOR (log scale)",
    logX: true,
    logY: true,
    fit: fitLine,
    fitLabel: fit === null ? undefined : `fit ∝ d^${formatValue(fit.slope)}`,
  });
}

/** Claim 3 at scale: median samples to learn XOR against d, one series per study, with the scaled study's fitted exponent. */
export function sampleScalingSpec(series: readonly { label: string; analysis: ScalingAnalysis }[]): TopLevelSpec | null {
  const rows: IntervalRow[] = series.flatMap(({ label, analysis }) =>
    analysis.points
      .filter((p) => p.samples !== null && p.diverged === 0)
      .map((p) => ({ series: label, x: p.d, y: p.samples as number, lo: p.samplesLo ?? (p.samples as number), hi: p.samplesHi ?? p.horizonSamples, open: p.samplesHi === null })),
  );
  if (rows.length === 0) return null;
  const first = series[0].analysis;
  const whole = first.whole?.exponent != null && first.whole.medianIntercept !== null ? { b: first.whole.exponent.estimate, lnC: first.whole.medianIntercept } : null;
  // the fitted median samples, exp(lnC)·d^b
  const fit = whole === null ? undefined : [first.fitted[0], first.fitted[first.fitted.length - 1]].map((d) => ({ x: d, y: Math.exp(whole.lnC) * d ** whole.b }));
  return intervalSpec(rows, {
    title: "Claim 3 at scale: samples XOR alone needs against d",
    subtitle: "samples = signal step × batch, Kaplan–Meier median [95% CI]; a d where a run diverged is left out",
    xTitle: "input dimension d (log scale)",
    yTitle: "samples to learn XOR (log scale)",
    logX: true,
    logY: true,
    fit,
    fitLabel: whole === null ? undefined : `${series[0].label}: fit ∝ d^${formatValue(whole.b)}`,
  });
}

/** Claim 4: final coefSpurious and coefSignal against λ, per study (its horizon in the label). */
export function finalCoefficientsSpec(studies: readonly { label: string; study: PaperSummary }[]): TopLevelSpec | null {
  const rows: IntervalRow[] = [];
  for (const { label, study } of studies) {
    for (const c of study.summary.conditions) {
      for (const metric of ["coefSpurious", "coefSignal"]) {
        const v = c.final[metric];
        if (v === undefined || v.mean === null) continue;
        rows.push({ series: `${metric}, ${label}`, x: lambdaOf(c.condition), y: v.mean, lo: v.lo ?? v.mean, hi: v.hi ?? v.mean, open: false });
      }
    }
  }
  if (rows.length === 0) return null;
  return intervalSpec(rows, {
    title: "Claim 4: the shortcut is learned and not forgotten",
    subtitle: "final Fourier coefficients, mean over seeds with 95% t CIs",
    xTitle: "spurious correlation λ",
    yTitle: "final coefficient of f",
  });
}

/**
 * Renders the specs that have data, as figures named paper-claim<k>.svg for a claim k and
 * paper-<study>.svg for a companion study, each with the key the page finds it by.
 */
export async function paperFigures(specs: readonly { key: number | string; title: string; spec: TopLevelSpec | null }[]): Promise<(Figure & { key: number | string })[]> {
  const figures: (Figure & { key: number | string })[] = [];
  for (const { key, title, spec } of specs) {
    if (spec !== null) figures.push({ key, file: typeof key === "number" ? `paper-claim${key}.svg` : `paper-${key}.svg`, title, svg: await renderSvg(spec), spec });
  }
  return figures;
}
