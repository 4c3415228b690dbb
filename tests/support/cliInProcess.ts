// The CLI's `main` called inside the test process instead of a child `node bin/shortcut-bench.js`:
// the same path from argv to exit code and output, without node's start-up and the CLI's module
// loading on every call (the default suite makes hundreds of calls, and they were most of its time).
// Tests about processes themselves — signals, crashes, concurrent writers, the bin's own start-up,
// a stack trace on stderr — keep spawning the real bin.
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { main } from "../../src/cli.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const bin = fileURLToPath(new URL("../../bin/shortcut-bench.js", import.meta.url));

/** Runs `shortcut-bench ...args` in this process (in `cwd` when given); never two at once. */
export async function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write, log: console.log, error: console.error, argv: process.argv, cwd: process.cwd() };
  const capture = (into: string[]) => ((chunk: string | Uint8Array) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture(stdout);
  process.stderr.write = capture(stderr);
  // yargs prints --help and --version with console.log, which the test runner intercepts: take it
  // as the bin's stdout (and console.error as its stderr)
  console.log = (...parts: unknown[]) => void stdout.push(format(...parts) + "\n");
  console.error = (...parts: unknown[]) => void stderr.push(format(...parts) + "\n");
  // the reproduce and resume lines are made from process.argv, as in the real bin
  process.argv = [process.execPath, bin, ...args];
  if (options.cwd !== undefined) process.chdir(options.cwd);
  try {
    const code = await main([...args]);
    return { code, stdout: stdout.join(""), stderr: stderr.join("") };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    console.log = saved.log;
    console.error = saved.error;
    process.argv = saved.argv;
    process.chdir(saved.cwd);
  }
}
