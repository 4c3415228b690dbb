// `shortcut-bench study [config]`: flags → runStudy → the headline table (or JSON), then the
// config's checks with --check.
import { join, resolve } from "node:path";
import type { Argv } from "yargs";
import { validateSeeds, type StudyConfig } from "../config/studyConfig.js";
import { InputError } from "../config/inputError.js";
import { DEFAULT_KERNEL } from "../kernel/registry.js";
import { resultsDirOfConfigFile, studyConfigFromResults } from "../study/reproduce.js";
import { loadStudyConfigWithOverrides } from "../config/overrides.js";
import { checkShardCountAgrees, parseShardSpec } from "../store/shardSpec.js";
import { headlineTable } from "../render/studyReport.js";
import { checkTally, runThresholdChecks } from "../analysis/check.js";
import { runStudy } from "../study/runStudy.js";
import { nothingToCheck } from "../study/check.js";
import { commandLine } from "./commandLine.js";
import { parseEngineFlags, withEngineFlags } from "./engineOptions.js";
import { parseWeightsFlags, withWeightsFlags } from "./weightsFlags.js";
import { EXIT_FAILED, EXIT_OK } from "./exitCodes.js";
import { DEFAULT_STUDY_CONFIG, defaultStudyConfig } from "../packageFiles.js";

export function studyCommandBuilder(yargs: Argv) {
  return withWeightsFlags(withEngineFlags(yargs))
    .positional("config", { type: "string", describe: `study config (JSON5); default ./${DEFAULT_STUDY_CONFIG}, else the one bundled with shortcut-bench` })
    .option("out", { type: "string", defaultDescription: "reports/<config name>/", describe: "results directory" })
    .option("from", { type: "string", describe: "reproduce the study of a results directory from its config.resolved.json (the same runs; its kernel unless --kernel names another), into --out (also: study DIR/config.resolved.json)" })
    .option("seeds", { type: "string", describe: "override the config's seeds with a count N (seeds 0 … N−1)" })
    .option("set", { type: "string", describe: "override one config value, key=value (repeatable): lr=0.4, base.steps=500, seeds=20" })
    .option("grid", { type: "string", describe: "sweep a model key over a comma list, key=a,b,c (repeatable): replaces that key's grid values" })
    .option("shard", { type: "string", describe: "run only the deterministic part i of n of the (condition, seed) pairs: i/n (1 ≤ i ≤ n), slurm (from SLURM_ARRAY_TASK_ID/COUNT) or k8s (from JOB_COMPLETION_INDEX, with --shard-count)" })
    .option("shard-count", { type: "string", describe: "n for --shard k8s: the Kubernetes indexed job's completions" })
    .option("narrow", { type: "boolean", default: false, describe: "when the results directory holds runs this config does not ask for: set them aside (kept in the runs file, not counted) instead of refusing" })
    .option("fresh", { type: "boolean", default: false, describe: "discard existing results in the directory (needed when the config changed)" })
    .option("check", { type: "boolean", default: false, describe: "run the config's checks after the study; exit 1 if any fails" })
    .option("quiet", { type: "boolean", default: false, describe: "no progress on stderr" })
    .option("json", { type: "boolean", default: false, describe: "print { runs, summary } as JSON instead of the headline table" })
    .option("wide", { type: "boolean", default: false, describe: "print the headline table in one piece, one header line, however wide (without it, the table fits 100 columns)" });
}

export async function studyCommand(argv: Record<string, unknown>): Promise<number> {
  const overrides = { set: repeatable(argv.set), grid: repeatable(argv.grid) };
  const fromDir = argv.from !== undefined ? String(argv.from) : argv.config === undefined ? null : resultsDirOfConfigFile(String(argv.config));
  if (argv.from !== undefined && argv.config !== undefined) throw new InputError("--from DIR takes the config from DIR: give no config file with it", { key: "from" });
  let config: StudyConfig;
  let resultsKernel: string | undefined;
  if (fromDir !== null) {
    ({ config, kernel: resultsKernel } = studyConfigFromResults(fromDir, overrides));
  } else {
    const chosen = argv.config === undefined ? defaultStudyConfig() : { file: argv.config as string, bundled: false };
    if (chosen.bundled && !argv.quiet) process.stderr.write(`no ./${DEFAULT_STUDY_CONFIG} here: using the one bundled with shortcut-bench, ${chosen.file}\n`);
    config = loadStudyConfigWithOverrides(chosen.file, overrides);
  }
  if (argv.seeds !== undefined) config.seeds = validateSeeds(Number(argv.seeds), "--seeds");
  const engineFlags = parseEngineFlags(argv as { threads?: string; shards?: string; kernel?: string });
  // the same runs need the kernel they were made with, unless another is asked for
  if (resultsKernel !== undefined && argv.kernel === DEFAULT_KERNEL) engineFlags.kernel = parseEngineFlags({ kernel: resultsKernel }).kernel;
  const out = (argv.out as string | undefined) ?? join("reports", config.name);
  if (fromDir !== null && resolve(out) === resolve(fromDir)) {
    throw new InputError(`--out ${out}: the directory the study is reproduced from already holds its runs; name a new directory with --out DIR`, { key: "out" });
  }
  const { shard, note } = parseShardSpec(argv.shard as string | undefined, process.env, argv["shard-count"] === undefined ? undefined : Number(argv["shard-count"]));
  if (note !== null) process.stderr.write(`shortcut-bench: ${note}\n`);
  if (shard !== null && !argv.fresh) checkShardCountAgrees(out, shard);
  // --check with no checks is refused as check refuses it, before anything runs
  if (argv.check && config.checks.length === 0) throw nothingToCheck(`the checks of ${config.file}`, false);
  const quiet = Boolean(argv.quiet) || Boolean(argv.json);

  const outcome = await runStudy({ config, out, ...engineFlags, shard, fresh: Boolean(argv.fresh), narrow: Boolean(argv.narrow), ...parseWeightsFlags(argv), progress: !quiet, command: commandLine() });
  const { records, summary, resolved } = outcome;
  if (summary === null) {
    if (!quiet) process.stderr.write(`shard ${shard?.index}/${shard?.count} done: ${records.length} runs in ${outcome.runsFile}; join shards with 'shortcut-bench merge'\n`);
    if (argv.json) process.stdout.write(JSON.stringify({ runs: records }) + "\n");
    return EXIT_OK;
  }
  if (argv.json) process.stdout.write(JSON.stringify({ runs: records, summary }) + "\n");
  else process.stdout.write(`${headlineTable(summary, { wide: Boolean(argv.wide) })}\n\nwrote ${join(out, "report.md")} (${outcome.wallSeconds.toFixed(1)} s)\n`);

  if (!argv.check) return EXIT_OK;
  const results = runThresholdChecks(summary, config.checks, (condition) => ({ ...resolved.base, ...condition }));
  for (const r of results) process.stdout.write(`${r.line}\n`);
  const tally = checkTally(results);
  process.stdout.write(`${tally.line}\n`);
  return tally.failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/** A flag that may be given several times: yargs hands over one string or an array of them. */
function repeatable(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
