#!/usr/bin/env node
// Crash injection (issue 20 item 4b): SIGKILL at a random moment during `study`, `study
// --save-weights`, `merge` and `export`, then the same command again to completion. After every kill
// the directory must read cleanly (every whole line a valid record, at most a torn last line, no
// pair twice, every file either absent or whole, weights listed only when all their files are
// there), no run finished before the kill may be lost or changed, and the finished directory must
// equal an uninterrupted one: the same runs with the same results, byte-identical event-steps.json,
// the same weights and tables.
//
//   node scripts/crash-inject.mjs [--trials N] [--commands study,weights,merge,export] [--seed S]
//
// Needs dist/ (npm run build). tests/store/crashInject.test.ts runs one trial per command.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/shortcut-bench.js", import.meta.url));
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { readResults } = await dist("study/readResults.js");
const { resultOf } = await dist("store/runSet.js");
const { runKey } = await dist("store/runsFile.js");
const { readRunWeights } = await dist("store/runWeights.js");

const CONFIG = `{ name: "crash", base: { d: 16, width: 32, batch: 16, steps: 300, evalEvery: 20, testPerGroup: 32 }, grid: { lambda: [0, 0.5, 1] }, seeds: 4 }`;
const FLAGS = ["--quiet", "--kernel", "bits", "--threads", "2"];

/** A small deterministic PRNG (mulberry32), so a run of the script can be replayed from its seed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(args, cwd) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd });
  if (r.status !== 0) throw new Error(`shortcut-bench ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  return r;
}

/** Starts the command and SIGKILLs it after `ms` (or lets it finish first); resolves to how it ended. */
function killAfter(args, ms, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(signal === "SIGKILL" ? "killed" : `exit ${code}`);
    });
  });
}

/** Every run of `dir` by its pair, as what it computed; throws when the directory does not read cleanly. */
function runsOf(dir) {
  const { records, setAside } = readResults(dir);
  if (setAside.length > 0) throw new Error(`${dir}: ${setAside.length} runs set aside`);
  return new Map(records.map((r) => [runKey(r.condition, r.seed), { result: resultOf(r), record: r }]));
}

