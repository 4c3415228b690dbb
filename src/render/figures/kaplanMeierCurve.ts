// The Kaplan–Meier curve of an event drawn as the fraction of runs that reached it by step t,
// F(t) = 1 − Ŝ(t) (Ŝ from analysis/statistics' kaplanMeier), with the censoring steps to mark.
import { kaplanMeier, type TimeToEvent } from "../../analysis/statistics/index.js";

export interface KaplanMeierCurve {
  /** (step, F(step)) at 0, at each event step, and at the last step seen: draw with step-after. */
  points: { step: number; reached: number }[];
  /** Censoring steps with F there and how many runs were censored at that step. */
  censored: { step: number; reached: number; count: number }[];
}

export function kaplanMeierCurve(times: readonly TimeToEvent[]): KaplanMeierCurve {
  const curve = kaplanMeier(times);
  const reachedBy = (step: number) => 1 - (curve.filter((p) => p.time <= step).at(-1)?.survival ?? 1);
  const points = curve.map((p) => ({ step: p.time, reached: 1 - p.survival }));
  if (points.length === 0 || points[0].step > 0) points.unshift({ step: 0, reached: 0 });
  const last = Math.max(0, ...times.map((t) => t.time));
  if (points[points.length - 1].step < last) points.push({ step: last, reached: reachedBy(last) });
  const counts = new Map<number, number>();
  for (const t of times) if (!t.observed) counts.set(t.time, (counts.get(t.time) ?? 0) + 1);
  const censored = [...counts].sort((a, b) => a[0] - b[0]).map(([step, count]) => ({ step, reached: reachedBy(step), count }));
  return { points, censored };
}

/** F(step) of a drawn curve: the fraction reached by `step` (the curve is a step function, drawn step-after). */
export function reachedBy(curve: KaplanMeierCurve, step: number): number {
  return curve.points.filter((p) => p.step <= step).at(-1)?.reached ?? 0;
}
