// The command line (SPEC §6). Exit codes: 0 ok, 1 failed check or run error, 2 bad input,
// 130 interrupted (finished runs kept).
import yargs, { type Argv, type MiddlewareFunction } from "yargs";
import { InputError, nearestName } from "./config/inputError.js";
import { MODEL_KEY_NAMES, MODEL_KEYS } from "./config/modelKeys.js";
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from "./commands/exitCodes.js";
import { installInterruptHandlers, interruptReceived, InterruptedError } from "./study/interrupt.js";
import { releaseAllLocks } from "./store/lock.js";
import { resumeCommandLine } from "./commands/commandLine.js";
import { checkFlagValues } from "./commands/flagChecks.js";
import { runCommand, runCommandBuilder } from "./commands/run.js";
import { studyCommand, studyCommandBuilder } from "./commands/study.js";
import { initCommand, initCommandBuilder } from "./commands/init.js";
import { DEFAULT_STUDY_CONFIG } from "./packageFiles.js";
import { reportCommand, reportCommandBuilder } from "./commands/report.js";
import { checkCommand, checkCommandBuilder } from "./commands/check.js";
import { mergeCommand, mergeCommandBuilder } from "./commands/merge.js";
import { benchCommand, benchCommandBuilder } from "./commands/bench.js";
import { exportCommand, exportCommandBuilder } from "./commands/export.js";
import { paperCommand, paperCommandBuilder } from "./commands/paper.js";
import { VERSION } from "./version.js";

/** Every flag of every command, for "did you mean" on a typo. */
export const KNOWN_FLAGS: readonly string[] = [
  ...MODEL_KEY_NAMES,
  "seeds", "threads", "shards", "kernel", "json", "quiet", "out", "fresh", "narrow", "from", "check", "shard", "shard-count",
  "thresholds", "baseline", "tolerance", "alpha", "allow-partial", "format", "what", "wide", "only", "page-only", "save-weights", "save-weights-at", "sizes", "repeats", "seconds", "peer", "markdown", "name", "force", "set", "grid", "rows", "cols", "colour", "color", "facet", "x", "help", "version",
];

type Handler = (argv: Record<string, unknown>) => Promise<number>;

/** One command's help beyond its builder: the examples shown under --help, and its numeric flags. */
interface CommandHelp {
  examples: ReadonlyArray<readonly [command: string, what: string]>;
  /** Flags whose values are numbers; labelled [number] in --help (see `labelNumbers`). */
  numbers: readonly string[];
}

const NUMERIC_MODEL_KEYS = MODEL_KEYS.filter((k) => k.type === "integer" || k.type === "number").map((k) => k.key);

