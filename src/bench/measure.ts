// Training-step throughput of the engine alone (SPEC §7): no study, no results files, and a test
// set of 8 samples per group evaluated only at the first and last step, so nearly all of the wall
// time is SGD steps.
import { resolveParams, type ModelParams } from "../config/modelKeys.js";
import { DEFAULT_EVENTS } from "../kernel/events.js";
import { Engine, type RunJob } from "../pool/engine.js";
import type { KernelName } from "../kernel/registry.js";
import { OthersBusyMeter } from "./machine.js";
import { median } from "../analysis/statistics/index.js";
import { stepsTrained } from "../store/runRecord.js";

export type ShardsMode = "auto" | "fixed";

/** One measured configuration: a row of `bench --json` (SPEC §7, plus `shardsMode`). */
export interface BenchRow {
  d: number;
  width: number;
  batch: number;
  threads: number;
  /** Shards per run actually used (S). */
  shards: number;
  /** How S was chosen: "auto" (as for a study of at least `threads` runs) or "fixed" (S = threads). */
  shardsMode: ShardsMode;
  kernel: KernelName;
  /** Median over the repeats of total steps / wall seconds. */
  stepsPerSec: number;
  stepsPerSecMin: number;
  stepsPerSecMax: number;
  /** Effective GFLOP/s at the median: 4·batch·d·width flops per step. */
  gflops: number;
  /**
   * Parallel efficiency: the median over repeats of steps/s ÷ (threads × the steps/s of a 1-thread
   * run of the same size and kernel timed just before); 1 for a 1-thread row, null when no
   * reference was measured.
   */
  efficiency: number | null;
}

export interface MeasureOptions {
  d: number;
  width: number;
  batch: number;
  threads: number;
  /** Shards per run: a number, or "auto" as the engine picks it for a study of at least `threads` runs. */
  shards: number | "auto";
  kernel: KernelName;
  /** Timed repeats after the warm-up (default 5). */
  repeats?: number;
  /** Seconds the SGD steps of one repeat should take (default 0.5). */
  targetSeconds?: number;
  /** An engine with `threads` threads to use (left open); without it one is created and closed. */
  engine?: Engine;
  /**
   * Redo a repeat during which other processes kept more than this share of all cores busy
   * (Linux; at most 2 × repeats redos, after which the disturbed repeats are kept). Default:
   * keep every repeat.
   */
  maxOthersBusy?: number;
}

/** A measurement with the details a report explains it by. */
export interface Measurement {
  row: BenchRow;
  /** Steps of each run in a repeat. */
  stepsPerRun: number;
  /** Runs at once (⌊threads / shards⌋), each a job of runMany. */
  runsAtOnce: number;
  /** steps/s of every kept repeat, in order. */
  samples: number[];
  /** Per kept repeat paired with a 1-thread reference: steps/s ÷ (threads × reference steps/s). */
  efficiencies: number[];
  /** Mean over the kept repeats' runs of the share of the shards' time spent waiting at the barrier. */
  barrierWaitShare: number;
  /** Repeats thrown away and redone because other processes were busy (see `maxOthersBusy`). */
  redone: number;
  /** Mean share of all cores other processes kept busy during the kept repeats; undefined off Linux. */
  othersBusy?: number;
}

/** Effective GFLOP/s: forward X·Wᵀ and the weight gradient are 2·batch·d·width flops each. */
export function gflopsOf(d: number, width: number, batch: number, stepsPerSec: number): number {
  return (4 * batch * d * width * stepsPerSec) / 1e9;
}

function benchParams(opts: MeasureOptions, steps: number, seed: number): ModelParams {
  return resolveParams({
    d: opts.d,
    width: opts.width,
    batch: opts.batch,
    lambda: 1,
    steps,
    evalEvery: steps,
    testPerGroup: 8,
    seed,
  });
}

const MIN_STEPS = 3;
const MAX_STEPS = 1e8;

interface RepeatResult {
  stepsPerSec: number;
  barrierWaitShare: number;
}

