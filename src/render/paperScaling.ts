// The paper page's "claim 3 at scale" section (issue 21 item 6): XOR's samples against d, at large d,
// with the hyperparameters scaled with d (study sample-complexity) beside the fixed ones
// (sample-complexity-fixed) up to where they diverge — exponents, local exponents, the d·(ln d)^k fits
// and λ = 1. Every number comes from paper/exponent.ts (the exponents from analysis/scalingExponents.ts).
import type { ScalingAnalysis, ScalingPoint } from "../paper/exponent.js";
import { formatValue } from "./format.js";
import { fittedMarkdownTable } from "./table.js";

/** The analyses of one study: λ = 0 (XOR alone) and λ = 1 (maximal correlation). */
export interface ScalingStudy {
  name: string;
  /** What its hyperparameters are, in words, e.g. "batch = d/8 at lr 0.5 (lr·d/batch = 4 at every d)". */
  rule: string;
  /** A short name for table headers and the figure, e.g. "batch = d/8". */
  label: string;
  xor: ScalingAnalysis;
  maximal: ScalingAnalysis;
}

const link = (name: string) => `[${name}](${name}/report.md)`;
const ci = (e: { estimate: number; lo: number; hi: number }) => `${formatValue(e.estimate)} [${formatValue(e.lo)}, ${formatValue(e.hi)}]`;
const samplesCell = (p: ScalingPoint | undefined) =>
  p === undefined ? "—" : p.diverged > 0 ? `diverged (${p.diverged}/${p.runs})` : p.samples === null ? `> ${formatValue(p.horizonSamples)} (${p.reached}/${p.runs})` : `${formatValue(p.samples)} [${formatValue(p.samplesLo ?? NaN)}, ${p.samplesHi === null ? "∞" : formatValue(p.samplesHi)}] (${p.reached}/${p.runs})`;

/** λ = 1 at one d: how many reached the signal, and the samples each ran as a multiple of λ = 0's median. */
function maximalCell(p: ScalingPoint | undefined, xor: ScalingPoint | undefined): string {
  if (p === undefined) return "—";
  if (p.diverged > 0) return `diverged (${p.diverged}/${p.runs})`;
  const multiple = xor?.samples == null || xor.diverged > 0 ? `${formatValue(p.horizonSamples)} samples` : `${formatValue(p.horizonSamples / xor.samples)}×`;
  return `${p.reached}/${p.runs} (${multiple})`;
}

function exponentLines(s: ScalingStudy): string[] {
  const a = s.xor;
  const lines: string[] = [];
  const whole = a.whole?.exponent ?? null;
  if (whole !== null) lines.push(`- exponent over d = ${a.fitted[0]} … ${a.fitted[a.fitted.length - 1]}: samples ∝ d^**${formatValue(whole.estimate)}** [${formatValue(whole.lo)}, ${formatValue(whole.hi)}]`);
  else if (a.whole !== null) lines.push(`- no exponent over d = ${a.fitted[0]} … ${a.fitted[a.fitted.length - 1]}: ${a.whole.reason}`);
  const upper = a.upperHalf?.exponent ?? null;
  if (upper !== null) lines.push(`- over the upper half, d = ${a.upperHalf!.values[0]} … ${a.upperHalf!.values[a.upperHalf!.values.length - 1]}: d^${ci(upper)}`);
  if (a.whole !== null && a.whole.local.length > 0) lines.push(`- per step of d: ${a.whole.local.map((l) => `${l.from} → ${l.to}: ${ci(l)}`).join("; ")}`);
  const left = a.points.filter((p) => !a.fitted.includes(p.d));
  if (left.length > 0) {
    lines.push(`- left out of the fits: ${left.map((p) => `d = ${p.d} (${p.diverged > 0 ? `${p.diverged}/${p.runs} runs diverged` : "no run reached the signal"})`).join(", ")}`);
  }
  if (a.whole !== null && whole !== null) lines.push(`- refit in R from the study's events.csv: \`${a.whole.formula}\``);
  return lines;
}

