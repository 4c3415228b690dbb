// The study of issue 18's done-when ("answers"): grid width [16, 32, 64] × lambda [0, 0.5], 12
// seeds, steps 150, every other key at its default — each run's event steps, as
// `shortcut-bench study configs/answers.json5` computes them (a slow test, SB_SLOW=1, runs the study
// and checks these rows against it). 9 of its 72 signal events are censored. Tests build run records
// from the rows (answersRecords) to check the statistics against R on the exported events.csv
// without running 72 runs in the default suite.
import { resolveParams } from "../../src/config/modelKeys.js";
import type { RunRecord } from "../../src/store/runRecord.js";

/** [width, lambda, seed, spurious step, signal step, diverged step], null = never. */
export const ANSWERS_ROWS: readonly (readonly [number, number, number, number | null, number | null, number | null])[] = [
  [16, 0, 0, null, null, null],
  [16, 0, 1, null, null, null],
  [16, 0, 2, null, 149, null],
  [16, 0, 3, null, null, null],
  [16, 0, 4, null, 122, null],
  [16, 0, 5, null, 147, null],
  [16, 0, 6, null, 92, null],
  [16, 0, 7, null, 126, null],
  [16, 0, 8, null, null, null],
  [16, 0, 9, null, 130, null],
  [16, 0, 10, null, 144, null],
  [16, 0, 11, null, null, null],
  [16, 0.5, 0, 17, 147, null],
  [16, 0.5, 1, 18, 144, null],
  [16, 0.5, 2, 10, 133, null],
  [16, 0.5, 3, 17, 129, null],
  [16, 0.5, 4, 15, 139, null],
  [16, 0.5, 5, 17, 106, null],
  [16, 0.5, 6, 15, 100, null],
  [16, 0.5, 7, 16, 101, null],
  [16, 0.5, 8, 15, 140, null],
  [16, 0.5, 9, 17, 110, null],
  [16, 0.5, 10, 19, 115, null],
  [16, 0.5, 11, 17, 146, null],
  [32, 0, 0, null, 109, null],
  [32, 0, 1, null, null, null],
  [32, 0, 2, null, 133, null],
  [32, 0, 3, null, null, null],
  [32, 0, 4, null, 111, null],
  [32, 0, 5, null, 115, null],
  [32, 0, 6, null, 100, null],
  [32, 0, 7, null, 132, null],
  [32, 0, 8, null, 101, null],
  [32, 0, 9, null, 124, null],
  [32, 0, 10, null, 96, null],
  [32, 0, 11, null, null, null],
  [32, 0.5, 0, 14, 114, null],
  [32, 0.5, 1, 16, 132, null],
  [32, 0.5, 2, 9, 133, null],
  [32, 0.5, 3, 17, null, null],
  [32, 0.5, 4, 15, 115, null],
  [32, 0.5, 5, 18, 114, null],
  [32, 0.5, 6, 15, 97, null],
  [32, 0.5, 7, 16, 105, null],
  [32, 0.5, 8, 15, 99, null],
  [32, 0.5, 9, 17, 111, null],
  [32, 0.5, 10, 18, 99, null],
  [32, 0.5, 11, 16, 136, null],
  [64, 0, 0, null, 118, null],
  [64, 0, 1, null, 117, null],
  [64, 0, 2, null, 117, null],
  [64, 0, 3, null, 136, null],
  [64, 0, 4, null, 118, null],
  [64, 0, 5, null, 121, null],
  [64, 0, 6, null, 100, null],
  [64, 0, 7, null, 126, null],
  [64, 0, 8, null, 98, null],
  [64, 0, 9, null, 101, null],
  [64, 0, 10, null, 96, null],
  [64, 0, 11, null, 145, null],
  [64, 0.5, 0, 14, 133, null],
  [64, 0.5, 1, 14, 117, null],
  [64, 0.5, 2, 13, 121, null],
  [64, 0.5, 3, 17, 136, null],
  [64, 0.5, 4, 13, 130, null],
  [64, 0.5, 5, 17, 128, null],
  [64, 0.5, 6, 12, 103, null],
  [64, 0.5, 7, 13, 122, null],
  [64, 0.5, 8, 12, 94, null],
  [64, 0.5, 9, 15, 125, null],
  [64, 0.5, 10, 15, 105, null],
  [64, 0.5, 11, 16, 122, null],
];

/**
 * Run records with the study's conditions, params, seeds and event steps; their trajectories,
 * finals and rates are empty (the event statistics read none of them).
 */
export function answersRecords(): RunRecord[] {
  return ANSWERS_ROWS.map(([width, lambda, seed, spurious, signal, diverged]) => ({
    condition: { width, lambda },
    params: resolveParams({ steps: 150, width, lambda, seed }),
    seed,
    events: { spurious, signal },
    rates: { spuriousRate: null, signalRate: null },
    final: {} as RunRecord["final"],
    trajectory: [],
    diverged,
    wallMs: 0,
    engine: { threads: 1, shards: 1, kernel: "bits", version: "fixture" },
  }));
}
