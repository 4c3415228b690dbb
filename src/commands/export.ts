// `shortcut-bench export <dir> --format csv|parquet [--what runs|events|trajectories] [--out DIR]`:
// a results directory's runs as flat tables for pandas, R, lifelines or DuckDB (issue 13), each
// file written atomically as <out>/<what>.<csv|parquet>.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Argv } from "yargs";
import { InputError } from "../config/inputError.js";
import { conditionsOf } from "../config/studyConfig.js";
import { toCsv } from "../export/csv.js";
import { toParquet } from "../export/parquet.js";
import { buildTable, type TableName } from "../export/tables.js";
import { EXPORT_FORMATS, EXPORT_TABLES, writeFileAtomic } from "../store/resultsDir.js";
import { readResults } from "../study/readResults.js";
import { gapsOf } from "../study/resolvedConfig.js";
import { EXIT_OK } from "./exitCodes.js";

export function exportCommandBuilder(yargs: Argv) {
  return yargs
    .positional("dir", { type: "string", describe: "results directory holding runs.jsonl and config.resolved.json" })
    .option("format", { choices: EXPORT_FORMATS, default: "csv" as const, describe: "file format" })
    .option("what", {
      choices: EXPORT_TABLES,
      array: true,
      defaultDescription: "all",
      describe: "tables to write: runs = one row per run; events = (run, event, step, reached) for survival analysis, gaps as event gap.<first>.<second>; trajectories = one row per run and evaluated step",
    })
    .option("out", { type: "string", defaultDescription: "the results directory", describe: "folder for the files" })
    .option("quiet", { type: "boolean", default: false, describe: "no warnings on stderr" });
}

export async function exportCommand(argv: Record<string, unknown>): Promise<number> {
  const dir = argv.dir as string;
  const format = argv.format as (typeof EXPORT_FORMATS)[number];
  const what = [...new Set((argv.what as TableName[] | undefined) ?? EXPORT_TABLES)];
  const out = (argv.out as string | undefined) ?? dir;
  const { config, records, warnings } = readResults(dir);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new InputError(`--out ${out}: not a directory`);
  if (!argv.quiet) for (const w of warnings) process.stderr.write(`shortcut-bench: warning: ${w}\n`);

  mkdirSync(out, { recursive: true });
  const events = Object.keys(config.events);
  const conditions = conditionsOf(config);
  for (const name of what) {
    const table = buildTable(name, records, conditions, events, gapsOf(config));
    const file = join(out, `${name}.${format}`);
    writeFileAtomic(file, format === "csv" ? toCsv(table) : toParquet(table));
    process.stdout.write(`wrote ${file} (${table.rows} rows × ${table.columns.length} columns)\n`);
  }
  return EXIT_OK;
}
