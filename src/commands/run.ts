// `shortcut-bench run`: one condition from flags, several seeds; prints per-seed events and final
// metrics, their medians, and charts of the median trajectories. Comma lists on model flags sweep a
// grid (then the headline table per condition); --out writes a results directory like a study's.
import type { Argv } from "yargs";
import { join } from "node:path";
import { MODEL_KEYS } from "../config/modelKeys.js";
import { InputError } from "../config/inputError.js";
import { parseFlagValue } from "../config/validateParams.js";
import { parseValueList } from "../config/overrides.js";
import { conditionsOf, paramsFor, parseStudyConfig, type StudyConfig } from "../config/studyConfig.js";
import { headlineTable } from "../render/studyReport.js";
import { formatRunReport, summarizeSeeds } from "../render/runReport.js";
import { parseEngineFlags, parseSeedCount, withEngineFlags } from "./engineOptions.js";
import { parseWeightsFlags, withWeightsFlags } from "./weightsFlags.js";
import { runStudy } from "../study/runStudy.js";
import { commandLine } from "./commandLine.js";
import { EXIT_OK } from "./exitCodes.js";

export function runCommandBuilder(yargs: Argv) {
  let y = withWeightsFlags(withEngineFlags(yargs))
    .option("seeds", { type: "string", describe: "number of seeds: runs seed, seed+1, …", defaultDescription: "1" })
    .option("out", { type: "string", describe: "also write a results directory (runs.jsonl, summary.json, report.md) that report and check read" })
    .option("json", { type: "boolean", default: false, describe: "print one JSON object { runs, summary } instead of tables" })
    .option("wide", { type: "boolean", default: false, describe: "a sweep's headline table in one piece, however wide (without it, the table fits 100 columns)" })
    .option("quiet", { type: "boolean", default: false, describe: "no progress on stderr" });
  for (const spec of MODEL_KEYS) {
    const defaultDescription = spec.defaultText ?? JSON.stringify(spec.default);
    // Every model flag is text, booleans too, so that `--bias true,false` sweeps like any other list
    // (a boolean flag would leave "true,false" behind as a stray argument); a bare `--bias` is true.
    const describe = spec.type === "boolean" ? `${spec.description} — true or false, bare means true` : spec.description;
    y = y.option(spec.key, { type: "string", describe, defaultDescription, group: "Model (a comma list sweeps a grid: --lambda 0,0.5,1):" });
  }
  return y;
}

/** Where run's config comes from, in error messages. */
const FLAGS_SOURCE = "command-line flags";

/**
 * The study that run's flags describe: single values go to `base`, comma lists (`--lambda 0,0.5,1`)
 * to `grid`, and `--seeds n` gives seeds seed … seed+n−1. Every value is checked, naming its flag.
 */
function studyFromFlags(argv: Record<string, unknown>): StudyConfig {
  const base: Record<string, unknown> = {};
  const grid: Record<string, unknown[]> = {};
  for (const spec of MODEL_KEYS) {
    const raw = argv[spec.key];
    if (raw === undefined || spec.key === "seed") continue;
    if (Array.isArray(raw)) throw new InputError(`--${spec.key} was given more than once (a comma list sweeps values: --${spec.key} a,b)`, { key: spec.key });
    const text = raw === "" && spec.type === "boolean" ? "true" : String(raw);
    if (text.includes(",")) grid[spec.key] = parseValueList(spec.key, text, `--${spec.key}`);
    else base[spec.key] = parseFlagValue(spec.key, text);
  }
  const firstSeed = argv.seed === undefined ? 0 : String(argv.seed).includes(",") ? badSeedList() : (parseFlagValue("seed", String(argv.seed)) as number);
  const seedCount = parseSeedCount(argv.seeds as string | undefined, 1);
  return parseStudyConfig({ name: "run", base, grid, seeds: Array.from({ length: seedCount }, (_, i) => firstSeed + i) }, FLAGS_SOURCE);
}

function badSeedList(): never {
  throw new InputError("--seed: one first seed (--seeds n runs n seeds from it), not a list", { key: "seed" });
}

export async function runCommand(argv: Record<string, unknown>): Promise<number> {
  const config = studyFromFlags(argv);
  const engineFlags = parseEngineFlags(argv as { threads?: string; shards?: string; kernel?: string });
  const out = (argv.out as string | undefined) ?? null;
  const weightsFlags = parseWeightsFlags(argv);
  if (weightsFlags.saveWeights && out === null) throw new InputError("--save-weights needs --out DIR: the weights go under DIR/weights/", { key: "save-weights" });
  const quiet = Boolean(argv.quiet) || Boolean(argv.json);
  const outcome = await runStudy({ config, out, ...engineFlags, fresh: false, ...weightsFlags, progress: !quiet, command: commandLine() });
  const records = [...outcome.records].sort((a, b) => a.seed - b.seed);
  const conditions = conditionsOf(config);
  const written = out === null ? "" : `\nwrote ${join(out, "report.md")}`;
  if (conditions.length > 1) {
    // A sweep: the study's headline table, one row per condition.
    if (argv.json) process.stdout.write(JSON.stringify({ runs: records, summary: outcome.summary }) + "\n");
    else if (outcome.summary !== null) process.stdout.write(`${headlineTable(outcome.summary, { wide: Boolean(argv.wide) })}\n${written}\n`);
    return EXIT_OK;
  }
  const summary = summarizeSeeds(records, outcome);
  if (argv.json) {
    process.stdout.write(JSON.stringify({ runs: records, summary }) + "\n");
  } else {
    const params = paramsFor(config, conditions[0], config.seeds[0]);
    process.stdout.write(formatRunReport(params, records, summary, engineFlags.threads) + `${written}\n`);
  }
  return EXIT_OK;
}
