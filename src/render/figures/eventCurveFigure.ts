// A time-to-event figure: per event, the fraction of runs that reached it by step t (Kaplan–Meier),
// and per gap the same for the fraction of leads that closed by t steps after the first event;
// conditions overlaid (or in panels), with censored runs marked and runs that diverged first marked
// apart where they diverged (they count as never reaching it, see timeToEvent).
import type { TopLevelSpec } from "vega-lite";
import type { TimeToEvent } from "../../analysis/statistics/index.js";
import { gapHorizon, gapOf } from "../../analysis/summary/gaps.js";
import { horizonOf, timeToEvent } from "../../analysis/summary/runs.js";
import type { StudySummary } from "../../analysis/summaryTypes.js";
import type { StepAxisKind } from "../../config/viewOptions.js";
import type { RunRecord } from "../../store/runRecord.js";
import type { ConditionLayout } from "./conditionLayout.js";
import { colourEncoding, placed, recordsByCondition, stepAxisOf } from "./figureLayout.js";
import { kaplanMeierCurve, reachedBy } from "./kaplanMeierCurve.js";
import { stepScale } from "./stepAxis.js";

interface CurveRow {
  condition: string;
  row: string | null;
  column: string | null;
  /** "curve": a step of the Kaplan–Meier curve; "censored": a censoring mark; "diverged": where a run diverged. */
  kind: "curve" | "censored" | "diverged";
  step: number;
  reached: number;
  seed?: number;
}

/** A run that diverged before it reached the event (or closed the gap): where, on the figure's x axis. */
interface DivergedTime {
  time: number;
  seed: number;
}

/** What a time-to-event figure draws per condition: the times from its runs, and the x axis's end. */
export type TimesOf = (runs: readonly RunRecord[]) => { times: TimeToEvent[]; horizon: number; diverged: DivergedTime[] };

/** An event's times, censored at the condition's horizon. */
export const eventTimes = (event: string): TimesOf => (runs) => {
  const horizon = horizonOf(runs);
  const times = runs.map((r) => timeToEvent(r, event, horizon));
  const diverged = runs.flatMap((r, i) => (r.diverged === null || times[i].observed ? [] : [{ time: Math.min(r.diverged, horizon), seed: r.seed }]));
  return { times, horizon, diverged };
};

/** A gap's times (gapOf) over the runs that have it, to its longest follow-up (gapHorizon). */
export const gapTimes = (first: string, second: string): TimesOf => (runs) => {
  const horizon = horizonOf(runs);
  // A lead ≤ 0 (the second event came first) is drawn as closed at 0, where the axis starts.
  const times: TimeToEvent[] = [];
  const diverged: DivergedTime[] = [];
  for (const r of runs) {
    const gap = gapOf(r, first, second, horizon);
    if (gap === null) continue;
    times.push({ time: Math.max(0, gap.time), observed: gap.observed });
    // a lead that never closed because the run diverged: marked at the divergence, steps after the first event
    if (!gap.observed && r.diverged !== null) diverged.push({ time: Math.max(0, r.diverged - (r.events[first] ?? 0)), seed: r.seed });
  }
  return { times, horizon: times.length === 0 ? 0 : gapHorizon(runs, first, horizon), diverged };
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
  text: { title: string; subtitle: string; x: string; y: string; diverged: string; linear?: boolean },
  x: StepAxisKind | undefined,
): TopLevelSpec | null {
  const runs = recordsByCondition(records);
  const curve: CurveRow[] = [];
  let maxStep = 0;
  let firstStep = Infinity;
  summary.conditions.forEach((c, i) => {
    const own = runs(c.condition);
    if (own.length === 0) return;
    const { times, horizon, diverged } = timesOf(own);
    if (times.length === 0) return;
    const km = kaplanMeierCurve(times);
    const at = { condition: layout.colour[i], row: layout.row[i], column: layout.column[i] };
    for (const point of km.points) curve.push({ ...at, kind: "curve", step: point.step, reached: point.reached });
    for (const mark of km.censored) curve.push({ ...at, kind: "censored", step: mark.step, reached: mark.reached });
    for (const run of diverged) curve.push({ ...at, kind: "diverged", step: run.time, reached: reachedBy(km, run.time), seed: run.seed });
    maxStep = Math.max(maxStep, horizon);
    firstStep = Math.min(firstStep, own[0].params.evalEvery);
  });
  if (curve.length === 0) return null;
  // the curve steps at exact event steps; the symlog constant is the evaluation interval, as for trajectories
  const scale = stepScale(maxStep, { kind: text.linear ? "linear" : x, firstStep }, text.x);
  const colour = colourEncoding(layout);
  const xEncoding = { field: "step", type: "quantitative", scale: scale.scale, axis: stepAxisOf(layout, scale) } as const;
  // a faceted panel is too short for the y title (Vega would space the rows by its length): it goes in the subtitle
  const faceted = layout.rowDomain !== null || layout.columnDomain !== null;
  const y = { field: "reached", type: "quantitative" as const, title: faceted ? null : text.y, scale: { domain: [0, 1] } };
  const divergedRuns = curve.some((r) => r.kind === "diverged");
  const title = {
    text: text.title,
    subtitle: [...(faceted ? [`y: ${text.y}`] : []), text.subtitle, ...(divergedRuns ? [`▽ = a run diverged there (${text.diverged})`] : [])],
  };
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
    {
      transform: [{ filter: "datum.kind === 'diverged'" }],
      mark: { type: "point", shape: "triangle-down", size: 80, filled: false, strokeWidth: 1.5 },
      encoding: { x: xEncoding, y, color: colour, tooltip: [{ field: "condition" }, { field: "seed" }, { field: "step", title: "diverged at step" }] },
    },
  ]);
}
