// The record of one finished run: one line of runs.jsonl (SPEC §4).
import type { ModelParams } from "../config/modelKeys.js";
import type { Metrics, TrajectoryPoint } from "../kernel/metricNames.js";

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
   * Wall milliseconds of the SGD steps alone (the slowest shard's steps 1 … steps), without
   * allocation, initialisation and the test set, which `wallMs` includes (absent in records written
   * before this field existed).
   */
  stepsMs?: number;
}

export interface RunRates {
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
  /** Event name → first evaluated step at which it held, or null (censored). */
  events: Record<string, number | null>;
  rates: RunRates;
  /** Metrics at the last evaluated step. */
  final: Metrics;
  trajectory: TrajectoryPoint[];
  /** Step at which the loss or a weight became non-finite, or null. */
  diverged: number | null;
  wallMs: number;
  engine: EngineInfo;
}