function polylogTable(a: ScalingAnalysis): string[] {
  const c = a.polylog;
  if (c === null || c.reason !== null || c.free === null || a.whole?.medianIntercept == null) return [];
  const best = c.fits.reduce((b, f) => (f.logLik > b.logLik ? f : b));
  const minAic = Math.min(c.free.aic, ...c.fits.map((f) => f.aic));
  const rows = c.fits.map((f) => [`d·(ln d)^${f.k}`, formatValue(Math.exp(f.logC)), formatValue(f.logLik), formatValue(f.aic - minAic)]);
  rows.push([`C·d^b (b free, ${formatValue(c.free.exponent)})`, formatValue(Math.exp(a.whole.medianIntercept)), formatValue(c.free.logLik), formatValue(c.free.aic - minAic)]);
  return [
    fittedMarkdownTable(["median samples ≈ C ×", "C", "log-likelihood", "ΔAIC"], rows, { keyColumns: 1 }),
    "",
    `Of d, d·ln d and d·(ln d)², **d·(ln d)^${best.k}** has the highest likelihood over d = ${a.fitted[0]} … ${a.fitted[a.fitted.length - 1]} ` +
      "(the same censored model with the power fixed, one constant fitted each; the free power has one parameter more, which AIC charges: ΔAIC ≥ 2 is worse).",
    "",
  ];
}

/** "d up to D", D the largest d the studies ran ("large d" before they have results). */
export function largestD(studies: readonly ScalingStudy[]): string {
  const ds = studies.flatMap((s) => s.xor.points.map((p) => p.d));
  return ds.length === 0 ? "large d" : `d up to ${Math.max(...ds)}`;
}

/** The section, or a line saying it has no results yet. */
export function scalingSection(scaled: ScalingStudy | undefined, fixed: ScalingStudy | undefined, figure: string[]): string[] {
  const studies = [scaled, fixed].filter((s): s is ScalingStudy => s !== undefined);
  const out = [`### Claim 3 at scale: ${largestD(studies)}`, ""];
  if (studies.length === 0) return [...out, "_No results yet._", ""];
  out.push(
    studies.map((s) => `${link(s.name)}: ${s.rule}`).join("; ") + ". Samples = signal step × batch, Kaplan–Meier medians [95% CI] (reached k/n); " +
      "λ = 1: runs that reached the signal, and the samples each ran as a multiple of λ = 0's median at that d; " +
      "an exponent is the coefficient of ln d in a Weibull accelerated-failure-time model of samples, each run censored at its horizon, with its 95% Wald CI " +
      "(the scaling exponent every study's effects report; the R call that refits it is given); a local exponent is that of one step of d, from the same model with d as levels. " +
      "A d where any run diverged, or where no run reached the signal, is shown as such and left out of every fit (a run that blew up did not learn slowly).",
    "",
    ...figure,
  );
  const ds = [...new Set(studies.flatMap((s) => s.xor.points.map((p) => p.d)))].sort((a, b) => a - b);
  const at = (a: ScalingAnalysis, d: number) => a.points.find((p) => p.d === d);
  const header = ["d", ...studies.flatMap((s) => [`${s.label}: λ = 0 samples`, "λ = 1 reached (run ÷ λ = 0)"])];
  const rows = ds.map((d) => [String(d), ...studies.flatMap((s) => [samplesCell(at(s.xor, d)), maximalCell(at(s.maximal, d), at(s.xor, d))])]);
  out.push(fittedMarkdownTable(header, rows, { keyColumns: 1 }), "");
  for (const s of studies) {
    out.push(`**${s.name}** (${s.label}), λ = 0:`, "", ...exponentLines(s), "", ...polylogTable(s.xor));
    const maximal = s.maximal.points.filter((p) => p.diverged === 0);
    if (maximal.length > 0) {
      const reachedAny = maximal.filter((p) => p.reached > 0);
      out.push(
        `λ = 1: ${reachedAny.length === 0 ? `no run reached the signal at any d (${maximal[0].d} … ${maximal[maximal.length - 1].d})` : `the signal was reached at ${reachedAny.map((p) => `d = ${p.d} (${p.reached}/${p.runs})`).join(", ")}`}, ` +
          "each run over the multiple of λ = 0's samples in the table.",
        "",
      );
    }
  }
  return out;
}
