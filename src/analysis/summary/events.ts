// `events.<name>` of a condition: time-to-event statistics of each event's steps, right-censored at
// the horizon (reached fraction with its Wilson CI, Kaplan–Meier median, restricted mean).
import type { RunRecord } from "../../store/runRecord.js";
import { kaplanMeierMedian, meanInterval, restrictedMean, timesToEvent, wilsonInterval, type TimeToEvent } from "../statistics/index.js";
import type { EventSummary } from "../summaryTypes.js";
import { timeToEvent } from "./runs.js";
import { finiteOrNull } from "./values.js";

/** An event's steps (null: not reached) censored at `horizon`: summarizeTimes to that horizon. */
export function summarizeEvent(steps: readonly (number | null)[], horizon: number): EventSummary {
  return summarizeTimes(timesToEvent(steps, horizon), horizon);
}

/**
 * Times to event, each observed or censored (at the horizon for an event, at its own follow-up for a
 * gap): reached k/n with a Wilson CI, the Kaplan–Meier median with its CI, the restricted mean to
 * `horizon` τ, and the mean and sd of the times observed. The one home of these estimators.
 */
export function summarizeTimes(data: readonly TimeToEvent[], horizon: number): EventSummary {
  const n = data.length;
  const reachedSteps = data.filter((t) => t.observed).map((t) => t.time);
  const { lo: reachedLo, hi: reachedHi } = wilsonInterval(reachedSteps.length, n);
  const km = kaplanMeierMedian(data);
  const rmst = restrictedMean(data, horizon);
  const reached = meanInterval(reachedSteps);
  return {
    n,
    reached: reachedSteps.length,
    reachedFraction: n > 0 ? reachedSteps.length / n : 0,
    reachedLo,
    reachedHi,
    medianStep: finiteOrNull(km.median),
    medianLo: finiteOrNull(km.lo),
    medianHi: finiteOrNull(km.hi),
    horizon,
    rmst: finiteOrNull(rmst.rmst),
    rmstLo: finiteOrNull(rmst.lo),
    rmstHi: finiteOrNull(rmst.hi),
    meanStep: finiteOrNull(reached.mean),
    sdStep: finiteOrNull(reached.sd),
  };
}

/** Every event of a condition's runs (sorted), censored at their horizon. */
export function summarizeEvents(records: readonly RunRecord[], events: readonly string[], horizon: number): Record<string, EventSummary> {
  const out: Record<string, EventSummary> = {};
  for (const name of events) {
    out[name] = summarizeTimes(records.map((r) => timeToEvent(r, name, horizon)), horizon);
  }
  return out;
}
