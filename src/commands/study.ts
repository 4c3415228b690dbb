// `shortcut-bench study [config]`: every (condition, seed) of a study config on the pool; results
// appended to runs.jsonl as each run finishes, then summary.json, report.md and the headline table.
import { join } from "node:path";
import type { Argv } from "yargs";
import { resolveParams, type ModelParams } from "../config/modelKeys.js";
import { conditionsOf, loadStudyConfig, paramsFor, validateSeeds, type StudyConfig } from "../config/studyConfig.js";
import { Engine, type RunJob } from "../pool/engine.js";
import type { RunRecord } from "../store/runRecord.js";
import { prepareResultsDir } from "../store/resultsDir.js";
import { parseShardSpec, selectShard, shardFileName } from "../store/shardSpec.js";
import { configHash } from "../store/configHash.js";
import { runKey } from "../store/runsFile.js";
import { headlineTable } from "../analysis/report.js";
import { checkTally, runThresholdChecks } from "../analysis/check.js";
import { parseEngineFlags, withEngineFlags } from "./engineOptions.js";
import { Progress } from "./progress.js";
import { runWithInterrupt } from "./interrupt.js";
import { summarizeResults, writeStudyOutputs } from "./studyOutputs.js";

export const DEFAULT_STUDY_CONFIG = "configs/quick.json5";

export function studyCommandBuilder(yargs: Argv) {
  return withEngineFlags(yargs)
    .positional("config", { type: "string", describe: `study config (JSON5); default ${DEFAULT_STUDY_CONFIG}` })
    .option("out", { type: "string", describe: "results directory (default reports/<config name>/)" })
    .option("seeds", { type: "string", describe: "override the config's seeds with a count N (seeds 0 … N−1)" })
    .option("shard", { type: "string", describe: "run only the deterministic part i of n of the (condition, seed) pairs, written as i/n (1 ≤ i ≤ n); also read from SLURM_ARRAY_TASK_ID/COUNT" })
    .option("shard-count", { type: "string", describe: "n for JOB_COMPLETION_INDEX (Kubernetes indexed jobs)" })
    .option("fresh", { type: "boolean", default: false, describe: "discard existing results in the directory (needed when the config changed)" })
    .option("check", { type: "boolean", default: false, describe: "run the config's checks after the study; exit 1 if any fails" })
    .option("quiet", { type: "boolean", default: false, describe: "no progress on stderr" })
    .option("json", { type: "boolean", default: false, describe: "print { runs, summary } as JSON instead of the headline table" });
}

/** The config with every default filled in: what the results were made from (and hashed). */
export function resolvedConfigOf(config: StudyConfig) {
  const { seed: _seed, ...base } = resolveParams(config.base) as ModelParams;
  return {
    name: config.name,
    base,
    grid: config.grid,
    seeds: config.seeds,
    events: config.events,
    charts: config.charts,
    checks: config.checks,
  };
}

export async function studyCommand(argv: Record<string, unknown>): Promise<number> {
  const file = (argv.config as string | undefined) ?? DEFAULT_STUDY_CONFIG;
  const config = loadStudyConfig(file);
  if (argv.seeds !== undefined) config.seeds = validateSeeds(Number(argv.seeds), "--seeds");
  const engineFlags = parseEngineFlags(argv as { threads?: string; shards?: string; kernel?: string });
  const out = (argv.out as string | undefined) ?? join("reports", config.name);
  const shard = parseShardSpec(argv.shard as string | undefined, process.env, argv["shard-count"] === undefined ? undefined : Number(argv["shard-count"]));

  const conditions = conditionsOf(config);
  const pairs = conditions.flatMap((condition) => config.seeds.map((seed) => ({ condition, seed })));
  const mine = shard === null ? pairs : selectShard(pairs, (p) => runKey(p.condition, p.seed), shard.index, shard.count);
  const resolved = resolvedConfigOf(config);
  const results = prepareResultsDir(out, {
    resolvedConfig: resolved,
    fresh: Boolean(argv.fresh),
    runsFileName: shard === null ? "runs.jsonl" : shardFileName(shard.index, shard.count),
  });
  const quiet = Boolean(argv.quiet) || Boolean(argv.json);
  for (const warning of results.warnings) process.stderr.write(`shortcut-bench: warning: ${warning}\n`);

  const todo = mine.filter((p) => !results.done.has(runKey(p.condition, p.seed)));
  const jobs: RunJob[] = todo.map((p) => ({ params: paramsFor(config, p.condition, p.seed), condition: p.condition }));
  const records: RunRecord[] = [...results.records];
  if (!quiet) {
    const skipped = mine.length - todo.length;
    process.stderr.write(`study ${config.name}: ${conditions.length} conditions × ${config.seeds.length} seeds` +
      `${shard === null ? "" : `, shard ${shard.index}/${shard.count}: ${mine.length} runs`}` +
      `${skipped > 0 ? `, ${skipped} already done (resuming)` : ""} → ${out}\n`);
  }

  const engine = new Engine(engineFlags.threads);
  const progress = new Progress(engine, jobs.length, Math.max(1, ...jobs.map((j) => j.params.steps)), quiet);
  const started = performance.now();
  try {
    progress.start();
    await runWithInterrupt((signal) =>
      engine.runMany(jobs, {
        events: config.events,
        shards: engineFlags.shards,
        kernel: engineFlags.kernel,
        signal,
        onRunDone: (record) => {
          results.appender.append(record); // durable before the run counts as done
          records.push(record);
          progress.runDone();
        },
      }),
    );
  } finally {
    progress.stop();
    results.appender.close();
    await engine.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;

  if (shard !== null) {
    if (!quiet) process.stderr.write(`shard ${shard.index}/${shard.count} done: ${records.length} runs in ${join(out, shardFileName(shard.index, shard.count))}; join shards with 'shortcut-bench merge'\n`);
    if (argv.json) process.stdout.write(JSON.stringify({ runs: records }) + "\n");
    return 0;
  }
  const summary = summarizeResults(records, configHash(resolved), resolved);
  writeStudyOutputs(out, summary, records, resolved, { command: commandLine(), wallSeconds });
  if (argv.json) process.stdout.write(JSON.stringify({ runs: records, summary }) + "\n");
  else process.stdout.write(`${headlineTable(summary)}\n\nwrote ${join(out, "report.md")} (${wallSeconds.toFixed(1)} s)\n`);

  if (argv.check) {
    const results = runThresholdChecks(summary, config.checks, (condition) => ({ ...resolved.base, ...condition }));
    for (const r of results) process.stdout.write(`${r.line}\n`);
    const tally = checkTally(results);
    process.stdout.write(`${tally.line}\n`);
    return tally.failed > 0 ? 1 : 0;
  }
  return 0;
}

/** The command as typed, for "reproduce with" lines. */
export function commandLine(): string {
  return ["npx shortcut-bench", ...process.argv.slice(2)].join(" ");
}
