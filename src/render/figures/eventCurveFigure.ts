// A time-to-event figure: per event, the fraction of runs that reached it by step t (Kaplan–Meier),
// and per gap the same for the fraction of leads that closed by t steps after the first event;
// conditions overlaid (or in panels), with censored runs marked.
import type { TopLevelSpec } from "vega-lite";
import type { TimeToEvent } from "../../analysis/statistics/index.js";
import { gapHorizon, gapOf } from "../../analysis/summary/gaps.js";
import { horizonOf, timeToEvent } from "../../analysis/summary/runs.js";
import type { StudySummary } from "../../analysis/summaryTypes.js";
import type { StepAxisKind } from "../../config/viewOptions.js";
import type { RunRecord } from "../../store/runRecord.js";
import type { ConditionLayout } from "./conditionLayout.js";
import { colourEncoding, placed, recordsByCondition } from "./figureLayout.js";
import { kaplanMeierCurve } from "./kaplanMeierCurve.js";
import { stepScale } from "./stepAxis.js";

interface CurveRow {
  condition: string;
  row: string | null;
  column: string | null;
  /** "curve": a step of the Kaplan–Meier curve; "censored": a censoring mark. */
  kind: "curve" | "censored";
  step: number;
  reached: number;
}

/** What a time-to-event figure draws per condition: the times from its runs, and the x axis's end. */
export type TimesOf = (runs: readonly RunRecord[]) => { times: TimeToEvent[]; horizon: number };

/** An event's times, censored at the condition's horizon. */
export const eventTimes = (event: string): TimesOf => (runs) => {
  const horizon = horizonOf(runs);
  return { times: runs.map((r) => timeToEvent(r, event, horizon)), horizon };
};

/** A gap's times (gapOf) over the runs that have it, to its longest follow-up (gapHorizon). */
export const gapTimes = (first: string, second: string): TimesOf => (runs) => {
  const horizon = horizonOf(runs);
  // A lead ≤ 0 (the second event came first) is drawn as closed at 0, where the axis starts.
  const times = runs.flatMap((r) => {
    const gap = gapOf(r, first, second, horizon);
    return gap === null ? [] : [{ time: Math.max(0, gap.time), observed: gap.observed }];
  });
  return { times, horizon: times.length === 0 ? 0 : gapHorizon(runs, first, horizon) };
};

/**
 * The spec of one time-to-event figure (an event or a gap); null without times. `x` is the step
 * axis asked for; `text.linear` keeps a gap's axis linear whatever is asked (a lead spans the middle
 * of a run, not its first steps, which a symlog axis stretches).
 */
export function timeToEventSpec(
  summary: StudySummary,
  records: readonly RunRecord[],
  layout: ConditionLayout,
  timesOf: TimesOf,
  text: { title: string; subtitle: string; x: string; y: string; linear?: boolean },
  x: StepAxisKind | undefined,
): TopLevelSpec | null {
  const runs = recordsByCondition(records);
  const curve: CurveRow[] = [];
  let maxStep = 0;
  let firstStep = Infinity;
  summary.conditions.forEach((c, i) => {
    const own = runs(c.condition);
    if (own.length === 0) return;
    const { times, horizon } = timesOf(own);
    if (times.length === 0) return;
    const km = kaplanMeierCurve(times);
    const at = { condition: layout.colour[i], row: layout.row[i], column: layout.column[i] };
    for (const point of km.points) curve.push({ ...at, kind: "curve", step: point.step, reached: point.reached });
    for (const mark of km.censored) curve.push({ ...at, kind: "censored", step: mark.step, reached: mark.reached });
    maxStep = Math.max(maxStep, horizon);
    firstStep = Math.min(firstStep, own[0].params.evalEvery);
  });
  if (curve.length === 0) return null;
  // the curve steps at exact event steps; the symlog constant is the evaluation interval, as for trajectories
  const scale = stepScale(maxStep, { kind: text.linear ? "linear" : x, firstStep }, text.x);
  const colour = colourEncoding(layout);
  const xEncoding = { field: "step", type: "quantitative", scale: scale.scale, axis: scale.axis } as const;
  const y = { field: "reached", type: "quantitative" as const, title: text.y, scale: { domain: [0, 1] } };
  const title = { text: text.title, subtitle: text.subtitle };
  const shown = scale.kind === "log" ? curve.filter((r) => r.step > 0) : curve;
  return placed(layout, { title, data: { values: shown } }, [
    {
      transform: [{ filter: "datum.kind === 'curve'" }],
      mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
      encoding: { x: xEncoding, y, color: colour, tooltip: [{ field: "condition" }, { field: "step" }, { field: "reached", format: ".2f" }] },
    },
    {
      transform: [{ filter: "datum.kind === 'censored'" }],
      mark: { type: "point", shape: "cross", size: 90, filled: true, angle: 45 },
      encoding: { x: xEncoding, y, color: colour },
    },
  ]);
}
