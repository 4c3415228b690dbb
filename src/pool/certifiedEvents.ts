// Exact event steps by certified skipping (model key eventSearch: "exact", the default). An event
// is the first step at which its rule holds on that step's metrics — what `evalEvery: 1` finds,
// excursions between evaluations included — decided at every step without evaluating the test set
// at every step:
// - the weight metrics (masses, signAlign) come from the block stats every step, and trainLoss is
//   the step's own minibatch loss (the mean since the previous step, as with evalEvery: 1): exact;
// - a test-set metric is bounded (kernel/metricBounds.ts) from the exact margins of the last step
//   whose test set was evaluated (a grid evaluation, or a refresh) and the certified bounds on how
//   far the margins moved since (kernel/marginBounds.ts, computed by every shard for its neurons);
//   first with both layers bounded per test group (O(width) per step), then, where that leaves a
//   rule open, with the second layer's part of every test output computed exactly (f̂, O(test
//   points × width)) and only the first layer's drift bounded; where that too leaves a rule open,
//   the step is evaluated exactly (a refresh) and becomes the new reference;
// - where the bounds failed at two steps in a row (the network's outputs move by a margin per step,
//   early in training), the steps after are evaluated exactly without trying them, for a pause that
//   doubles with each failed retry (up to MAX_BOUNDS_PAUSE): such a step costs an evaluation and
//   nothing else, and keeps no reference unless the bounds are tried at the next;
// - once every event is reached, nothing more is checked.
// Every shard makes the same decisions from the same shared numbers, so all take part in the same
// refreshes, and the event steps do not depend on the number of shards.
import type { ModelParams } from "../config/modelKeys.js";
import { holds, type EventSpec } from "../kernel/events.js";
import { FIRST_LAYER_BOUND, GROUP_BOUND_FIELDS } from "../kernel/marginBounds.js";
import { boundScratch, decideOn, groupsFromOutputs, groupsFromTable, groupsWithOpenRows, MarginTable, testMetricBounds, type BoundScratch } from "../kernel/metricBounds.js";
import { isTestSetMetric, SCALAR_METRICS, type Metrics } from "../kernel/metricNames.js";
import { isEvalStep } from "./layout.js";
import { recordEvent } from "./eventSteps.js";

function emptyMetrics(): Metrics {
  const m = { acc: [0, 0, 0, 0] } as unknown as Metrics;
  for (const name of SCALAR_METRICS) m[name] = 0;
  return m;
}

/** Steps after a second-layer try that did not decide during which refreshes go straight ahead. */
const SECOND_LAYER_PAUSE = 4;
/** The longest stretch of steps evaluated exactly without trying the bounds (see the head comment). */
const MAX_BOUNDS_PAUSE = 16;

export class CertifiedEventWatch {
  private readonly reached: Uint8Array;
  private reachedCount = 0;
  /** Events on test-set metrics not reached yet: while > 0 the shards compute margin bounds. */
  private testPending: number;
  /** Events on massNoise not reached yet: while > 0 every step's block stats include it. */
  private noiseMassPending: number;
  private readonly table: MarginTable;
  private readonly low = emptyMetrics();
  private readonly high = emptyMetrics();
  private readonly shift = new Float64Array(GROUP_BOUND_FIELDS);
  private readonly scratch: BoundScratch;
  /** The last step at which the exact second-layer outputs did not decide (−∞: none yet). */
  private secondLayerFailedAt = -Infinity;
  /** Steps in a row whose bounds failed; the current pause; the first step whose bounds are tried. */
  private failedInRow = 0;
  private pause = 0;
  private boundsFrom = 0;

  constructor(
    private readonly specs: readonly EventSpec[],
    /** The run's events buffer, written by the lead shard only; else null. */
    private readonly out: Float64Array | null,
    private readonly p: ModelParams,
  ) {
    this.reached = new Uint8Array(specs.length);
    this.testPending = specs.filter((s) => isTestSetMetric(s.metric)).length;
    this.noiseMassPending = specs.filter((s) => s.metric === "massNoise").length;
    this.table = new MarginTable(p.testPerGroup);
    this.scratch = boundScratch(4 * p.testPerGroup);
  }

  /** Whether every event of `events` (indices into the specs) has been reached. */
  reachedAll(events: readonly number[]): boolean {
    return events.every((e) => this.reached[e] === 1);
  }

  get allReached(): boolean {
    return this.reachedCount === this.specs.length;
  }

  /** Whether the steps between evaluations need massNoise (an event on it is pending): a pass over every weight. */
  get needsNoiseMass(): boolean {
    return this.noiseMassPending > 0;
  }

  /** Whether the shards must bound the margins' move at the next step (a test-set event is pending). */
  get needsBounds(): boolean {
    return this.testPending > 0;
  }

  /** Whether the bounds are tried at `step` (else it is evaluated exactly straight away). */
  triesBounds(step: number): boolean {
    return this.testPending > 0 && step >= this.boundsFrom;
  }

  /** Whether the exact evaluation of `step` must be kept as the reference of the bounds (not when the next step is evaluated anyway). */
  keepsReference(step: number): boolean {
    return !isEvalStep(this.p, step + 1) && this.triesBounds(step + 1);
  }

  /** The bounds (or the second layer) decided `step`. */
  boundsDecided(): void {
    this.failedInRow = 0;
    this.pause = 0;
  }

