// `shortcut-bench merge <dirs…> --out DIR`: joins the runs of sharded studies (one directory each,
// or several shard files in one) into one results directory, with the summary and report an
// unsharded study would have written; exit 1 when runs are missing, unless --allow-partial.
import { join } from "node:path";
import type { Argv } from "yargs";
import { describeCompleteness } from "../study/completeness.js";
import { mergeStudies } from "../study/merge.js";
import { commandLine } from "./commandLine.js";
import { EXIT_FAILED, EXIT_OK } from "./exitCodes.js";

export function mergeCommandBuilder(yargs: Argv) {
  return yargs
    .positional("dirs", { type: "string", array: true, describe: "results directories holding runs*.jsonl shard files" })
    .option("out", { type: "string", demandOption: true, describe: "directory to write the merged runs.jsonl, summary.json and report.md (new, empty, or holding this study's results)" })
    .option("allow-partial", { type: "boolean", default: false, describe: "exit 0 even when runs are missing (the directory is written, and marked incomplete, either way)" })
    .option("quiet", { type: "boolean", default: false, describe: "no warnings on stderr" });
}

export async function mergeCommand(argv: Record<string, unknown>): Promise<number> {
  const dirs = (argv.dirs as string[] | undefined) ?? [];
  const out = argv.out as string;
  const { summary, warnings } = await mergeStudies(dirs, out, { command: commandLine() });
  if (!argv.quiet) for (const w of warnings) process.stderr.write(`shortcut-bench: warning: ${w}\n`);
  const c = summary.completeness;
  process.stdout.write(`merged ${dirs.length} director${dirs.length === 1 ? "y" : "ies"} into ${join(out, "runs.jsonl")}: ${describeCompleteness(c)}\n`);
  if (c.complete) return EXIT_OK;
  const message = `the merged study is incomplete (${c.missing} of ${c.expected} runs missing); summary.json and report.md say so`;
  if (argv["allow-partial"]) {
    process.stdout.write(`note: ${message}\n`);
    return EXIT_OK;
  }
  process.stderr.write(`shortcut-bench: ${message}; exit 1 (pass --allow-partial to accept it)\n`);
  return EXIT_FAILED;
}
