// The paper page's "claim 3 at scale" section (issue 21 item 6): XOR's samples against d up to 4096
// with the hyperparameters scaled with d (study sample-complexity) beside the fixed ones
// (sample-complexity-fixed) up to where they diverge — exponents, local exponents, the d·(ln d)^k fits
// and λ = 1. Every number comes from paper/scaling.ts.
import type { ScalingAnalysis, ScalingPoint } from "../paper/scaling.js";
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
const ci = (e: { value: number; lo: number; hi: number }) => `${formatValue(e.value)} [${formatValue(e.lo)}, ${formatValue(e.hi)}]`;
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
  if (a.whole !== null) {
    lines.push(`- exponent over d = ${a.fitted[0]} … ${a.fitted[a.fitted.length - 1]}: samples ∝ d^**${formatValue(a.whole.value)}** [${formatValue(a.whole.lo)}, ${formatValue(a.whole.hi)}]`);
  }
  if (a.upperHalf !== null) lines.push(`- over the upper half, d = ${a.upperHalf.ds[0]} … ${a.upperHalf.ds[a.upperHalf.ds.length - 1]}: d^${ci(a.upperHalf)}`);
  if (a.local.length > 0) lines.push(`- per step of d: ${a.local.map((l) => `${l.from} → ${l.to}: ${ci(l)}`).join("; ")}`);
  const left = a.points.filter((p) => !a.fitted.includes(p.d));
  if (left.length > 0) {
    lines.push(`- left out of the fits: ${left.map((p) => `d = ${p.d} (${p.diverged > 0 ? `${p.diverged}/${p.runs} runs diverged` : "median not reached within the horizon"})`).join(", ")}`);
  }
  return lines;
}

function polylogTable(a: ScalingAnalysis): string[] {
  if (a.polylog.length === 0) return [];
  const best = a.polylog.reduce((b, f) => (f.rss < b.rss ? f : b));
  const rows = a.polylog.map((f) => [`d·(ln d)^${f.k}`, formatValue(Math.exp(f.lnC)), formatValue(f.rss), `${formatValue(100 * f.bestShare)}%`]);
  const freeRss = a.whole === null ? null : a.points.filter((p) => a.fitted.includes(p.d)).reduce((sum, p) => sum + (Math.log(p.samples as number) - a.whole!.intercept - a.whole!.value * Math.log(p.d)) ** 2, 0);
  if (freeRss !== null) rows.push([`C·d^b (b free, ${formatValue(a.whole!.value)})`, "—", formatValue(freeRss), "—"]);
  return [
    fittedMarkdownTable(["samples ≈ C ×", "C", "residual Σ (ln)²", "fits best in (bootstrap)"], rows, { keyColumns: 1 }),
    "",
    `Of d, d·ln d and d·(ln d)², **d·(ln d)^${best.k}** leaves the smallest residuals of ln samples over d = ${a.fitted[0]} … ${a.fitted[a.fitted.length - 1]} ` +
      `(one constant fitted each; the free power has one parameter more).`,
    "",
  ];
}

/** The section, or a line saying it has no results yet. */
export function scalingSection(scaled: ScalingStudy | undefined, fixed: ScalingStudy | undefined, figure: string[]): string[] {
  const out = ["### Claim 3 at scale: d up to 4096", ""];
  if (scaled === undefined && fixed === undefined) return [...out, "_No results yet._", ""];
  const studies = [scaled, fixed].filter((s): s is ScalingStudy => s !== undefined);
  out.push(
    studies.map((s) => `${link(s.name)}: ${s.rule}`).join("; ") + ". Samples = signal step × batch, Kaplan–Meier medians [95% CI] (reached k/n); " +
      "λ = 1: runs that reached the signal, and the samples each ran as a multiple of λ = 0's median at that d; " +
      "exponents are least-squares slopes of ln(median samples) against ln d with 95% percentile bootstrap CIs over the seeds of each d. " +
      "A d where any run diverged is shown as such and left out of every fit (a run that blew up did not learn slowly).",
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
