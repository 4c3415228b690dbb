// `shortcut-bench report <dir>`: regenerates <dir>/summary.json, figures and report.md from
// <dir>/runs.jsonl and <dir>/config.resolved.json alone (SPEC §5), each written atomically.
import { join } from "node:path";
import type { Argv } from "yargs";
import { describeCompleteness } from "../study/completeness.js";
import { regenerateReport } from "../study/report.js";
import { commandLine } from "./commandLine.js";
import { EXIT_OK } from "./exitCodes.js";
import { figureFlags, viewOptionsOf } from "./viewFlags.js";

export function reportCommandBuilder(yargs: Argv) {
  return figureFlags(yargs)
    .positional("dir", { type: "string", describe: "results directory holding runs.jsonl and config.resolved.json" })
    .option("quiet", { type: "boolean", default: false, describe: "no warnings on stderr" });
}

export async function reportCommand(argv: Record<string, unknown>): Promise<number> {
  const dir = argv.dir as string;
  const { summary, warnings } = await regenerateReport(dir, { command: commandLine(), views: viewOptionsOf(argv) });
  if (!argv.quiet) for (const w of warnings) process.stderr.write(`shortcut-bench: warning: ${w}\n`);
  process.stdout.write(`wrote ${join(dir, "report.md")} and ${join(dir, "summary.json")}: ${describeCompleteness(summary.completeness)}\n`);
  return EXIT_OK;
}
