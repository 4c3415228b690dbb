// The engine: a Piscina pool of T threads running runs of S shards each, ⌊T/S⌋ runs at a time.
// All S shards of a run must be running at once (they meet at a barrier), so a run is submitted only
// when S threads are free: the scheduler never has more than T shard tasks in flight.
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { ModelParams } from "../config/modelKeys.js";
import type { EventSpec } from "../kernel/events.js";
import { blockCount, flopsPerStep } from "../kernel/step.js";
import type { RunRecord, RunWeights } from "../store/runRecord.js";
import { VERSION } from "../version.js";
import { abortRun, BarrierAbortedError, isBarrierAbort } from "./barrier.js";
import { allocateRunBuffers, checkpointRows, companionSteps, Control, viewRunBuffers } from "./layout.js";
import { addCompanionMetrics, buildRunRecord } from "./runResult.js";
import { DEFAULT_KERNEL, kernelReadsFloatRows, type KernelName } from "../kernel/registry.js";
import type { ShardTask, ShardTiming } from "./runShard.js";
import type { WorkerData } from "./worker.js";
import { chooseShards } from "./chooseShards.js";


/** Tests run src/ through vitest, but worker threads load compiled JavaScript from dist/. */
function workerFile(): string {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/pool/worker.js", here).href : new URL("./worker.js", here).href;
}

/** How long close() waits for worker threads still loading their modules. */
const WORKER_LOAD_WAIT_MS = 10_000;

export class RunCancelledError extends Error {
  constructor() {
    super("run cancelled");
    this.name = "RunCancelledError";
  }
}

export interface RunJob {
  params: ModelParams;
  condition: Record<string, unknown>;
}

/** What a finished run gives back: its record, its final weights, and those of its checkpoint steps. */
export interface FinishedRun {
  record: RunRecord;
  weights: RunWeights;
  /** The weights at each requested step the run reached (before a divergence), ascending. */
  checkpoints: RunCheckpoint[];
}

interface RunCheckpoint {
  step: number;
  weights: RunWeights;
}

export interface RunManyOptions {
  events: Readonly<Record<string, EventSpec>>;
  /** Shards per run, or "auto" to choose from the model size. */
  shards: number | "auto";
  /** Called as each run finishes, in completion order. */
  onRunDone?: (record: RunRecord, job: RunJob, weights: RunWeights, checkpoints: RunCheckpoint[]) => void | Promise<void>;
  /** Steps whose weights to keep besides the final ones (each run keeps those ≤ its steps). */
  checkpointSteps?: readonly number[];
  signal?: AbortSignal;
  /** Kernel of the step loop (see KernelName); default DEFAULT_KERNEL. */
  kernel?: KernelName;
  /**
   * "exact" (default): each event's step is located to one step inside the evaluation interval where
   * it is first seen (pool/eventSteps.ts); "grid": the evaluation step itself (cheaper, coarser).
   */
  eventSteps?: "exact" | "grid";
  /** Test hook: inject a failure into shard `shard` of every run at `step`. */
  failAt?: { shard: number; step: number };
}

export class Engine {
  readonly threads: number;
  private readonly pool: Piscina;
  /** Control arrays of the runs in flight, for cancellation and progress. */
  private readonly active = new Set<Int32Array>();
  private stepsDoneInFinishedRuns = 0;
  /** flopsPerStep of each active run, and the flops of the finished ones: the work done (flopsDone). */
  private readonly activeFlops = new Map<Int32Array, number>();
  private flopsDoneInFinishedRuns = 0;
  /** Worker threads that have finished loading their modules (each adds 1; see pool/worker.ts). */
  private readonly workersLoaded = new Int32Array(new SharedArrayBuffer(4));

