// The record of one finished run: one line of runs.jsonl (SPEC §4).
import type { ModelParams } from "../config/modelKeys.js";
import type { CompanionValues, Metrics, TrajectoryPoint } from "../kernel/metricNames.js";
import type { DivergenceReason } from "../kernel/divergence.js";

export interface EngineInfo {
  threads: number;
  shards: number;
  kernel: string;
  version: string;
  /**
   * Share of the shards' time spent waiting at the barrier for the slowest shard: Σ wait / Σ loop
   * time over the shards; 0 with one shard. What splitting the run cost beyond its work (absent in
   * records written before this field existed).
   */
  barrierWaitShare?: number;
  /**
   * Steps the exact event search (eventSearch "exact") evaluated on the test set beyond the grid,
   * where its bounds left an event open: what exact event steps cost (absent in older records).
   */
  exactRefreshes?: number;
  /** Steps it decided on the exact second-layer part of the test outputs (cheaper than a refresh). */
  exactSecondLayer?: number;
  /** Test rows it evaluated exactly where f̂ left them open, summed over the steps. */
  exactOpenRows?: number;
  /**
   * Wall milliseconds of the SGD steps alone (the slowest shard's steps 1 … steps), without
   * allocation, initialisation and the test set, which `wallMs` includes (absent in records written
   * before this field existed).
   */
  stepsMs?: number;
}

/** A run's final weights: the first layer W row-major (w_j = W[j·d … j·d + d − 1]), a and b. */
export interface RunWeights {
  d: number;
  width: number;
  W: Float32Array;
  A: Float32Array;
  B: Float32Array;
}

export interface EventBracket {
  previous: number | null;
  grid: number;
}

interface RunRates {
  /** Least-squares slope of ln massSpurious vs step over phase 1 (steps 0 … spurious event). */
  spuriousRate: number | null;
  /** Same for ln massSignal. */
  signalRate: number | null;
}

export interface RunRecord {
  /** The grid values of this run's condition (empty object for a single-condition run). */
  condition: Record<string, unknown>;
  params: ModelParams;
  seed: number;
  /**
   * Event name → the first step at which it held, located to one step inside the evaluation interval
   * where it was first seen (pool/eventSteps.ts), or null (censored). Records written before exact
   * events (no `eventsBracket`) hold the evaluation step.
   */
  events: Record<string, number | null>;
  /**
   * Event name → the evaluations bracketing its step: it lies in (previous, grid]; `grid` is the
   * evaluation where it was first seen (the step older records call `events`), `previous` the one
   * before (null when grid is step 0). Null when never reached; absent in older records.
   */
  eventsBracket?: Record<string, EventBracket | null>;
  rates: RunRates;
  /** Metrics at the last evaluated step (with the companion metrics when the run evaluated them). */
  final: Metrics & Partial<CompanionValues>;
  trajectory: TrajectoryPoint[];
  /**
   * Step at which the run's divergence began, or null (kernel/divergence.ts): its trajectory and
   * events end there. Records written before divergeLoss existed hold the step whose loss or
   * weights were non-finite.
   */
  diverged: number | null;
  /** Why it diverged; null when it did not; absent in records written before divergeLoss existed. */
  divergedReason?: DivergenceReason | null;
  /** Step whose weights or loss showed the divergence, where training stopped (null, or absent, as above). */
  divergedDetectedAt?: number | null;
  /**
   * With stopAfter: the evaluation step at which all its events were reached and the run ended (its
   * `final` metrics are those of that step), or null when it ran all its steps; absent without stopAfter.
   */
  stopped?: number | null;
  wallMs: number;
  engine: EngineInfo;
  /**
   * With --save-weights: the folder of this run's final weights (W.npy, a.npy, b.npy), relative to
   * the results directory (store/runWeights.ts).
   */
  weights?: string;
  /** With --save-weights-at: the steps whose weights are in `weights`/step<s>/, ascending. */
  weightsSteps?: number[];
}

/** Steps a run trained for: up to where a divergence or its stopAfter events stopped it, else its horizon. */
export function stepsTrained(record: RunRecord): number {
  return record.divergedDetectedAt ?? record.diverged ?? record.stopped ?? record.params.steps;
}
