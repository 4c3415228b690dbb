// The command line (SPEC §6). Exit codes: 0 ok, 1 failed check or run error, 2 bad input,
// 130 interrupted (finished runs kept).
import yargs, { type Argv } from "yargs";
import { InputError, nearestName } from "./config/inputError.js";
import { MODEL_KEY_NAMES } from "./config/modelKeys.js";
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from "./commands/exitCodes.js";
import { InterruptedError } from "./study/interrupt.js";
import { runCommand, runCommandBuilder } from "./commands/run.js";
import { DEFAULT_STUDY_CONFIG, studyCommand, studyCommandBuilder } from "./commands/study.js";
import { reportCommand, reportCommandBuilder } from "./commands/report.js";
import { checkCommand, checkCommandBuilder } from "./commands/check.js";
import { mergeCommand, mergeCommandBuilder } from "./commands/merge.js";
import { benchCommand, benchCommandBuilder } from "./commands/bench.js";
import { VERSION } from "./version.js";

/** Every flag of every command, for "did you mean" on a typo. */
const KNOWN_FLAGS: readonly string[] = [
  ...MODEL_KEY_NAMES,
  "seeds", "threads", "shards", "kernel", "json", "quiet", "out", "fresh", "check", "shard", "shard-count",
  "thresholds", "baseline", "tolerance", "sizes", "repeats", "seconds", "peer", "markdown", "help", "version",
];

type Handler = (argv: Record<string, unknown>) => Promise<number>;

/** Parses argv and runs the command; resolves to the process exit code (never throws). */
export async function main(args: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const wrap = (handler: Handler) => async (argv: Record<string, unknown>) => {
    exitCode = await handler(argv);
  };
  const parser: Argv = yargs(args)
    .scriptName("shortcut-bench")
    .usage("$0 <command> [options]\n\nHow SGD learns a shortcut feature before the XOR signal, measured over many seeds.")
    .command("study [config]", `run a study config (default ${DEFAULT_STUDY_CONFIG}): results, summary, report, headline table`, studyCommandBuilder, wrap(studyCommand))
    .command("run", "train one condition (every model key is a flag) over --seeds seeds; print events, final metrics and charts", runCommandBuilder, wrap(runCommand))
    .command("report <dir>", "regenerate <dir>/summary.json and report.md from runs.jsonl", reportCommandBuilder, wrap(reportCommand))
    .command("check <dir>", "check a study's summary against threshold rules and/or a baseline; exit 1 on any failure", checkCommandBuilder, wrap(checkCommand))
    .command("merge <dirs..>", "join sharded results directories into one (--out DIR)", mergeCommandBuilder, wrap(mergeCommand))
    .command("bench", "measure engine throughput (steps/s, GFLOP/s, parallel efficiency), optionally against NumPy", benchCommandBuilder, wrap(benchCommand))
    .demandCommand(1, "name a command: study, run, report, check, merge or bench")
    .recommendCommands()
    .strict()
    .version(VERSION)
    .help()
    .alias("h", "help")
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((message, error) => {
      throw error ?? new InputError(withFlagSuggestion(message));
    });
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (err) {
    return reportError(err);
  }
}

/** yargs says "Unknown argument: lamda"; add the nearest known flag, as config errors do. */
function withFlagSuggestion(message: string): string {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (match === null) return message;
  const unknown = match[1].split(", ")[0];
  const near = nearestName(unknown, KNOWN_FLAGS);
  return near === undefined ? `${message} (see --help)` : `${message}; did you mean --${near}?`;
}

function reportError(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`shortcut-bench: error: ${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (err instanceof InterruptedError) {
    process.stderr.write(`shortcut-bench: ${err.message}\n`);
    return EXIT_INTERRUPTED;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`shortcut-bench: run failed: ${message}\n`);
  return EXIT_FAILED;
}