  constructor(threads: number = availableParallelism()) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    this.threads = threads;
    const workerData: WorkerData = { loaded: this.workersLoaded.buffer as SharedArrayBuffer };
    // Piscina loads the worker with require() first and import() when that throws. Node 20's
    // require(esm) has aborted the process inside V8 under load (v8::Module::IsGraphAsync,
    // ModuleWrap::CreateRequiredModuleFacade), so the workers run without it: require() throws
    // ERR_REQUIRE_ESM at once and the worker is loaded by import().
    const execArgv = ["--no-experimental-require-module"];
    this.pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 60_000, workerData, execArgv });
  }

  /**
   * Shards a run of these params uses under `shards` when `runs` runs are submitted together (auto
   * depends on it, see chooseShards), clamped to the pool and the neuron blocks.
   */
  shardsFor(params: ModelParams, shards: number | "auto", runs = 1): number {
    const wanted = shards === "auto" ? chooseShards(params, this.threads, runs) : shards;
    return Math.max(1, Math.min(wanted, this.threads, blockCount(params.width)));
  }

  /** Runs one run on `shards` shards; rejects with the first shard's own error if one throws. */
  async runOne(job: RunJob, options: RunManyOptions): Promise<FinishedRun> {
    return this.runSharded(job, options, this.shardsFor(job.params, options.shards));
  }

  private async runSharded(job: RunJob, options: RunManyOptions, shards: number): Promise<FinishedRun> {
    const kernel = options.kernel ?? DEFAULT_KERNEL;
    const events = Object.values(options.events);
    const stopAfter = job.params.stopAfter.map((name) => {
      const e = Object.keys(options.events).indexOf(name);
      if (e < 0) throw new Error(`stopAfter: '${name}' is not one of the run's events (${Object.keys(options.events).join(", ")})`);
      return e;
    });
    const savedSteps = new Set((options.checkpointSteps ?? []).filter((s) => s <= job.params.steps));
    const checkpointSteps = [...new Set([...savedSteps, ...companionSteps(job.params)])].sort((a, b) => a - b);
    const buffers = allocateRunBuffers(job.params, kernelReadsFloatRows(kernel), events.length, checkpointSteps.length);
    const control = viewRunBuffers(buffers).control;
    const onAbort = (): void => abortRun(control);
    options.signal?.addEventListener("abort", onAbort);
    if (options.signal?.aborted) abortRun(control);
    this.active.add(control);
    this.activeFlops.set(control, flopsPerStep(job.params));
    const start = performance.now();
    try {
      const tasks: Promise<ShardTiming>[] = [];
      for (let shard = 0; shard < shards; shard++) {
        const task: ShardTask = { params: job.params, buffers, shard, shards, kernel, events, exactEvents: options.eventSteps !== "grid", checkpointSteps, stopAfter };
        if (options.failAt?.shard === shard) task.failAtStep = options.failAt.step;
        // A worker that dies without throwing in JS (e.g. exits) must still release the others.
        tasks.push(this.pool.run(task).catch((err: unknown) => { abortRun(control); throw err; }));
      }
      const settled = await Promise.allSettled(tasks);
      const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
      if (failures.length > 0) {
        const original = failures.find((e) => !isBarrierAbort(e));
        if (original !== undefined) throw original;
        throw options.signal?.aborted ? new RunCancelledError() : new BarrierAbortedError();
      }
      const wallMs = performance.now() - start;
      const timings = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const loopMs = timings.reduce((sum, t) => sum + t.loopMs, 0);
      const waitMs = timings.reduce((sum, t) => sum + t.barrierWaitMs, 0);
      const record = buildRunRecord(job.params, job.condition, options.events, buffers, wallMs, {
        threads: this.threads,
        shards,
        kernel,
        version: VERSION,
        barrierWaitShare: loopMs > 0 ? waitMs / loopMs : 0,
        stepsMs: timings.reduce((most, t) => Math.max(most, t.stepsMs), 0),
        exactRefreshes: Atomics.load(control, Control.exactRefreshes),
        exactSecondLayer: Atomics.load(control, Control.exactSecondLayer),
        exactOpenRows: Atomics.load(control, Control.exactOpenRows),
      });
      // the run is over: its shared weight buffers are nobody else's now, so views need no copy
      const views = viewRunBuffers(buffers);
      const { d, width } = job.params;
      const kept = checkpointSteps
        .map((step, k) => {
          const { W, A, B } = checkpointRows(views.checkpoints, k, width, d);
          return { step, weights: { d, width, W, A, B } };
        })
        .filter((c) => (record.diverged === null || c.step < record.diverged) && (record.stopped == null || c.step <= record.stopped));
      if (job.params.companionMetrics) addCompanionMetrics(record, kept);
      const checkpoints = kept.filter((c) => savedSteps.has(c.step));
      return { record, weights: { d, width, W: views.W, A: views.A, B: views.B }, checkpoints };
    } finally {
      this.stepsDoneInFinishedRuns += Atomics.load(control, Control.progressStep);
      this.flopsDoneInFinishedRuns += Atomics.load(control, Control.progressStep) * flopsPerStep(job.params);
      this.active.delete(control);
      this.activeFlops.delete(control);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Runs every job, ⌊threads / shards⌋ at a time. Resolves when all are done; on the first failure
   * it stops starting new runs, lets the running ones finish, and rejects with that failure.
   */
  async runMany(jobs: readonly RunJob[], options: RunManyOptions): Promise<void> {
    let next = 0;
    let failure: unknown = undefined;
    const lane = async (): Promise<void> => {
      while (failure === undefined && next < jobs.length && !options.signal?.aborted) {
        const job = jobs[next++];
        try {
          const { record, weights, checkpoints } = await this.runSharded(job, options, this.shardsFor(job.params, options.shards, jobs.length));
          await options.onRunDone?.(record, job, weights, checkpoints);
        } catch (err) {
          if (failure === undefined) failure = err;
        }
      }
    };
    const lanes: Promise<void>[] = [];
    const laneCount = jobs.length === 0 ? 0 : Math.max(1, Math.floor(this.threads / this.maxShards(jobs, options.shards, jobs.length)));
    for (let i = 0; i < Math.min(laneCount, jobs.length); i++) lanes.push(lane());
    await Promise.all(lanes);
    if (failure !== undefined) throw failure;
    if (options.signal?.aborted) throw new RunCancelledError();
  }

  /** Total SGD steps completed so far by this engine (finished runs plus progress of running ones). */
  stepsDone(): number {
    let total = this.stepsDoneInFinishedRuns;
    for (const control of this.active) total += Atomics.load(control, Control.progressStep);
    return total;
  }

  /** Work done so far, in flops (flopsPerStep × steps, finished runs plus progress of running ones). */
  flopsDone(): number {
    let total = this.flopsDoneInFinishedRuns;
    for (const [control, flops] of this.activeFlops) total += Atomics.load(control, Control.progressStep) * flops;
    return total;
  }

  private maxShards(jobs: readonly RunJob[], shards: number | "auto", runs: number): number {
    return jobs.reduce((m, job) => Math.max(m, this.shardsFor(job.params, shards, runs)), 1);
  }

  /** Worker threads that have loaded their modules so far. */
  get threadsLoaded(): number {
    return Atomics.load(this.workersLoaded, 0);
  }

  async close(): Promise<void> {
    for (const control of this.active) abortRun(control);
    // Terminating a worker thread while it is still loading its modules aborts the whole process
    // (Node 20: a V8 fatal error in require(esm)), so wait until every thread has loaded; bounded,
    // so a thread that failed to load cannot hold the close up.
    const deadline = Date.now() + WORKER_LOAD_WAIT_MS;
    while (Atomics.load(this.workersLoaded, 0) < this.threads && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    await this.pool.destroy();
  }
}
