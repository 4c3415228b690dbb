// `shortcut-bench report <dir>`: regenerates <dir>/summary.json and <dir>/report.md from
// <dir>/runs.jsonl and <dir>/config.resolved.json alone (SPEC §5), each written atomically.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Argv } from "yargs";
import { InputError } from "../config/inputError.js";
import { isPlainObject } from "../config/validateParams.js";
import { readRunsFile } from "../store/runsFile.js";
import { readResolvedConfig } from "../study/resolvedConfig.js";
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
  if (!existsSync(dir)) throw new InputError(`${dir}: no such directory`, { file: dir });
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir}: not a directory`, { file: dir });

  const { hash, config } = readResolvedConfig(dir);
  const resolvedFile = join(dir, "config.resolved.json");
  // The summary needs the grid and the events; a hand-edited file could lack them.
  if (!isPlainObject(config.grid) || !isPlainObject(config.events)) {
    throw new InputError(`${resolvedFile}: config needs 'grid' and 'events' objects`, { file: resolvedFile });
  }

  const runsFile = join(dir, "runs.jsonl");
  if (!existsSync(runsFile)) {
    const shards = readdirSync(dir).filter((name) => /^runs\.shard-.*\.jsonl$/.test(name));
    const hint = shards.length > 0 ? `; found ${shards.length} shard file(s): join them with 'shortcut-bench merge ${dir} --out DIR' first` : "";
    throw new InputError(`${runsFile}: no such file${hint}`, { file: runsFile });
  }
  const { records, warnings } = readRunsFile(runsFile);
  if (!argv.quiet) for (const w of warnings) process.stderr.write(`shortcut-bench: warning: ${w}\n`);

  const summary = summarizeResults(records, hash, config);
  // The study's wall time is not in runs.jsonl: the report says it is unknown.
  await writeStudyOutputs(dir, summary, records, config, { command: commandLine(), wallSeconds: null });
  process.stdout.write(`wrote ${join(dir, "report.md")} and ${join(dir, "summary.json")} from ${records.length} runs\n`);
  return EXIT_OK;
}
