// Events (phase transitions, SPEC §2): the first step at which a metric crosses a threshold. The engine
// locates them to one step (pool/eventSteps.ts); `findEvents` reads them off a trajectory (the grid).
import type { ScalarMetric, TrajectoryPoint } from "./metricNames.js";

export type Comparison = ">=" | "<=" | ">" | "<";
export const COMPARISONS: readonly Comparison[] = [">=", "<=", ">", "<"];

export interface EventSpec {
  metric: ScalarMetric;
  op: Comparison;
  value: number;
}

export const DEFAULT_EVENTS: Readonly<Record<string, EventSpec>> = {
  spurious: { metric: "spuriousGap", op: ">=", value: 0.5 },
  signal: { metric: "wga", op: ">=", value: 0.9 },
};

export function holds(x: number, op: Comparison, value: number): boolean {
  switch (op) {
    case ">=": return x >= value;
    case "<=": return x <= value;
    case ">": return x > value;
    case "<": return x < value;
  }
}

/** Event name → first trajectory step where the event holds, or null when it never does (censored). */
export function findEvents(
  trajectory: readonly TrajectoryPoint[],
  events: Readonly<Record<string, EventSpec>>,
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, spec] of Object.entries(events)) {
    const hit = trajectory.find((p) => holds(p[spec.metric], spec.op, spec.value));
    out[name] = hit ? hit.step : null;
  }
  return out;
}
