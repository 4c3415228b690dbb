// The Kaplan–Meier curve of an event, drawn as the fraction of runs that reached it by step t.
// F(t) = 1 − Π_{t_i ≤ t} (1 − d_i / n_i): d_i runs reach the event at step t_i, n_i are still at
// risk there (not yet reached, not censored before t_i; a run censored at t_i counts as at risk).

export interface EventTime {
  /** The event's step, or the step the run was censored at (its divergence or its horizon). */
  step: number;
  reached: boolean;
}

export interface KaplanMeierCurve {
  /** (step, F(step)) at 0, at each event step, and at the last step seen: draw with step-after. */
  points: { step: number; reached: number }[];
  /** Censoring steps with F there and how many runs were censored at that step. */
  censored: { step: number; reached: number; count: number }[];
}

export function kaplanMeierCurve(times: readonly EventTime[]): KaplanMeierCurve {
  const steps = [...new Set(times.map((t) => t.step))].sort((a, b) => a - b);
  let survival = 1;
  let atRisk = times.length;
  const points: KaplanMeierCurve["points"] = [];
  const censored: KaplanMeierCurve["censored"] = [];
  if (steps.length === 0 || steps[0] > 0) points.push({ step: 0, reached: 0 });
  for (const step of steps) {
    const here = times.filter((t) => t.step === step);
    const events = here.filter((t) => t.reached).length;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      points.push({ step, reached: 1 - survival });
    }
    const cens = here.length - events;
    if (cens > 0) censored.push({ step, reached: 1 - survival, count: cens });
    atRisk -= here.length;
  }
  const last = steps[steps.length - 1] ?? 0;
  if (points[points.length - 1].step < last) points.push({ step: last, reached: 1 - survival });
  return { points, censored };
}