/** The runs whose lines were whole when the process died (read without the tool: it must not matter how). */
function wholeLines(file) {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  lines.pop(); // after the last newline: empty, or a torn line
  return lines.filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

function check(condition, what) {
  if (!condition) throw new Error(what);
}

/** Files a killed writer may leave that the next command cleans up: temporary files and the lock. */
const leftover = (name) => name.startsWith(".");

function sameFiles(a, b, names) {
  for (const name of names) check(readFileSync(join(a, name)).equals(readFileSync(join(b, name))), `${name} differs from the uninterrupted one`);
}

/** One command's crash trials; returns { trials, kills, failures: [messages] }. */
async function trialsOf(command, n, next, work, reference) {
  const { config, ref, refWeights, shards, tables } = reference;
  let kills = 0;
  const failures = [];
  for (let t = 0; t < n; t++) {
    const dir = join(work, `${command}-${t}`);
    try {
      if (command === "study" || command === "weights") {
        const extra = command === "weights" ? ["--save-weights"] : [];
        const args = ["study", config, "--out", dir, ...FLAGS, ...extra];
        // Some trials kill a study that is resuming an earlier killed one.
        const times = next() < 0.3 ? 2 : 1;
        const before = new Map();
        for (let k = 0; k < times; k++) {
          if ((await killAfter(args, next() * reference.studyMs, work)) === "killed") kills++;
          for (const r of wholeLines(join(dir, "runs.jsonl"))) before.set(runKey(r.condition, r.seed), resultOf(r));
          if (existsSync(join(dir, "config.resolved.json"))) runsOf(dir); // reads cleanly after the kill
        }
        run(args, work);
        const after = runsOf(dir);
        const expected = runsOf(ref);
        check(after.size === expected.size, `${after.size} runs after resuming, ${expected.size} uninterrupted`);
        for (const [key, r] of expected) check(after.get(key)?.result === r.result, `run ${key} differs from the uninterrupted study`);
        for (const [key, result] of before) check(after.get(key)?.result === result, `run ${key}, finished before the kill, was lost or changed`);
        const lines = wholeLines(join(dir, "runs.jsonl"));
        check(new Set(lines.map((r) => runKey(r.condition, r.seed))).size === lines.length, "a run is listed twice in runs.jsonl");
        sameFiles(dir, command === "weights" ? refWeights : ref, ["event-steps.json"]);
        if (command === "weights") {
          for (const { record } of after.values()) {
            const mine = readRunWeights(dir, record.weights);
            const theirs = readRunWeights(refWeights, record.weights);
            check(Buffer.from(mine.W.buffer).equals(Buffer.from(theirs.W.buffer)), `weights of ${record.weights} differ`);
          }
        }
      } else if (command === "merge") {
        const args = ["merge", ...shards, "--out", dir];
        if ((await killAfter(args, next() * reference.mergeMs, work)) === "killed") kills++;
        // runs.jsonl is written atomically: absent, or every run.
        if (existsSync(join(dir, "runs.jsonl"))) check(wholeLines(join(dir, "runs.jsonl")).length === runsOf(ref).size, "a half-written merged runs.jsonl");
        run(args, work);
        const after = runsOf(dir);
        for (const [key, r] of runsOf(ref)) check(after.get(key)?.result === r.result, `merged run ${key} differs`);
        sameFiles(dir, ref, ["event-steps.json"]);
      } else {
        cpSync(ref, dir, { recursive: true });
        const args = ["export", dir];
        if ((await killAfter(args, next() * reference.exportMs, work)) === "killed") kills++;
        // Each table is written atomically: absent, or whole.
        for (const name of readdirSync(dir).filter((n) => n.endsWith(".csv"))) sameFiles(dir, tables, [name]);
        run(args, work);
        sameFiles(dir, tables, ["runs.csv", "events.csv", "trajectories.csv"]);
      }
      const left = readdirSync(dir).filter(leftover);
      check(left.length === 0, `left behind after the command completed: ${left.join(", ")}`);
    } catch (err) {
      failures.push(`${command} trial ${t}: ${err.message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { command, trials: n, kills, failures };
}

/**
 * The uninterrupted references the `commands` need, and how long each command takes here (the kill
 * moments are drawn within that time).
 */
function reference(work, commands) {
  const config = join(work, "crash.json5");
  writeFileSync(config, CONFIG);
  const timed = (args) => {
    const started = performance.now();
    run(args, work);
    return performance.now() - started;
  };
  const ref = join(work, "ref");
  const refs = { config, ref, studyMs: timed(["study", config, "--out", ref, ...FLAGS]) };
  if (commands.includes("weights")) {
    refs.refWeights = join(work, "ref-weights");
    timed(["study", config, "--out", refs.refWeights, ...FLAGS, "--save-weights"]);
  }
  if (commands.includes("merge")) {
    refs.shards = [1, 2, 3].map((i) => {
      const dir = join(work, `shard${i}`);
      run(["study", config, "--out", dir, ...FLAGS, "--shard", `${i}/3`], work);
      return dir;
    });
    refs.mergeMs = timed(["merge", ...refs.shards, "--out", join(work, "merged")]);
  }
  if (commands.includes("export")) {
    refs.tables = join(work, "tables");
    cpSync(ref, refs.tables, { recursive: true });
    refs.exportMs = timed(["export", refs.tables]);
  }
  return refs;
}

/** Runs the trials; `onRow` hears each command's row as soon as its trials are done. */
export async function crashInject({ trials, commands = ["study", "weights", "merge", "export"], seed = 1, onRow = () => {} }) {
  const work = mkdtempSync(join(tmpdir(), "shortcut-bench-crash-"));
  try {
    const refs = reference(work, commands);
    const next = random(seed);
    const rows = [];
    for (const command of commands) {
      rows.push(await trialsOf(command, trials, next, work, refs));
      onRow(rows[rows.length - 1]);
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? fallback : process.argv[i + 1];
  };
  const trials = Number(arg("--trials", "50"));
  const seed = Number(arg("--seed", String(Date.now() % 2 ** 31)));
  const commands = arg("--commands", "study,weights,merge,export").split(",");
  console.log(`crash injection: ${trials} trials per command, seed ${seed}`);
  let failed = 0;
  await crashInject({
    trials,
    commands,
    seed,
    onRow: (row) => {
      console.log(`${row.command}: ${row.trials} trials, ${row.kills} killed mid-command, ${row.failures.length} failures`);
      for (const f of row.failures) console.log(`  ${f}`);
      failed += row.failures.length;
    },
  });
  process.exit(failed === 0 ? 0 : 1);
}
