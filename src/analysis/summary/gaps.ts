// `gap.<first>.<second>` of a condition: the lead of one event over another. Per run, the gap is
// step(second) − step(first) as a time to event that starts at the first event: observed when the
// run reached both, censored at horizon − step(first) when it reached only the first, and absent
// (no gap, counted) when it never reached the first. Summarized with the estimators of `events.*`.
import type { RunRecord } from "../../store/runRecord.js";
import { kaplanMeierMedian, meanInterval, type TimeToEvent } from "../statistics/index.js";
import type { GapSummary } from "../summaryTypes.js";
import { summarizeTimes } from "./events.js";
import { timeToEvent } from "./runs.js";
import { finiteOrNull } from "./values.js";

/** An ordered pair of events, [first, second]: the gap is how long after `first` `second` comes. */
export type GapPair = readonly [first: string, second: string];

/** The gaps of a study whose config names none: spurious → signal, when both are events. */
export function defaultGaps(events: readonly string[]): [string, string][] {
  return events.includes("spurious") && events.includes("signal") ? [["spurious", "signal"]] : [];
}

/**
 * A run's gap from `first` to `second`, both read as events censored at `horizon` (timeToEvent, so a
 * diverged run counts as not reaching what it had not reached): step(second) − step(first) when it
 * reached both (≤ 0 when `second` came no later), censored at horizon − step(first) when it reached
 * only `first`; null (no gap) when it never reached `first`.
 *
 * @example gapOf(run with events { spurious: 40, signal: 130 }, "spurious", "signal", 150) // { time: 90, observed: true }
 */
export function gapOf(record: RunRecord, first: string, second: string, horizon: number): TimeToEvent | null {
  const start = timeToEvent(record, first, horizon);
  if (!start.observed) return null;
  const end = timeToEvent(record, second, horizon);
  return { time: end.time - start.time, observed: end.observed };
}

/**
 * The same gap as a ratio, step(second) / step(first), censored at horizon / step(first): null when
 * there is no gap or either step is 0 (the ratio, or its log, is not finite there).
 *
 * @example gapRatioOf(run with events { spurious: 40, signal: 130 }, "spurious", "signal", 150) // { time: 3.25, observed: true }
 */
export function gapRatioOf(record: RunRecord, first: string, second: string, horizon: number): TimeToEvent | null {
  const start = timeToEvent(record, first, horizon);
  const end = timeToEvent(record, second, horizon);
  if (!start.observed || start.time <= 0 || end.time <= 0) return null;
  return { time: end.time / start.time, observed: end.observed };
}

/**
 * The restriction τ of a gap's restricted mean in a set of runs: the longest follow-up a gap had,
 * horizon − (earliest step of `first`). Beyond τ no run could be followed, so τ is the largest
 * horizon the data speak to; NaN when no run reached `first`.
 */
export function gapHorizon(records: readonly RunRecord[], first: string, horizon: number): number {
  const starts = records.map((r) => timeToEvent(r, first, horizon)).filter((t) => t.observed);
  return starts.length === 0 ? NaN : horizon - Math.min(...starts.map((t) => t.time));
}

/**
 * `gap.<first>.<second>` over a condition's runs (sorted) censored at `horizon`: the time-to-event
 * statistics of the gaps (summarizeTimes, as for events; τ = gapHorizon), the runs with no gap, and
 * the ratio form: the Kaplan–Meier median of step(second)/step(first) with its CI, on the ratio
 * scale (a KM median depends only on the order of the times, so the log scale would change only the
 * midpoint taken where Ŝ sits at ½), and, over the runs that reached both, the geometric mean of the
 * ratio with the t CI of the mean log ratio (a ratio's spread is multiplicative).
 */
export function summarizeGap(records: readonly RunRecord[], first: string, second: string, horizon: number): GapSummary {
  const gaps = records.map((r) => gapOf(r, first, second, horizon)).filter((g): g is TimeToEvent => g !== null);
  const ratios = records.map((r) => gapRatioOf(r, first, second, horizon)).filter((g): g is TimeToEvent => g !== null);
  const ratioMedian = ratios.length > 0 ? kaplanMeierMedian(ratios) : { median: NaN, lo: NaN, hi: NaN };
  const logRatio = meanInterval(ratios.filter((g) => g.observed).map((g) => Math.log(g.time)));
  return {
    ...summarizeTimes(gaps, gaps.length > 0 ? gapHorizon(records, first, horizon) : 0),
    noGap: records.length - gaps.length,
    ratioN: ratios.length,
    ratioMedian: finiteOrNull(ratioMedian.median),
    ratioLo: finiteOrNull(ratioMedian.lo),
    ratioHi: finiteOrNull(ratioMedian.hi),
    ratioGeoMean: finiteOrNull(Math.exp(logRatio.mean)),
    ratioGeoLo: finiteOrNull(Math.exp(logRatio.lo)),
    ratioGeoHi: finiteOrNull(Math.exp(logRatio.hi)),
  };
}

/** Every gap of a condition's runs (sorted), censored at their horizon: first → second → summary. */
export function summarizeGaps(records: readonly RunRecord[], gaps: readonly GapPair[], horizon: number): Record<string, Record<string, GapSummary>> {
  const out: Record<string, Record<string, GapSummary>> = {};
  for (const [first, second] of gaps) (out[first] ??= {})[second] = summarizeGap(records, first, second, horizon);
  return out;
}
