// `shortcut-bench run`: one condition from flags, several seeds; prints per-seed events and final
// metrics, their medians, and charts of the median trajectories. Comma lists on model flags sweep a
// grid (then the headline table per condition); --out writes a results directory like a study's.
import type { Argv } from "yargs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { conditionsOf, paramsFor } from "../config/studyConfig.js";
import { headlineTable } from "../render/studyReport.js";
import { formatRunReport, summarizeSeeds } from "../render/runReport.js";
import { parseEngineFlags, withEngineFlags } from "./engineOptions.js";
import { studyFromModelFlags, withModelFlags } from "./modelFlags.js";
import { parseWeightsFlags, withWeightsFlags } from "./weightsFlags.js";
import { runStudy } from "../study/runStudy.js";
import { commandLine } from "./commandLine.js";
import { EXIT_OK } from "./exitCodes.js";

export function runCommandBuilder(yargs: Argv) {
  const y = withWeightsFlags(withEngineFlags(yargs))
    .option("seeds", { type: "string", describe: "number of seeds: runs seed, seed+1, …", defaultDescription: "1" })
    .option("out", { type: "string", describe: "also write a results directory (runs.jsonl, summary.json, report.md) that report and check read" })
    .option("narrow", { type: "boolean", default: false, describe: "when the results directory holds runs this config does not ask for: set them aside (kept in the runs file, not counted) instead of refusing" })
    .option("json", { type: "boolean", default: false, describe: "print one JSON object { runs, summary } instead of tables" })
    .option("wide", { type: "boolean", default: false, describe: "a sweep's headline table in one piece, however wide (without it, the table fits 100 columns)" })
    .option("quiet", { type: "boolean", default: false, describe: "no progress on stderr" });
  return withModelFlags(y);
}

export async function runCommand(argv: Record<string, unknown>): Promise<number> {
  const config = studyFromModelFlags(argv);
  const engineFlags = parseEngineFlags(argv as { threads?: string; shards?: string; kernel?: string });
  const out = (argv.out as string | undefined) ?? null;
  const weightsFlags = parseWeightsFlags(argv);
  if (weightsFlags.saveWeights && out === null) throw new InputError("--save-weights needs --out DIR: the weights go under DIR/weights/", { key: "save-weights" });
  const quiet = Boolean(argv.quiet) || Boolean(argv.json);
  const outcome = await runStudy({ config, out, ...engineFlags, fresh: false, narrow: Boolean(argv.narrow), ...weightsFlags, progress: !quiet, command: commandLine() });
  const records = [...outcome.records].sort((a, b) => a.seed - b.seed);
  const conditions = conditionsOf(config);
  const written = out === null ? "" : `\nwrote ${join(out, "report.md")}`;
  if (conditions.length > 1) {
    // A sweep: the study's headline table, one row per condition.
    if (argv.json) process.stdout.write(JSON.stringify({ runs: records, summary: outcome.summary }) + "\n");
    else if (outcome.summary !== null) process.stdout.write(`${headlineTable(outcome.summary, { wide: Boolean(argv.wide), reportWritten: out !== null })}\n${written}\n`);
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