  /** The bounds left an event open at `step` (it is refreshed): after two in a row, pause them. */
  boundsFailed(step: number): void {
    if (++this.failedInRow < 2) return;
    this.pause = Math.min(this.pause === 0 ? 2 : 2 * this.pause, MAX_BOUNDS_PAUSE);
    this.boundsFrom = step + 1 + this.pause;
    this.failedInRow = 1; // a failed retry after the pause doubles it at once
  }

  /**
   * Decides every pending event at `step` from its exact metrics `m` (a grid evaluation or a
   * refresh) and its own minibatch loss, then keeps the test margins (outputs F, labels Y) as the
   * reference for the steps after.
   */
  exactAt(step: number, m: Metrics, stepLoss: number, F: Float64Array, Y: Float32Array): void {
    for (let e = 0; e < this.specs.length; e++) {
      if (this.reached[e] === 1) continue;
      const spec = this.specs[e];
      if (holds(spec.metric === "trainLoss" ? stepLoss : m[spec.metric], spec.op, spec.value)) this.record(e, step);
    }
    if (this.keepsReference(step)) this.table.set(F, Y);
  }

  /**
   * Decides the pending events at a step whose test set was not evaluated: `m` holds its weight
   * metrics, `bounds` the blocks' margin bounds (GROUP_BOUND_FIELDS per block). Returns false when
   * an event on a test-set metric is left undecided: the caller evaluates the step exactly and
   * calls exactAt.
   */
  check(step: number, m: Metrics, stepLoss: number, bounds: Float64Array, blocks: number): boolean {
    for (let e = 0; e < this.specs.length; e++) {
      const spec = this.specs[e];
      if (this.reached[e] === 1 || isTestSetMetric(spec.metric)) continue;
      if (holds(spec.metric === "trainLoss" ? stepLoss : m[spec.metric], spec.op, spec.value)) this.record(e, step);
    }
    if (this.testPending === 0) return true;
    // the blocks' bounds summed in block order, as every shard sums them
    this.shift.fill(0);
    for (let blk = 0; blk < blocks; blk++) {
      for (let f = 0; f < GROUP_BOUND_FIELDS; f++) this.shift[f] += bounds[blk * GROUP_BOUND_FIELDS + f];
    }
    groupsFromTable(this.table, this.shift, this.scratch);
    return this.decideTestEvents(step);
  }

  /**
   * After `check` left a test-set event open: decides with the exact second-layer outputs F̂ of
   * the step (the test labels Y) and the first layer's bound summed by `check`. Returns false when
   * an event is still open: the caller evaluates the step exactly and calls exactAt.
   */
  checkOutputs(step: number, F: Float64Array, Y: Float32Array): boolean {
    groupsFromOutputs(F, Y, this.p.testPerGroup, this.shift, FIRST_LAYER_BOUND, this.scratch);
    return this.decideTestEvents(step);
  }

  /**
   * Whether to try the exact second-layer outputs at `step` before a refresh: not within
   * SECOND_LAYER_PAUSE steps of a try that did not decide (in a phase where the first layer's bound
   * is too loose they only add their cost to every refresh).
   */
  worthSecondLayer(step: number): boolean {
    return step - this.secondLayerFailedAt > SECOND_LAYER_PAUSE;
  }

  /** Notes that the second-layer outputs left an event open at `step`. */
  secondLayerFailed(step: number): void {
    this.secondLayerFailedAt = step;
  }

  /** The test rows checkOutputs left open (row indices, and how many). */
  get openRows(): Int32Array {
    return this.scratch.open;
  }

  get openCount(): number {
    return this.scratch.openCount;
  }

  /**
   * After checkOutputs left an event open: decides with the exact outputs F of the open rows
   * (F[r] for openRows[r]), which make the accuracies exact. False when an event on a margin or
   * coefficient is still open: the caller evaluates the step exactly.
   */
  checkOpenRows(step: number, F: Float64Array, Y: Float32Array): boolean {
    groupsWithOpenRows(F, Y, this.p.testPerGroup, this.scratch);
    return this.decideTestEvents(step);
  }

  /** Records the test-set events the group intervals in the scratch decide as holding; false if one is open. */
  private decideTestEvents(step: number): boolean {
    testMetricBounds(this.p.testPerGroup, this.low, this.high, this.scratch);
    let decided = true;
    for (let e = 0; e < this.specs.length; e++) {
      const spec = this.specs[e];
      if (this.reached[e] === 1 || !isTestSetMetric(spec.metric)) continue;
      const verdict = decideOn(this.low[spec.metric], this.high[spec.metric], spec.op, spec.value);
      if (verdict === 1) this.record(e, step);
      else if (verdict === -1) decided = false;
    }
    return decided;
  }

  private record(e: number, step: number): void {
    this.reached[e] = 1;
    this.reachedCount++;
    if (isTestSetMetric(this.specs[e].metric)) this.testPending--;
    if (this.specs[e].metric === "massNoise") this.noiseMassPending--;
    if (this.out === null) return;
    // the evaluations bracketing the step: it lies in (previous, grid]
    const { evalEvery, steps } = this.p;
    const grid = isEvalStep(this.p, step) ? step : Math.min(Math.ceil(step / evalEvery) * evalEvery, steps);
    const previous = grid === 0 ? -1 : grid % evalEvery === 0 ? grid - evalEvery : Math.floor(grid / evalEvery) * evalEvery;
    recordEvent(this.out, e, step, grid, previous);
  }
}
