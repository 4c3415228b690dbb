// `shortcut-bench merge <dirs…> --out DIR`: joins the runs of sharded studies (one directory each,
// or several shard files in one) into one results directory, with the summary and report an
// unsharded study would have written.
import { join } from "node:path";
import type { Argv } from "yargs";
import { conditionsOf } from "../config/studyConfig.js";
import { InputError } from "../config/inputError.js";
import { mergeResultsDirs } from "../store/merge.js";
import { readResolvedConfig } from "../study/resolvedConfig.js";
import { summarizeResults, writeStudyOutputs } from "../study/outputs.js";
import { commandLine } from "./commandLine.js";
import { EXIT_OK } from "./exitCodes.js";

export function mergeCommandBuilder(yargs: Argv) {
  return yargs
    .positional("dirs", { type: "string", array: true, describe: "results directories holding runs*.jsonl shard files" })
    .option("out", { type: "string", demandOption: true, describe: "directory to write the merged runs.jsonl, summary.json and report.md" })
    .option("quiet", { type: "boolean", default: false, describe: "no warnings on stderr" });
}

export async function mergeCommand(argv: Record<string, unknown>): Promise<number> {
  const dirs = (argv.dirs as string[] | undefined) ?? [];
  if (dirs.length === 0) throw new InputError("merge needs at least one results directory");
  const out = argv.out as string;
  const { records, warnings } = mergeResultsDirs(dirs, out);
  if (!argv.quiet) for (const w of warnings) process.stderr.write(`shortcut-bench: warning: ${w}\n`);
  const { hash, config } = readResolvedConfig(out);
  const summary = summarizeResults(records, hash, config);
  await writeStudyOutputs(out, summary, records, config, { command: commandLine(), wallSeconds: null });
  const expected = conditionsOf(config).length * config.seeds.length;
  process.stdout.write(`merged ${records.length} of ${expected} runs from ${dirs.length} director${dirs.length === 1 ? "y" : "ies"} into ${join(out, "runs.jsonl")}\n`);
  if (records.length < expected) process.stdout.write(`note: ${expected - records.length} runs are missing; the summary covers the ones present\n`);
  return EXIT_OK;
}
