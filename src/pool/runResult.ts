// Turns the shared buffers of a finished run into its RunRecord: trajectory, events, rates, final.
import type { ModelParams } from "../config/modelKeys.js";
import type { EventSpec } from "../kernel/events.js";
import { SCALAR_METRICS, type TrajectoryPoint } from "../kernel/metricNames.js";
import { logSlope } from "../kernel/metrics.js";
import { DIVERGENCE_REASONS } from "../kernel/divergence.js";
import { CompanionEvaluator } from "../kernel/companionMetrics.js";
import type { Weights } from "../kernel/step.js";
import type { EngineInfo, EventBracket, RunRecord } from "../store/runRecord.js";
import { Control, EVENT_STRIDE, EventSlot, LN_MASS_STRIDE, storedTrajectoryStride, TRAJECTORY_STRIDE, viewRunBuffers, type RunBuffers } from "./layout.js";

/**
 * The stored trajectory up to `lastStep`: every storedTrajectoryStride-th evaluation and the last
 * (see MAX_STORED_POINTS).
 */
function readTrajectory(buffers: RunBuffers, params: ModelParams, lastStep: number): TrajectoryPoint[] {
  const v = viewRunBuffers(buffers);
  let rows = Atomics.load(v.control, Control.evalCount);
  while (rows > 0 && v.trajectory[(rows - 1) * TRAJECTORY_STRIDE] > lastStep) rows--;
  const stride = storedTrajectoryStride(params);
  const out: TrajectoryPoint[] = [];
  for (let r = 0; r < rows; r++) {
    if (r % stride !== 0 && r !== rows - 1) continue;
    const off = r * TRAJECTORY_STRIDE;
    const point = { step: v.trajectory[off] } as TrajectoryPoint;
    SCALAR_METRICS.forEach((name, c) => (point[name] = v.trajectory[off + 1 + c]));
    point.acc = Array.from(v.trajectory.subarray(off + 1 + SCALAR_METRICS.length, off + 5 + SCALAR_METRICS.length));
    out.push(point);
  }
  return out;
}

export function buildRunRecord(
  params: ModelParams,
  condition: Record<string, unknown>,
  events: Readonly<Record<string, EventSpec>>,
  buffers: RunBuffers,
  wallMs: number,
  engine: EngineInfo,
): RunRecord {
  const v = viewRunBuffers(buffers);
  const divergedStep = Atomics.load(v.control, Control.divergedStep);
  const stoppedStep = Atomics.load(v.control, Control.stoppedStep);
  const diverged = divergedStep >= 0;
  // A diverged run ends, for its trajectory and events, at the step where its divergence began.
  const lastStep = diverged ? divergedStep : params.steps;
  const trajectory = readTrajectory(buffers, params, lastStep);
  const eventSteps: Record<string, number | null> = {};
  const eventsBracket: Record<string, EventBracket | null> = {};
  Object.keys(events).forEach((name, e) => {
    const slot = (field: number): number => v.events[e * EVENT_STRIDE + field];
    const reached = slot(EventSlot.grid) >= 0 && slot(EventSlot.step) <= lastStep;
    eventSteps[name] = reached ? slot(EventSlot.step) : null;
    eventsBracket[name] = reached ? { previous: slot(EventSlot.previous) >= 0 ? slot(EventSlot.previous) : null, grid: slot(EventSlot.grid) } : null;
  });
  const spuriousStep = eventSteps.spurious ?? null;
  const rateOf = (field: number): number | null =>
    spuriousStep === null ? null : logSlope(v.lnMass, LN_MASS_STRIDE, field, spuriousStep);
  if (trajectory.length === 0) throw new Error(`run with seed ${params.seed} diverged at initialisation`);
  const last = trajectory[trajectory.length - 1];
  const { step: _step, ...final } = last;
  return {
    condition,
    params,
    seed: params.seed,
    events: eventSteps,
    eventsBracket,
    rates: { spuriousRate: rateOf(0), signalRate: rateOf(1) },
    final,
    trajectory,
    diverged: diverged ? divergedStep : null,
    divergedReason: diverged ? DIVERGENCE_REASONS[Atomics.load(v.control, Control.divergedReason)] : null,
    divergedDetectedAt: diverged ? Atomics.load(v.control, Control.divergedDetectedStep) : null,
    // only runs with stopAfter say whether they stopped, so other records are unchanged
    ...(params.stopAfter.length > 0 ? { stopped: stoppedStep >= 0 ? stoppedStep : null } : {}),
    wallMs,
    engine,
  };
}

/**
 * Adds the companion metrics (kernel/companionMetrics.ts) to every stored point of `record` whose
 * weights were kept (`companionSteps`), and to its final metrics when the last point has them.
 */
export function addCompanionMetrics(record: RunRecord, kept: readonly { step: number; weights: Weights }[]): void {
  const evaluator = new CompanionEvaluator(record.params);
  const weightsAt = new Map(kept.map((c) => [c.step, c.weights]));
  for (const point of record.trajectory) {
    const net = weightsAt.get(point.step);
    if (net !== undefined) Object.assign(point, evaluator.evaluate(net));
  }
  const { step: _step, ...final } = record.trajectory[record.trajectory.length - 1];
  record.final = final;
}
