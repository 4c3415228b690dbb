// `shortcut-bench run`: one condition from flags, several seeds; prints per-seed events and final
// metrics, their medians, and charts of the median trajectories. Comma lists on model flags sweep a
// grid (then the headline table per condition); --out writes a results directory like a study's.
import type { Argv } from "yargs";
import { join } from "node:path";
import { MODEL_KEYS, type ModelParams } from "../config/modelKeys.js";
import { InputError } from "../config/inputError.js";
import { parseFlagValue } from "../config/validateParams.js";
import { parseValueList } from "../config/overrides.js";
import { DEFAULT_EVENTS } from "../kernel/events.js";
import { conditionsOf, paramsFor, parseStudyConfig, type StudyConfig } from "../config/studyConfig.js";
import { HEADLINE_FINALS, headlineTable } from "../render/studyReport.js";
import { describeEvents, formatStep, formatValue } from "../render/format.js";
import { textTable } from "../render/table.js";
import type { RunRecord } from "../store/runRecord.js";
import { kaplanMeierMedian, percentileBand } from "../analysis/statistics/index.js";
import { horizonOf, timeToEvent } from "../analysis/summary.js";
import { trajectoryCharts } from "../render/asciiTrajectories.js";
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
    .option("wide", { type: "boolean", default: false, describe: "a sweep's headline table in one piece, however wide (default: fits 100 columns)" })
    .option("quiet", { type: "boolean", default: false, describe: "no progress on stderr" });
  for (const spec of MODEL_KEYS) {
    const defaultDescription = spec.defaultText ?? JSON.stringify(spec.default);
    y = y.option(spec.key, { type: spec.type === "boolean" ? "boolean" : "string", describe: spec.description, defaultDescription, group: "Model (a comma list sweeps a grid: --lambda 0,0.5,1):" });
  }
  return y;
}

/** Where run's config comes from, in error messages. */
const FLAGS_SOURCE = "command-line flags";

/**
 * The study that run's flags describe: single values go to `base`, comma lists (`--lambda 0,0.5,1`)
 * to `grid`, and `--seeds n` gives seeds seed … seed+n−1. Every value is checked, naming its flag.
 */
export function studyFromFlags(argv: Record<string, unknown>): StudyConfig {
  const base: Record<string, unknown> = {};
  const grid: Record<string, unknown[]> = {};
  for (const spec of MODEL_KEYS) {
    const raw = argv[spec.key];
    if (raw === undefined || spec.key === "seed") continue;
    if (Array.isArray(raw)) throw new InputError(`--${spec.key} was given more than once (a comma list sweeps values: --${spec.key} a,b)`, { key: spec.key });
    const text = String(raw);
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
  const summary = summarizeSeeds(records, outcome.wallSeconds);
  if (argv.json) {
    process.stdout.write(JSON.stringify({ runs: records, summary }) + "\n");
  } else {
    const params = paramsFor(config, conditions[0], config.seeds[0]);
    process.stdout.write(formatRunReport(params, records, summary, engineFlags.threads) + `${written}\n`);
  }
  return EXIT_OK;
}

export interface SeedSummary {
  seeds: number;
  events: Record<string, { median: number | null; reached: number }>;
  final: Record<string, number>;
  diverged: number;
  wallSeconds: number;
  stepsPerSecond: number;
}


/** Medians over seeds: event steps (Kaplan–Meier; not reached by half the runs is +∞, shown as null) and final metrics. */
export function summarizeSeeds(records: readonly RunRecord[], wallSeconds: number): SeedSummary {
  const events: SeedSummary["events"] = {};
  for (const name of Object.keys(DEFAULT_EVENTS)) {
    const times = records.map((r) => timeToEvent(r, name, horizonOf(records)));
    const median = records.length > 0 ? kaplanMeierMedian(times).median : Infinity;
    events[name] = { median: Number.isFinite(median) ? median : null, reached: times.filter((t) => t.observed).length };
  }
  const final: Record<string, number> = {};
  for (const metric of HEADLINE_FINALS) {
    const values = records.map((r) => r.final[metric]).filter(Number.isFinite);
    final[metric] = values.length > 0 ? percentileBand(values).median : NaN;
  }
  const steps = records.reduce((sum, r) => sum + (r.trajectory.at(-1)?.step ?? 0), 0);
  return {
    seeds: records.length,
    events,
    final,
    diverged: records.filter((r) => r.diverged !== null).length,
    wallSeconds,
    stepsPerSecond: wallSeconds > 0 ? steps / wallSeconds : 0,
  };
}

/** Mean over the runs of EngineInfo.barrierWaitShare (0 where a record lacks it). */
export function meanBarrierWaitShare(records: readonly RunRecord[]): number {
  if (records.length === 0) return 0;
  return records.reduce((sum, r) => sum + (r.engine.barrierWaitShare ?? 0), 0) / records.length;
}

/** An event step ("—" when not reached) or a metric value, as the run table shows them. */
function stepCell(value: number | null): string {
  return value === null || !Number.isFinite(value) ? "—" : formatStep(value);
}

export function formatRunReport(params: ModelParams, records: readonly RunRecord[], summary: SeedSummary, threads: number): string {
  const shards = records[0]?.engine.shards ?? 1;
  const kernel = records[0]?.engine.kernel ?? "?";
  const header = `λ=${params.lambda}  d=${params.d}  width=${params.width}  batch=${params.batch}  lr=${params.lr}  steps=${params.steps}\n` +
    `${records.length} seeds on ${threads} threads, ${shards} shard${shards > 1 ? "s" : ""} per run, kernel ${kernel}` +
    (shards > 1 ? `; the shards spent ${(meanBarrierWaitShare(records) * 100).toFixed(0)}% of their time waiting at the barrier` : "");
  const rows = records.map((r) => [
    String(r.seed),
    stepCell(r.events.spurious),
    stepCell(r.events.signal),
    formatValue(r.final.wga),
    formatValue(r.final.coefSpurious),
    formatValue(r.final.coefSignal),
    r.diverged === null ? "—" : String(r.diverged),
    `${(r.wallMs / 1000).toFixed(1)}s`,
  ]);
  const n = records.length;
  rows.push([
    "median",
    `${stepCell(summary.events.spurious.median)} (${summary.events.spurious.reached}/${n})`,
    `${stepCell(summary.events.signal.median)} (${summary.events.signal.reached}/${n})`,
    formatValue(summary.final.wga),
    formatValue(summary.final.coefSpurious),
    formatValue(summary.final.coefSignal),
    `${summary.diverged}/${n}`,
    `${summary.wallSeconds.toFixed(1)}s`,
  ]);
  const eventTable = textTable(["seed", "spurious", "signal", "final wga", "coefSpurious", "coefSignal", "diverged", "wall"], rows);
  const footer = `events: ${describeEvents(DEFAULT_EVENTS)}\n` +
    `— = not reached within ${params.steps} steps (medians count it as ∞)\n` +
    `throughput: ${Math.round(summary.stepsPerSecond).toLocaleString("en-US")} steps/s over ${summary.wallSeconds.toFixed(1)} s wall`;
  const charts = trajectoryCharts(records.map((r) => r.trajectory), `median over ${n} seed${n > 1 ? "s" : ""}`);
  return [header, "", eventTable, "", footer, "", charts].join("\n");
}
