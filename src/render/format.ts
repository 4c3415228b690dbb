// The one number formatter of reports, tables and the paper page: metric values to 3 significant
// digits, event steps with ∞ for "not reached", means with their CIs, p-values, times, grid values
// and condition labels.
import { VARIANT_KEY } from "../config/studyConfig.js";
import type { EventSummary, InfiniteSigns, PairedComparison, ValueSummary } from "../analysis/summaryTypes.js";
import { hasBoundMassInterval } from "../analysis/summaryPathValues.js";
import type { EventSpec } from "../kernel/events.js";

/**
 * From this magnitude up a number is written with an exponent: whole numbers below it are written out
 * (123457: more digits than 3, but no exponent for readers), a blown-up loss of 3.79e+26 is not 27 digits.
 */
export const EXPONENT_FROM = 1e6;

/** x to `digits` significant digits with an exponent, trailing zeros dropped: 3.79e+26, 1e+6, 1.23e-5. */
export function scientific(x: number, digits = 3): string {
  return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
}

/** A metric value to 3 significant digits, compactly (0.9, 0.123, 12.3, 1234, 1.23e-5, 3.79e+26); "—" for none. */
export function formatValue(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude >= EXPONENT_FROM || magnitude < 0.001) return scientific(x);
  if (magnitude >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** A step: integers as they are; a median between two steps keeps its .5. */
export function formatStep(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/**
 * An event-step field of an EventSummary. summarizeEvent writes null only for an infinite value
 * (censored runs count as +∞) or when there are no runs at all, so with n > 0 a null is ∞.
 */
export function formatEventStep(x: number | null, n: number): string {
  if (x !== null) return formatStep(x);
  return n > 0 ? "∞" : "—";
}

/**
 * Why an event's interval has no width (or no lower limit), or null: every run reached the event at
 * one step (the Kaplan–Meier curve falls from 1 to 0 there: its bands are undefined, and the
 * restricted mean is that step), or none did (the restricted mean is the horizon τ).
 */
function eventDegenerateReason(e: EventSummary): string | null {
  if (e.n === 0) return null;
  if (e.reached === 0) return `0/${e.n} reached: RMST = τ`;
  if (e.reached === e.n && e.sdStep === 0 && e.meanStep !== null) return `all ${e.n} runs reached at step ${formatStep(e.meanStep)}`;
  return null;
}

/**
 * "120 [100, 150]": Kaplan–Meier median event step with its Brookmeyer–Crowley 95% CI; "250 (all 10
 * runs reached at step 250)" when the curve fell from 1 to 0 at one step and has no CI; a lower limit
 * that does not exist below a finite median (the curve fell from above ½ straight to 0) is "—".
 */
export function formatEventMedian(e: EventSummary): string {
  if (e.n === 0) return "—";
  const median = formatEventStep(e.medianStep, e.n);
  const reason = eventDegenerateReason(e);
  if (reason !== null && e.reached === e.n) return `${median} (${reason})`;
  const lo = e.medianLo === null && e.medianStep !== null ? "—" : formatEventStep(e.medianLo, e.n);
  return `${median} [${lo}, ${formatEventStep(e.medianHi, e.n)}]`;
}

/** "436 [210, 662]": the restricted mean time to event with its 95% t CI, or with the reason it has no width. */
export function formatRestrictedMean(e: EventSummary): string {
  if (e.rmst === null) return "—";
  const reason = e.rmstLo !== null && e.rmstLo === e.rmstHi ? eventDegenerateReason(e) : null;
  if (reason !== null) return `${formatValue(e.rmst)} (${reason})`;
  return `${formatValue(e.rmst)} [${formatValue(e.rmstLo)}, ${formatValue(e.rmstHi)}]`;
}

/** Below this many values a Student t CI leans on normality: such cells are marked with SMALL_SAMPLE_MARK. */
export const SMALL_SAMPLE = 10;
const SMALL_SAMPLE_MARK = "†";
export const SMALL_SAMPLE_NOTE =
  `${SMALL_SAMPLE_MARK} fewer than ${SMALL_SAMPLE} values: the Student t interval assumes near-normal values and is wide; read it with care.`;

/**
 * "0.912 [0.9, 0.93]": mean with its 95% Student t CI (on the logit or log scale of a bounded metric),
 * marked † when n < 10; "0.5 (constant across 10 runs)" when every run had the same value (sd 0: the
 * interval would be the point); "1 [0.692, 1] (all 10 runs at 1)" when that value is a bound of the
 * metric's range (the interval of boundMassInterval).
 */
export function formatMeanCI(v: ValueSummary | undefined): string {
  if (v === undefined || v.mean === null) return "—";
  if (hasBoundMassInterval(v)) {
    return `${formatValue(v.mean)} [${formatValue(v.lo)}, ${formatValue(v.hi)}] (all ${v.n} runs at ${formatValue(v.mean)})`;
  }
  if (v.n >= 2 && v.sd === 0) return `${formatValue(v.mean)} (constant across ${v.n} runs)`;
  const mark = v.n < SMALL_SAMPLE ? SMALL_SAMPLE_MARK : "";
  return `${formatValue(v.mean)} [${formatValue(v.lo)}, ${formatValue(v.hi)}]${mark}`;
}

/** "0.0123 (0.049)": a raw p-value and its Holm-adjusted value; both "<…" when p is a bound (see formatPValue). */
export function formatPHolm(p: number | null, holm: number | null, bound = false): string {
  return `${formatPValue(p, bound)} (${formatPValue(holm, bound)})`;
}

/**
 * A p-value: "<0.001" below 0.001; "<1e-4" for a bound, the floor of a Monte Carlo permutation test
 * that no random relabelling reached (Comparison.pValueBound), which is no estimate of the p-value.
 */
export function formatPValue(p: number | null, bound = false): string {
  if (p === null || Number.isNaN(p)) return "—";
  if (bound) return `<${formatValue(p)}`;
  return p < 0.001 ? "<0.001" : formatValue(p);
}

/**
 * Why a difference's interval is the point, or null: the paired t over seeds that all differ by the
 * same amount, or Welch's between two conditions each constant across its runs. Its t has no spread,
 * so its CI and p (0 or 1) say nothing.
 */
export function differenceDegenerateReason(d: { diff: number; lo: number | null; hi: number | null }, paired: boolean): string | null {
  if (d.lo === null || d.lo !== d.hi) return null;
  return paired ? `every seed: ${formatValue(d.diff)}` : "both constant";
}

/** "−0.3 [−0.5, −0.1]": a difference of means with its 95% CI, or with the reason it has none. */
export function formatDifferenceCI(d: { diff: number; lo: number | null; hi: number | null }, paired: boolean): string {
  const reason = differenceDegenerateReason(d, paired);
  if (reason !== null) return `${formatValue(d.diff)} (${reason})`;
  return `${formatValue(d.diff)} [${formatValue(d.lo)}, ${formatValue(d.hi)}]`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** steps/s for humans: whole numbers from 100 up (with an exponent from EXPONENT_FROM), three significant digits below. */
export function formatRate(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= EXPONENT_FROM) return scientific(x);
  return Math.abs(x) >= 100 ? String(Math.round(x)) : x.toPrecision(3);
}

/** A fraction as a percentage: formatPercent(0.0512) → "5%", formatPercent(0.0512, 1) → "5.1%". */
export function formatPercent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatInteger(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}

/** A grid or param value as written in a config; a variant (an object of keys) as "key=value, …", "(base)" when empty. */
export function formatParam(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? "(base)" : entries.map(([key, v]) => `${key}=${formatParam(v)}`).join(", ");
  }
  return JSON.stringify(value) ?? String(value);
}

/**
 * "lambda=0.5, width=64", or "(base)" for the single condition of a study without a grid. A variant's
 * keys are listed as if they were grid keys ("lambda=0.5, activation=leaky"); the empty variant adds nothing.
 */
export function conditionLabel(condition: Record<string, unknown>): string {
  const parts = Object.entries(condition).flatMap(([key, value]) => {
    if (key === VARIANT_KEY && typeof value === "object" && value !== null) {
      return Object.entries(value).map(([k, v]) => `${k}=${formatParam(v)}`);
    }
    return [`${key}=${formatParam(value)}`];
  });
  return parts.length === 0 ? "(base)" : parts.join(", ");
}

/** A CI bound of a comparison; null is infinite, its sign from `infinite`, else read from the other bound or from Δ. */
function formatDiffBound(bound: number | null, other: number | null, which: "lo" | "hi", diffSign: number, infinite?: InfiniteSigns): string {
  if (bound !== null) return formatStep(bound);
  const sign = infinite?.[which];
  if (sign !== undefined) return sign < 0 ? "-∞" : "+∞";
  if (other !== null) return which === "lo" ? "-∞" : "+∞";
  return diffSign < 0 ? "-∞" : "+∞";
}

/**
 * "1.5 [0, 3]": the seed-paired median difference of event steps with its CI, ± ∞ spelled out; with
 * no pairs "—". A CI with no width says why instead: "0 (every seed tied)", or "-5 (the middle seeds
 * all: -5)" (the order statistics the CI is read from coincide).
 */
export function formatPairedDiff(p: PairedComparison): string {
  if (p.pairs === 0) return "—";
  if (p.tied === p.pairs) return "0 (every seed tied)";
  const diffSign = p.infinite?.diff ?? Math.sign(p.diff ?? 0);
  const d = p.diff !== null ? formatStep(p.diff) : diffSign < 0 ? "-∞" : "+∞";
  const lo = formatDiffBound(p.lo, p.hi, "lo", diffSign, p.infinite);
  const hi = formatDiffBound(p.hi, p.lo, "hi", diffSign, p.infinite);
  if (lo === d && hi === d) return `${d} (the middle seeds all: ${d})`;
  return `${d} [${lo}, ${hi}]`;
}

/** "1 run", "3 runs": a count and its noun, plural unless the count is 1. */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** A difference in steps that may be null = ±∞ (its sign from `sign`). */
export function formatSignedStep(x: number | null, sign: number): string {
  if (x !== null) return formatStep(x);
  return sign < 0 ? "-∞" : "+∞";
}

/** "spurious = first step with spuriousGap >= 0.5, signal = first step with wga >= 0.9" */
export function describeEvents(events: Readonly<Record<string, EventSpec>>): string {
  return Object.entries(events).map(([name, spec]) => `${name} = first step with ${spec.metric} ${spec.op} ${spec.value}`).join(", ");
}