/** A configuration calibrated and warmed up on its engine, ready for timed repeats. */
export interface CalibratedRun {
  readonly threads: number;
  /** Shards per run actually used (S). */
  readonly shards: number;
  /** Runs at once (⌊threads / shards⌋), each a job of runMany. */
  readonly runsAtOnce: number;
  /** Steps of each run in a repeat. */
  readonly stepsPerRun: number;
  /** One timed repeat: its steps/s (see `calibrate`) and its runs' mean barrier wait share. */
  repeat(): Promise<RepeatResult>;
}

/**
 * Calibrates a configuration on `engine`: a minimal run to warm the workers' JIT (its rate is not
 * trusted), then runs grown until one takes at least a third of the target, whose rate sets the
 * steps of a repeat; then a discarded warm-up repeat. Short runs are dominated by cold code, so
 * their rate is a lower bound.
 *
 * A repeat's steps/s counts the SGD steps alone, as the NumPy peer does: Σ over its runs of
 * steps / the run's step-loop seconds (RunRecord.engine.stepsMs), without allocating, initialising
 * (a normal draw per weight; commit d0f1993 measured what that costs) and drawing the test set.
 */
async function calibrate(opts: MeasureOptions, engine: Engine): Promise<CalibratedRun> {
  const targetSeconds = opts.targetSeconds ?? 0.5;
  if (!(targetSeconds > 0 && Number.isFinite(targetSeconds))) throw new RangeError(`targetSeconds must be positive, got ${targetSeconds}`);
  if (engine.threads !== opts.threads) throw new RangeError(`engine has ${engine.threads} threads, measurement asks for ${opts.threads}`);
  const shards = engine.shardsFor(benchParams(opts, MIN_STEPS, 0), opts.shards, opts.threads);
  const runsAtOnce = Math.max(1, Math.floor(opts.threads / shards));

  /** One runMany of `runsAtOnce` runs of `steps` steps each: its wall seconds, steps/s and barrier wait share. */
  const timed = async (steps: number): Promise<{ seconds: number; stepsPerSec: number; barrierWaitShare: number }> => {
    const jobs: RunJob[] = Array.from({ length: runsAtOnce }, (_, seed) => ({ params: benchParams(opts, steps, seed), condition: {} }));
    let stepsPerSec = 0;
    let waitShares = 0;
    const start = performance.now();
    await engine.runMany(jobs, {
      events: DEFAULT_EVENTS,
      // events on the grid: locating one (evaluated only at the last step here) would replay the
      // whole run inside the timed step loop
      eventSteps: "grid",
      shards,
      kernel: opts.kernel,
      onRunDone: (record) => {
        if (record.engine.shards !== shards) throw new Error(`engine ran ${record.engine.shards} shards, expected ${shards}`);
        // A diverged run stops early; count the steps it actually made.
        const done = stepsTrained(record);
        const ms = record.engine.stepsMs ?? record.wallMs;
        stepsPerSec += ms > 0 ? done / (ms / 1000) : 0;
        waitShares += record.engine.barrierWaitShare ?? 0;
      },
    });
    return { seconds: (performance.now() - start) / 1000, stepsPerSec, barrierWaitShare: waitShares / jobs.length };
  };

  await timed(MIN_STEPS);
  let steps = MIN_STEPS;
  let probe = await timed(steps);
  while (probe.seconds < targetSeconds / 3 && steps < MAX_STEPS) {
    const rate = probe.stepsPerSec / runsAtOnce;
    steps = clampSteps(Math.max(2 * steps, Math.round((rate * targetSeconds) / 2)));
    probe = await timed(steps);
  }
  let stepsPerRun = clampSteps(Math.round((probe.stepsPerSec / runsAtOnce) * targetSeconds));

  // Warm-up repeat, discarded. A stall during calibration (another process, GC) makes the
  // estimate low: rescale and warm up again while a repeat is far from the target.
  for (let attempt = 0; attempt < 4; attempt++) {
    const warm = await timed(stepsPerRun);
    const ratio = targetSeconds / warm.seconds;
    const next = clampSteps(Math.round(stepsPerRun * ratio));
    if ((ratio >= 0.5 && ratio <= 2) || next === stepsPerRun) break;
    stepsPerRun = next;
  }
  const perRun = stepsPerRun;
  return { threads: opts.threads, shards, runsAtOnce, stepsPerRun: perRun, repeat: () => timed(perRun) };
}

