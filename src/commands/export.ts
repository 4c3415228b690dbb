// `shortcut-bench export <dir> --format csv|parquet [--what runs,events,trajectories,pivot,effects] [--out DIR]`:
// a results directory's runs as flat tables for pandas, R, lifelines or DuckDB (issue 13), and the
// report's pivot tables (issue 22; --rows/--cols as for report) and effect models (issue 18), each file written atomically as
// <out>/<what>.<csv|parquet>.
import { join } from "node:path";
import type { Argv } from "yargs";
import { InputError } from "../config/inputError.js";
import { conditionsOf } from "../config/studyConfig.js";
import { toCsv } from "../export/csv.js";
import { buildTable, type TableName } from "../export/tables.js";
import { EXPORT_FORMATS, EXPORT_TABLES, writeFileAtomic } from "../store/resultsDir.js";
import { readResults } from "../study/readResults.js";
import { gapsOf } from "../study/resolvedConfig.js";
import { takeExportDir } from "../study/resultsDir.js";
import { commandLine } from "./commandLine.js";
import { EXIT_OK } from "./exitCodes.js";
import { pivotFlags, viewOptionsOf } from "./viewFlags.js";
import { pivotAxes } from "../analysis/pivot.js";
import { checkViewOptions, mergeViewOptions } from "../config/viewOptions.js";
import { pivotTable } from "../export/pivotTable.js";
import { effectsTable } from "../export/effectsTable.js";
import { PIVOT_FINALS, summarizeResults } from "../study/outputs.js";
import type { StudySummary } from "../analysis/summaryTypes.js";

export function exportCommandBuilder(yargs: Argv) {
  return pivotFlags(yargs)
    .positional("dir", { type: "string", describe: "results directory holding runs.jsonl and config.resolved.json" })
    .option("format", { choices: EXPORT_FORMATS, default: "csv" as const, describe: "file format" })
    .option("what", {
      type: "string",
      array: true,
      defaultDescription: "all that apply",
      describe: "tables to write, a comma list or repeated (--what events,runs): runs = one row per run; events = (run, event, step, reached) for survival analysis, gaps as event gap.<first>.<second>; trajectories = one row per run and evaluated step; pivot = the report's pivot tables (a study with two or more grid keys); effects = one row per term of each effect model (the report's Answers)",
    })
    .option("out", { type: "string", defaultDescription: "the results directory", describe: "folder for the files" })
    .option("quiet", { type: "boolean", default: false, describe: "no warnings on stderr" });
}

/** `--what`: table names, each value a comma list (`--what events,runs`, `--what events --what runs`). */
function tablesAsked(values: readonly string[] | undefined): TableName[] | undefined {
  if (values === undefined) return undefined;
  const names = values.flatMap((v) => String(v).split(",")).map((name) => name.trim()).filter((name) => name !== "");
  const allowed = `allowed: ${EXPORT_TABLES.join(", ")}, or a comma list of them`;
  if (names.length === 0) throw new InputError(`--what needs a table name (${allowed})`, { key: "what" });
  for (const name of names) {
    if (!(EXPORT_TABLES as readonly string[]).includes(name)) throw new InputError(`--what: unknown table '${name}' (${allowed})`, { key: "what" });
  }
  return names as TableName[];
}

export async function exportCommand(argv: Record<string, unknown>): Promise<number> {
  const dir = argv.dir as string;
  const format = argv.format as (typeof EXPORT_FORMATS)[number];
  const asked = tablesAsked(argv.what as string[] | undefined);
  const out = (argv.out as string | undefined) ?? dir;
  const { hash, config, records, warnings } = readResults(dir);
  const views = checkViewOptions(mergeViewOptions(config.figures ?? {}, viewOptionsOf(argv)), config.grid, (key) => `--${key}`);
  const axes = pivotAxes(config.grid, views);
  // by default every table that applies: a pivot needs two grid keys
  const what = [...new Set(asked ?? EXPORT_TABLES.filter((t) => t !== "pivot" || axes !== null))];
  if (what.includes("pivot") && axes === null) {
    throw new InputError(`--what pivot: the study has ${Object.keys(config.grid).length} grid key(s); a pivot table needs two or more (allowed here: ${EXPORT_TABLES.filter((t) => t !== "pivot").join(", ")})`);
  }
  if (!argv.quiet) for (const w of warnings) process.stderr.write(`shortcut-bench: warning: ${w}\n`);

  // Every write under the lock of a directory the tool owns: never onto another study's tables.
  const owned = takeExportDir(out, config, commandLine());
  try {
    const events = Object.keys(config.events);
    const conditions = conditionsOf(config);
    let summary: StudySummary | undefined;
    const summaryOnce = () => (summary ??= summarizeResults(records, hash, config));
    // loaded here, not at start-up: every command (a bad flag, check) loaded hyparquet-writer before
    const encode = format === "csv" ? toCsv : (await import("../export/parquet.js")).toParquet;
    for (const name of what) {
      const table =
        name === "pivot"
          ? pivotTable(summaryOnce(), axes!, PIVOT_FINALS)
          : name === "effects"
            ? effectsTable(summaryOnce())
            : buildTable(name, records, conditions, events, gapsOf(config));
      const file = join(out, `${name}.${format}`);
      writeFileAtomic(file, encode(table));
      process.stdout.write(`wrote ${file} (${table.rows} rows × ${table.columns.length} columns)\n`);
    }
  } finally {
    owned.close();
  }
  return EXIT_OK;
}
