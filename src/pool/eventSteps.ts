// Exact event steps (SPEC §2 "Events"). Every shard of a run computes the metrics of each evaluation
// itself (the same numbers on every shard, so the same decisions and no messages) and watches the
// events on them. An event first seen at evaluation t, whose previous evaluation was t′, happened in
// (t′, t]; the shard loop replays that interval from a snapshot of the weights at t′ with the
// metric evaluated at every step (all shards take part), records the first step at which the
// predicate holds, and carries on from the state at t unchanged.
//
// What the step means: the first step s in (t′, t] at which the predicate holds, where t is the first
// evaluation at which it holds. That is the first step at which it holds at all, unless the metric
// crossed and came back entirely between two earlier evaluations (an excursion the grid never saw;
// evalEvery: 1 sees it). A metric that crosses several times inside (t′, t] gives its first crossing.
// Metrics not on the test set: the masses and signAlign are those of the weights at step s; trainLoss
// at s is the mean minibatch loss over the updates t′+1 … s, the value an evaluation at s would have
// recorded (SPEC §2: the mean since the previous evaluation), so at s = t it is the recorded value.
import { holds, type EventSpec } from "../kernel/events.js";
import { isTestSetMetric, type Metrics } from "../kernel/metricNames.js";
import { EVENT_STRIDE, EventSlot } from "./layout.js";

/** Which events a shard has seen, which are being located now, and (lead shard) where they go. */
export class EventWatch {
  private readonly reached: Uint8Array;
  /** Indices of the events seen at the current evaluation and not located yet. */
  private readonly pending: Int32Array;
  private pendingCount = 0;
  private reachedCount = 0;

  constructor(
    private readonly specs: readonly EventSpec[],
    /** The run's events buffer (EVENT_STRIDE per event), written by the lead shard only; else null. */
    private readonly out: Float64Array | null,
  ) {
    this.reached = new Uint8Array(specs.length);
    this.pending = new Int32Array(specs.length);
  }

  get allReached(): boolean {
    return this.reachedCount === this.specs.length;
  }

  /** Whether every event of `events` (indices into the specs) has been reached. */
  reachedAll(events: readonly number[]): boolean {
    return events.every((e) => this.reached[e] === 1);
  }

  get pendingEvents(): number {
    return this.pendingCount;
  }

  /**
   * Marks the events not reached before that hold on `m`, the metrics of evaluation `grid` (the
   * previous one at `previous`, −1 for none), as reached and pending; returns how many.
   */
  see(m: Metrics, grid: number, previous: number): number {
    this.pendingCount = 0;
    for (let e = 0; e < this.specs.length; e++) {
      const spec = this.specs[e];
      if (this.reached[e] === 1 || !holds(m[spec.metric], spec.op, spec.value)) continue;
      this.reached[e] = 1;
      this.reachedCount++;
      this.pending[this.pendingCount++] = e;
      // the step itself is filled in once located; until then it is the grid step's
      if (this.out !== null) recordEvent(this.out, e, grid, grid, previous);
    }
    return this.pendingCount;
  }

  /** Whether locating the pending events needs the test-set outputs (else the weights and loss do). */
  pendingNeedTestSet(): boolean {
    for (let i = 0; i < this.pendingCount; i++) if (isTestSetMetric(this.specs[this.pending[i]].metric)) return true;
    return false;
  }

  /** Records `step` for each pending event that holds on `m` (the metrics at that step). */
  locateHolding(m: Metrics, step: number): void {
    let kept = 0;
    for (let i = 0; i < this.pendingCount; i++) {
      const e = this.pending[i];
      const spec = this.specs[e];
      if (holds(m[spec.metric], spec.op, spec.value)) this.record(e, step);
      else this.pending[kept++] = e;
    }
    this.pendingCount = kept;
  }

  /** Records `step` for every event still pending (the evaluation where they were seen). */
  locateRemaining(step: number): void {
    for (let i = 0; i < this.pendingCount; i++) this.record(this.pending[i], step);
    this.pendingCount = 0;
  }

  private record(e: number, step: number): void {
    if (this.out !== null) this.out[e * EVENT_STRIDE + EventSlot.step] = step;
  }
}

/** Writes event e's step and the evaluations bracketing it, (previous, grid], into the events buffer. */
export function recordEvent(out: Float64Array, e: number, step: number, grid: number, previous: number): void {
  out[e * EVENT_STRIDE + EventSlot.step] = step;
  out[e * EVENT_STRIDE + EventSlot.grid] = grid;
  out[e * EVENT_STRIDE + EventSlot.previous] = previous;
}