/**
 * The 1-thread reference runs of parallel efficiency: one run on a 1-thread engine of their own,
 * calibrated once per size and kernel and reused for every thread count.
 */
export class EfficiencyReferences {
  private engine: Engine | undefined;
  private readonly runs = new Map<string, CalibratedRun>();

  constructor(private readonly targetSeconds: number) {}

  async run(size: { d: number; width: number; batch: number }, kernel: KernelName): Promise<CalibratedRun> {
    const key = `${size.d},${size.width},${size.batch}|${kernel}`;
    let run = this.runs.get(key);
    if (run === undefined) {
      this.engine ??= new Engine(1);
      run = await calibrate({ ...size, threads: 1, shards: 1, kernel, targetSeconds: this.targetSeconds }, this.engine);
      this.runs.set(key, run);
    }
    return run;
  }

  async close(): Promise<void> {
    await this.engine?.close();
  }
}

/**
 * Calibrates `opts` and times its repeats. With `reference` (the same size and kernel calibrated on
 * one thread), every repeat is paired with a reference repeat timed just before it, and the parallel
 * efficiency is the median over the pairs of steps/s ÷ (threads × reference steps/s): the two halves
 * of a pair see the same machine, so drift of the machine's speed over minutes (other virtual
 * machines on the host, frequency scaling) does not enter the ratio as it would between rows
 * measured minutes apart.
 */
export async function measureThroughput(opts: MeasureOptions, reference?: CalibratedRun): Promise<Measurement> {
  const repeats = opts.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a positive integer, got ${repeats}`);
  if (reference !== undefined && reference.threads !== 1) throw new RangeError(`the efficiency reference must run on 1 thread, not ${reference.threads}`);
  const engine = opts.engine ?? new Engine(opts.threads);
  try {
    const run = await calibrate(opts, engine);
    const samples: number[] = [];
    const efficiencies: number[] = [];
    const waitShares: number[] = [];
    const busy: number[] = [];
    const meter = new OthersBusyMeter();
    let redone = 0;
    while (samples.length < repeats) {
      meter.start();
      const single = reference === undefined ? undefined : (await reference.repeat()).stepsPerSec;
      const { stepsPerSec: rate, barrierWaitShare } = await run.repeat();
      const others = meter.stop();
      if (others !== undefined && opts.maxOthersBusy !== undefined && others > opts.maxOthersBusy && redone < 2 * repeats) {
        redone++;
        continue;
      }
      samples.push(rate);
      waitShares.push(barrierWaitShare);
      if (single !== undefined) efficiencies.push(rate / (opts.threads * single));
      if (others !== undefined) busy.push(others);
    }
    const stepsPerSec = median(samples);
    const row: BenchRow = {
      d: opts.d,
      width: opts.width,
      batch: opts.batch,
      threads: opts.threads,
      shards: run.shards,
      shardsMode: opts.shards === "auto" ? "auto" : "fixed",
      kernel: opts.kernel,
      stepsPerSec,
      stepsPerSecMin: Math.min(...samples),
      stepsPerSecMax: Math.max(...samples),
      gflops: gflopsOf(opts.d, opts.width, opts.batch, stepsPerSec),
      efficiency: opts.threads === 1 ? 1 : efficiencies.length > 0 ? median(efficiencies) : null,
    };
    const othersBusy = busy.length === samples.length ? busy.reduce((a, b) => a + b, 0) / busy.length : undefined;
    const barrierWaitShare = waitShares.reduce((a, b) => a + b, 0) / waitShares.length;
    return { row, stepsPerRun: run.stepsPerRun, runsAtOnce: run.runsAtOnce, samples, efficiencies, barrierWaitShare, redone, othersBusy };
  } finally {
    if (opts.engine === undefined) await engine.close();
  }
}

function clampSteps(steps: number): number {
  if (!Number.isFinite(steps)) return MAX_STEPS;
  return Math.min(MAX_STEPS, Math.max(MIN_STEPS, steps));
}
