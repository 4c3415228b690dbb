// The one orchestration of a study (SPEC §4): resolve the config, plan its (condition, seed) pairs,
// run the ones not done on the engine, append each to the runs file as it finishes, then summarise
// and write summary.json and report.md. `study`, `run` and the tests all go through here.
import { join } from "node:path";
import type { StudyConfig } from "../config/studyConfig.js";
import { Engine } from "../pool/engine.js";
import type { KernelName } from "../kernel/registry.js";
import { configHash } from "../store/configHash.js";
import { prepareResultsDir } from "../store/resultsDir.js";
import { writeRunWeights } from "../store/runWeights.js";
import { shardFileName, type ShardSpec } from "../store/shardSpec.js";
import type { RunRecord } from "../store/runRecord.js";
import type { StudySummary } from "../analysis/summary.js";
import { Progress } from "./progress.js";
import { runWithInterrupt } from "./interrupt.js";
import { summarizeResults, writeStudyOutputs } from "./outputs.js";
import { longestRun, planStudy, type StudyPlan } from "./plan.js";
import { resolvedConfigOf, type ResolvedStudyConfig } from "./resolvedConfig.js";

export interface StudyRequest {
  config: StudyConfig;
  /** Results directory; null keeps the runs in memory only (nothing written, nothing resumed). */
  out: string | null;
  threads: number;
  shards: number | "auto";
  /** Step kernel (default: the engine's). */
  kernel?: KernelName;
  /** This process's part of the pairs; null or absent: all of them. */
  shard?: ShardSpec | null;
  /** Discard the results already in `out`. */
  fresh?: boolean;
  /** Write each run's final weights under `out`/weights/ and list them in its record (needs `out`). */
  saveWeights?: boolean;
  /** With saveWeights: also the weights at these steps (each run those ≤ its steps). */
  weightSteps?: readonly number[];
  /** Progress on stderr (off: nothing printed but warnings). */
  progress?: boolean;
  /** The reproduce line of the report. */
  command: string;
  /** Where warnings and notes go (default: stderr). */
  log?: (line: string) => void;
  /** An engine with `threads` threads to run on, left open; without it one is made and closed. */
  engine?: Engine;
}

export interface StudyOutcome {
  resolved: ResolvedStudyConfig;
  hash: string;
  plan: StudyPlan;
  /** Every run of this shard now present: those found in the runs file, then the new ones in completion order. */
  records: RunRecord[];
  /** Runs skipped because they were already done. */
  resumed: number;
  /** The study's summary; null when sharded (merge makes it). */
  summary: StudySummary | null;
  /** The runs file the runs were appended to (null in memory). */
  runsFile: string | null;
  wallSeconds: number;
}

export async function runStudy(request: StudyRequest): Promise<StudyOutcome> {
  const { config, out } = request;
  const shard = request.shard ?? null;
  const log = request.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const resolved = resolvedConfigOf(config);
  const hash = configHash(resolved);
  const runsFileName = shard === null ? "runs.jsonl" : shardFileName(shard.index, shard.count);
  const results = out === null ? null : prepareResultsDir(out, { resolvedConfig: resolved, fresh: Boolean(request.fresh), runsFileName });
  for (const warning of results?.warnings ?? []) log(`shortcut-bench: warning: ${warning}`);

  const plan = planStudy(config, shard, results?.done ?? new Set());
  const records: RunRecord[] = [...(results?.records ?? [])];
  const resumed = plan.mine.length - plan.jobs.length;
  if (request.progress && out !== null) {
    log(`study ${config.name}: ${plan.conditions.length} conditions × ${config.seeds.length} seeds` +
      `${shard === null ? "" : `, shard ${shard.index}/${shard.count}: ${plan.mine.length} runs`}` +
      `${resumed > 0 ? `, ${resumed} already done (resuming)` : ""} → ${out}`);
  }

  const engine = request.engine ?? new Engine(request.threads);
  const progress = new Progress(engine, plan.jobs.length, longestRun(plan.jobs), !request.progress);
  const started = performance.now();
  try {
    progress.start();
    await runWithInterrupt((signal) =>
      engine.runMany(plan.jobs, {
        events: config.events,
        shards: request.shards,
        kernel: request.kernel,
        signal,
        checkpointSteps: request.saveWeights ? request.weightSteps : undefined,
        onRunDone: (record, _job, weights, checkpoints) => {
          // the weights are on disk before the line that lists them
          if (request.saveWeights && out !== null) {
            record.weights = writeRunWeights(out, record.condition, record.seed, weights, checkpoints);
            if (checkpoints.length > 0) record.weightsSteps = checkpoints.map((c) => c.step);
          }
          results?.appender.append(record); // durable before the run counts as done
          records.push(record);
          progress.runDone();
        },
      }),
    );
  } finally {
    progress.stop();
    results?.appender.close();
    if (request.engine === undefined) await engine.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const runsFile = out === null ? null : join(out, runsFileName);
  if (shard !== null) return { resolved, hash, plan, records, resumed, summary: null, runsFile, wallSeconds };

  const summary = summarizeResults(records, hash, resolved);
  if (out !== null) await writeStudyOutputs(out, summary, records, resolved, { command: request.command, wallSeconds });
  return { resolved, hash, plan, records, resumed, summary, runsFile, wallSeconds };
}
