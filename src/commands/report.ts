// `shortcut-bench report <dir>`: regenerates <dir>/summary.json, figures and report.md from
// <dir>/runs.jsonl and <dir>/config.resolved.json alone (SPEC §5), each written atomically.
import { join } from "node:path";
import type { Argv } from "yargs";
import { readResults } from "../study/readResults.js";
import { summarizeResults, writeStudyOutputs } from "../study/outputs.js";
import { commandLine } from "./commandLine.js";
import { EXIT_OK } from "./exitCodes.js";

export function reportCommandBuilder(yargs: Argv) {
  return yargs
    .positional("dir", { type: "string", describe: "results directory holding runs.jsonl and config.resolved.json" })
    .option("quiet", { type: "boolean", default: false, describe: "no warnings on stderr" });
}

export async function reportCommand(argv: Record<string, unknown>): Promise<number> {
  const dir = argv.dir as string;
  const { hash, config, records, warnings } = readResults(dir);
  if (!argv.quiet) for (const w of warnings) process.stderr.write(`shortcut-bench: warning: ${w}\n`);

  const summary = summarizeResults(records, hash, config);
  // The study's wall time is not in runs.jsonl: the report says it is unknown.
  await writeStudyOutputs(dir, summary, records, config, { command: commandLine(), wallSeconds: null });
  process.stdout.write(`wrote ${join(dir, "report.md")} and ${join(dir, "summary.json")} from ${records.length} runs\n`);
  return EXIT_OK;
}
