// `events.<name>` of a condition: time-to-event statistics of each event's steps, right-censored at
// the horizon (reached fraction with its Wilson CI, Kaplan–Meier median, restricted mean).
import type { RunRecord } from "../../store/runRecord.js";
import { kaplanMeierMedian, meanInterval, restrictedMean, timesToEvent, wilsonInterval } from "../statistics/index.js";
import type { EventSummary } from "../summaryTypes.js";
import { timeToEvent } from "./runs.js";
import { finiteOrNull } from "./values.js";

export function summarizeEvent(steps: readonly (number | null)[], horizon: number): EventSummary {
  const n = steps.length;
  const reachedSteps = steps.filter((s): s is number => s !== null);
  const { lo: reachedLo, hi: reachedHi } = wilsonInterval(reachedSteps.length, n);
  const data = timesToEvent(steps, horizon);
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
    out[name] = summarizeEvent(records.map((r) => (timeToEvent(r, name, horizon).observed ? r.events[name] : null)), horizon);
  }
  return out;
}