const HELP: Record<"init" | "study" | "run" | "report" | "check" | "merge" | "export" | "paper" | "bench", CommandHelp> = {
  init: {
    examples: [
      ["$0 init", "write ./study.json5, a starter config whose $schema your editor finds"],
      ["$0 init studies --name lambda-sweep", "write studies/lambda-sweep.json5"],
    ],
    numbers: [],
  },
  study: {
    examples: [
      ["$0 study", `the default study: ./${DEFAULT_STUDY_CONFIG}, or the bundled one when there is none`],
      ["$0 study configs/paper/suppression.json5 --seeds 20 --check", "20 seeds of a paper config, then its own checks"],
      ["$0 study my.json5 --set lr=0.4 --grid lambda=0,0.25,0.5", "override a value and sweep λ (part of the config hash)"],
      ["$0 study my.json5 --shard 2/4", "the second quarter of the runs (e.g. an array task); join with merge"],
    ],
    numbers: ["threads", "seeds", "shard-count"],
  },
  run: {
    examples: [
      ["$0 run --lambda 0.5 --seeds 8", "one condition, 8 seeds: events, final metrics, charts"],
      ["$0 run --lambda 0,0.5,1 --seeds 4 --out results/sweep", "a sweep of λ, written as a results directory"],
      ["$0 run --d 64 --steps 5000 --json", "every run's record (events, trajectory) as JSON"],
    ],
    numbers: [...NUMERIC_MODEL_KEYS, "threads", "seeds"],
  },
  report: {
    examples: [["$0 report reports/quick", "rewrite reports/quick/summary.json and report.md from its runs"]],
    numbers: [],
  },
  check: {
    examples: [
      ["$0 check reports/quick", "the study config's own checks"],
      ["$0 check results/ci --baseline reports/ci-baseline", "fail when learning got slower than the baseline"],
    ],
    numbers: ["tolerance", "alpha"],
  },
  merge: {
    examples: [["$0 merge results/s1 results/s2 --out results/all", "join two shards into one study"]],
    numbers: [],
  },
  export: {
    examples: [
      ["$0 export reports/quick --format parquet", "write runs.parquet, events.parquet and trajectories.parquet there"],
      ["$0 export reports/quick --what events --out /tmp/x", "/tmp/x/events.csv, for lifelines: KaplanMeierFitter().fit(df.step, df.reached)"],
    ],
    numbers: [],
  },
  paper: {
    examples: [
      ["$0 paper", "run (or resume) every study of configs/paper/ and write reports/paper/README.md with its figures"],
      ["$0 paper --page-only", "rewrite the page from the results there are"],
    ],
    numbers: ["threads"],
  },
  bench: {
    examples: [
      ["$0 bench --threads 1,2 --peer", "all default sizes on 1 and 2 threads, against NumPy"],
      ["$0 bench --json > base.json", "record a baseline"],
      ["$0 bench --baseline base.json", "exit 1 on a throughput drop below it"],
    ],
    numbers: ["repeats", "seconds", "tolerance"],
  },
};

/**
 * Labels the numeric flags [number] in --help while yargs-parser still hands over the text as typed.
 * The flags are declared `type: "string"` on purpose: their own validators then see what the user
 * wrote (errors quote it, `--lambda 0,0.5,1` stays a list), where `type: "number"` would turn both
 * into NaN. yargs' usage picks the label `number` over `string` when a key is in both lists, and the
 * parser skips number coercion for a key declared string (tests/commands/cli.test.ts pins both).
 */
function withHelp(builder: (y: Argv) => Argv, help: CommandHelp): (y: Argv) => Argv {
  return (y) => {
    let built = builder(y).number([...help.numbers]);
    for (const [command, what] of help.examples) built = built.example(command, what);
    return built;
  };
}

/**
 * The middleware of checkFlagValues. yargs calls a middleware with its instance as a second
 * argument (whose getOptions() lists the command's array and boolean flags); @types/yargs leaves
 * that argument out, hence the cast.
 */
function flagValueChecks(args: readonly string[]): MiddlewareFunction {
  const check = (argv: Record<string, unknown>, y: { getOptions(): { array: string[]; boolean: string[] } }) => checkFlagValues(args, argv, y.getOptions());
  return check as unknown as MiddlewareFunction;
}

let processHandlersInstalled = false;

