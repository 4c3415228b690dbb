// --help as a user reads it at 100 columns: wrapped at word boundaries, numbers labelled [number],
// each default shown once, examples on every command.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { MODEL_KEYS } from "../../src/config/modelKeys.js";
import { KNOWN_FLAGS } from "../../src/cli.js";
import { runCli } from "../support/cliInProcess.js";

const bin = fileURLToPath(new URL("../../bin/shortcut-bench.js", import.meta.url));
const COMMANDS = ["init", "study", "run", "report", "check", "merge", "export", "paper", "bench"];

/** Help as printed through a pipe (no TTY: yargs wraps at 100 columns), from main in this process. */
async function help(...args: string[]): Promise<string> {
  const r = await runCli([...args, "--help"]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe("");
  return r.stdout;
}

describe("--help", () => {
  const outputs: Record<string, string> = {};
  let top = "";
  beforeAll(async () => {
    for (const command of COMMANDS) outputs[command] = await help(command);
    top = await help();
  });

  it("the bin prints the same help as main, and exits 0", () => {
    for (const args of [["--help"], ["study", "--help"]]) {
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 30_000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(args.length === 1 ? top : outputs.study);
    }
  });

  it("no command is an error (exit 2, naming the commands), but --help and --version alone are not", async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/error: name a command: init, study, run/);
    const version = await runCli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(top).toMatch(/^shortcut-bench <command> \[options\]/);
  });

  it("fits 100 columns and breaks lines only between words", () => {
    const runHelp = outputs.run;
    const tokens = new Set(runHelp.split(/\s+/));
    // Every word of every model key's description appears whole (a word cut at the column would not).
    for (const spec of MODEL_KEYS) for (const word of spec.description.split(" ")) expect(tokens, `${spec.key}: '${word}'`).toContain(word);
    for (const [command, text] of Object.entries({ top, ...outputs })) {
      for (const line of text.split("\n")) expect(line.length, `${command}: ${line}`).toBeLessThanOrEqual(100);
    }
  });

  it("labels numbers [number] and shows each default once", () => {
    // A flag's entry: its line and the continuation lines yargs wrapped it onto.
    const row = (text: string, flag: string) => {
      const lines = text.split("\n");
      const start = lines.findIndex((l) => l.trimStart().startsWith(flag));
      const end = lines.findIndex((l, i) => i > start && (l.trim() === "" || /^\s+-/.test(l)));
      return lines.slice(start, end).join(" ").replace(/\s+/g, " "); // where yargs wrapped depends on the widest flag
    };
    expect(row(outputs.run, "--width")).toMatch(/\[number\] \[default: 128\]$/);
    expect(row(outputs.run, "--bias")).toMatch(/true or false, bare means true +\[string\] \[default: false\]$/);
    expect(row(outputs.run, "--activation")).toMatch(/\[string\] \[default: "relu"\]$/);
    expect(outputs.run.match(/1\/√width/g)).toHaveLength(1);
    for (const text of [top, ...Object.values(outputs)]) expect(text).not.toMatch(/\(default /);
    expect(row(outputs.check, "--alpha")).toMatch(/\[number\] \[default: 0\.05\]$/);
    expect(row(outputs.bench, "--sizes")).toMatch(/\[string\] \[default:\s+64,128,64;.*\]$/);
    expect(row(outputs.run, "--seeds")).toMatch(/\[number\] \[default: 1\]$/);
    expect(row(outputs.study, "--threads")).toContain("[number]");
    expect(row(outputs.bench, "--repeats")).toMatch(/\[number\] \[default: 5\]$/);
  });

  it("every command has examples", () => {
    for (const command of COMMANDS) expect(outputs[command], command).toMatch(/\nExamples:\n {2}shortcut-bench /);
  });

  it("a numeric flag still reaches its validator as typed (comma lists and typos are not NaN)", async () => {
    const r = await runCli(["run", "--lr", "fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lr: must be a number .*got "fast"/);
  });

  it("every flag a command shows is one 'did you mean' can suggest", () => {
    for (const [command, text] of Object.entries(outputs)) {
      for (const [, flag] of text.matchAll(/^\s+(?:-\w, )?--([\w-]+)/gm)) expect(KNOWN_FLAGS, `${command} --${flag}`).toContain(flag);
    }
  });
});
