// The one orchestration of a study (SPEC §4): resolve the config, plan its (condition, seed) pairs,
// run the ones not done on the engine, append each to the runs file as it finishes, then summarise
// and write summary.json and report.md. `study`, `run` and the tests all go through here.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { BLOCK_SIZE, blockCount } from "../kernel/step.js";
import { checkFeasible } from "../config/feasibility.js";
import type { StudyConfig } from "../config/studyConfig.js";
import { Engine } from "../pool/engine.js";
import { DEFAULT_KERNEL, type KernelName } from "../kernel/registry.js";
import { DEFAULT_RUNS_FILE } from "../store/resultsDir.js";
import { writeRunWeights } from "../store/runWeights.js";
import { shardFileName, type ShardSpec } from "../store/shardSpec.js";
import { compareRunRecords } from "../store/runOrder.js";
import type { RunRecord } from "../store/runRecord.js";
import { runKey } from "../store/runsFile.js";
import { Progress } from "./progress.js";
import { runWithInterrupt } from "./interrupt.js";
import { summarizeResults, writeStudyOutputs, type ResultsSummary } from "./outputs.js";
import { plannedFlops, planStudy, type StudyPlan } from "./plan.js";
import { resolvedConfigOf, studyHash, type ResolvedStudyConfig } from "./resolvedConfig.js";
import { openStudyResults } from "./resultsDir.js";
import { countOf } from "../render/format.js";

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
  /** Rewrite the outputs over fewer runs than `out` holds, setting the others aside (else refused). */
  narrow?: boolean;
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
  /** The runs the config asks for now present in the runs file: those found, then the new ones in completion order. */
  records: RunRecord[];
  /** Runs found in the runs file that the config does not ask for: kept there, not counted. */
  setAside: number;
  /** Runs skipped because they were already done. */
  resumed: number;
  /** The study's summary; null when sharded (merge makes it). */
  summary: ResultsSummary | null;
  /** The runs file the runs were appended to (null in memory). */
  runsFile: string | null;
  wallSeconds: number;
  /** The runs this call computed (the others were found done): what wallSeconds was spent on. */
  computed: RunRecord[];
}

export async function runStudy(request: StudyRequest): Promise<StudyOutcome> {
  const { config, out } = request;
  const shard = request.shard ?? null;
  const log = request.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // Before anything is written: a config that cannot run on this machine is refused (exit 2).
  checkFeasible(config, { threads: request.threads, shards: request.shards, kernel: request.kernel ?? DEFAULT_KERNEL });
  const resolved = resolvedConfigOf(config, request.kernel ?? DEFAULT_KERNEL);
  const hash = studyHash(resolved);
  const runsFileName = shard === null ? DEFAULT_RUNS_FILE : shardFileName(shard.index, shard.count);
  const results = out === null ? null : openStudyResults(out, resolved, { fresh: Boolean(request.fresh), runsFileName, command: request.command, narrow: request.narrow });
  try {
    for (const warning of results?.runs.warnings ?? []) log(`shortcut-bench: warning: ${warning}`);
    const found = results?.runs.records ?? [];
    const plan = planStudy(config, shard, new Set(found.map((r) => runKey(r.condition, r.seed))));
    const records: RunRecord[] = [...found];
    const setAside = results?.runs.setAside.length ?? 0;
    const resumed = plan.mine.length - plan.jobs.length;
    if (request.progress && out !== null) {
      log(`study ${config.name}: ${plan.conditions.length} conditions × ${config.seeds.length} seeds` +
        `${shard === null ? "" : `, shard ${shard.index}/${shard.count}: ${plan.mine.length} runs`}` +
        `${resumed > 0 ? `, ${resumed} already done (resuming)` : ""}` +
        `${setAside > 0 ? `, ${setAside} not in the config set aside` : ""} → ${out}`);
    }

    for (const note of engineNotes(request, plan)) log(`shortcut-bench: warning: ${note}`);
    const started = performance.now();
    try {
      // Every run already done: no pool is started (and none torn down while its threads still load).
      if (plan.jobs.length > 0) {
        const engine = request.engine ?? new Engine(request.threads);
        const progress = new Progress(engine, plan.jobs.length, plannedFlops(plan.jobs), !request.progress);
        try {
          progress.start();
          await runWithInterrupt((signal) =>
            engine.runMany(plan.jobs, {
              events: config.events,
              shards: request.shards,
              kernel: resolved.kernel as KernelName,
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
          if (request.engine === undefined) await engine.close();
        }
      }
    } finally {
      results?.appender.close();
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const runsFile = out === null ? null : join(out, runsFileName);
    const computed = records.slice(found.length);
    records.sort(compareRunRecords); // the order runs finished in varies with threads and load; outputs must not
    const outcome = { resolved, hash, plan, records, setAside, resumed, runsFile, wallSeconds, computed };
    if (shard !== null) return { ...outcome, summary: null };

    const summary = summarizeResults(records, hash, resolved, setAside);
    if (out !== null) await writeStudyOutputs(out, summary, records, resolved, { command: request.command, timing: { wallSeconds, computed } });
    return { ...outcome, summary };
  } finally {
    results?.close();
  }
}

/** What the engine will do differently from what was asked: more threads than cores, fewer shards than asked. */
function engineNotes(request: StudyRequest, plan: StudyPlan): string[] {
  const notes: string[] = [];
  const cores = availableParallelism();
  if (request.threads > cores) notes.push(`--threads ${request.threads} is more than this machine's ${cores} cores: the threads will share them (slower, and more memory), not add speed`);
  if (typeof request.shards === "number") {
    const widths = new Set(plan.jobs.map((j) => j.params.width));
    for (const width of widths) {
      const most = Math.min(request.threads, blockCount(width));
      if (request.shards > most) {
        notes.push(`--shards ${request.shards} clamped to ${most} for width ${width} (${request.threads < blockCount(width) ? `--threads ${request.threads}` : `${countOf(blockCount(width), "block")} of ${BLOCK_SIZE} neurons`})`);
      }
    }
  }
  return notes;
}