/** Parses argv and runs the command; resolves to the process exit code (never throws). */
export async function main(args: string[]): Promise<number> {
  if (!processHandlersInstalled) {
    // once per process (main may be called again, e.g. by tests): handlers do not pile up
    processHandlersInstalled = true;
    installInterruptHandlers();
    // Exit paths that skip the commands' own cleanup (process.exit from a pipe handler) still free the directories.
    process.once("exit", releaseAllLocks);
  }
  let exitCode = EXIT_OK;
  const wrap = (handler: Handler) => async (argv: Record<string, unknown>) => {
    exitCode = await handler(argv);
  };
  const parser: Argv = yargs(args)
    .scriptName("shortcut-bench")
    .usage("$0 <command> [options]\n\nHow SGD learns a shortcut feature before the XOR signal, measured over many seeds.")
    .command("init [dir]", "write a starter study config (<dir>/study.json5) to edit and run", withHelp(initCommandBuilder, HELP.init), wrap(initCommand))
    .command("study [config]", `run a study config (${DEFAULT_STUDY_CONFIG} when none is given): results, summary, report, headline table`, withHelp(studyCommandBuilder, HELP.study), wrap(studyCommand))
    .command("run", "train one condition (every model key is a flag) over --seeds seeds; print events, final metrics and charts", withHelp(runCommandBuilder, HELP.run), wrap(runCommand))
    .command("report <dir>", "regenerate <dir>/summary.json and report.md from runs.jsonl", withHelp(reportCommandBuilder, HELP.report), wrap(reportCommand))
    .command("check <dir>", "check a study's summary against threshold rules and/or a baseline; exit 1 on any failure", withHelp(checkCommandBuilder, HELP.check), wrap(checkCommand))
    .command("merge <dirs..>", "join sharded results directories into one (--out DIR)", withHelp(mergeCommandBuilder, HELP.merge), wrap(mergeCommand))
    .command("export <dir>", "write a results directory's runs, events (time-to-event form) and trajectories as CSV or Parquet", withHelp(exportCommandBuilder, HELP.export), wrap(exportCommand))
    .command("paper", "reproduce the paper's claims (configs/paper/): run the studies, check them, write reports/paper/README.md", withHelp(paperCommandBuilder, HELP.paper), wrap(paperCommand))
    .command("bench", "measure engine throughput (steps/s, GFLOP/s, parallel efficiency), optionally against NumPy", withHelp(benchCommandBuilder, HELP.bench), wrap(benchCommand))
    .demandCommand(1, "name a command: init, study, run, report, check, merge, export, paper or bench")
    .recommendCommands()
    .middleware(flagValueChecks(args), true)
    .strict()
    .version(VERSION)
    // --help and --version print and return (exit 0 through the bin) instead of exiting the process
    // from inside yargs, so main stays callable in a test process (tests/commands/help.test.ts)
    .exitProcess(false)
    .help()
    .alias("h", "help")
    // yargs 18's cliui wraps at word boundaries (yargs 17's ESM build cut words at the column).
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((message, error) => {
      throw error ?? new InputError(withFlagSuggestion(message));
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    exitCode = reportError(err);
  }
  const signal = interruptReceived();
  if (signal !== null && exitCode !== EXIT_INTERRUPTED) return reportError(new InterruptedError(signal));
  return exitCode;
}

/** yargs says "Unknown argument: lamda"; add the nearest known flag, as config errors do. */
function withFlagSuggestion(message: string): string {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (match === null) return message;
  const unknown = match[1].split(", ")[0];
  // Only `run` takes model keys as flags; elsewhere (study) they are overrides — but for the seed,
  // which a study takes from its 'seeds'.
  if (unknown === "seed") return `${message}; a study's runs take their seeds from 'seeds': --seeds N (seeds 0 … N−1), or --set 'seeds=[3]' for seed 3 alone`;
  if ((MODEL_KEY_NAMES as readonly string[]).includes(unknown)) return `${message}; set a model key with --set ${unknown}=VALUE, or sweep it with --grid ${unknown}=A,B`;
  const near = nearestName(unknown, KNOWN_FLAGS);
  return near === undefined ? `${message} (see --help)` : `${message}; did you mean --${near}?`;
}

function reportError(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`shortcut-bench: error: ${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (err instanceof InterruptedError) {
    process.stderr.write(`shortcut-bench: ${err.message}: finished runs are kept; resume with: ${resumeCommandLine()}\n`);
    return EXIT_INTERRUPTED;
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string" && code.startsWith("E")) {
    // A system error names its path (a file, a directory given or made from one): its message says
    // all there is, and a path the user gave is input, not a bug to show a stack trace for.
    process.stderr.write(`shortcut-bench: error: ${(err as Error).message}\n`);
    return PATH_ERRORS.has(code) ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`shortcut-bench: run failed: ${message}\n`);
  return EXIT_FAILED;
}

/** System errors that say a path cannot be used as given (exit 2), unlike a full disk (exit 1). */
const PATH_ERRORS = new Set(["ENOENT", "ENOTDIR", "EISDIR", "ELOOP", "ENAMETOOLONG", "EACCES", "EPERM", "EROFS", "EEXIST", "ENOTEMPTY", "EXDEV"]);
