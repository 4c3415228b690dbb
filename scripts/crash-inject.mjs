#!/usr/bin/env node
// Crash injection (issue 20 item 4b): SIGKILL at a random moment during `study`, `study
// --save-weights`, `merge` and `export`, then the same command again to completion. After every kill
// the directory must read cleanly (every whole line a valid record, at most a torn last line, no
// pair twice, every file either absent or whole, weights listed only when all their files are
// there), no run finished before the kill may be lost or changed, and the finished directory must
// equal an uninterrupted one: the same runs with the same results, byte-identical event-steps.json,
// the same weights and tables.
//
// Where a kill lands matters more than how many there are: a kill during node's start-up tests
// nothing. So most kills are timed from the moment the command holds its directory's lock (the lock
// file names its PID): a delay drawn uniformly from how long the uninterrupted command held it. The
// rest (KILL_FROM_START) are drawn from the whole command, start-up included. On a shared machine
// the time changes with the load: a command that finishes before its kill moment gives the time
// the next kills are drawn within. After each kill the directory says where it landed — before the
// lock, during the runs, after the runs (summary, report, figures), before or after writing the
// merged runs.jsonl, writing the tables — and the script counts each place.
//
//   node scripts/crash-inject.mjs [--trials N] [--commands study,weights,merge,export] [--seed S]
//
// (`weights` is `study --save-weights`.)
//
// Needs dist/ (npm run build). tests/store/crashInject.test.ts runs one trial per command.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/shortcut-bench.js", import.meta.url));
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { readResults } = await dist("study/readResults.js");
const { resultOf } = await dist("store/runSet.js");
const { runKey } = await dist("store/runsFile.js");
const { readRunWeights } = await dist("store/runWeights.js");
const { LOCK_FILE } = await dist("store/lock.js");

const CONFIG = `{ name: "crash", base: { d: 16, width: 32, batch: 16, steps: 300, evalEvery: 20, testPerGroup: 32 }, grid: { lambda: [0, 0.5, 1] }, seeds: 4 }`;
const FLAGS = ["--quiet", "--kernel", "bits", "--threads", "2"];
/** The runs of CONFIG: 3 conditions × 4 seeds. */
const RUNS = 12;
/** Share of kills timed from the start of the process rather than from taking the lock. */
const KILL_FROM_START = 0.1;
/** How often the lock file is looked at while waiting for the command to take it. */
const POLL_MS = 5;

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

/** Whether the lock file of `dir` names process `pid` (read without the tool: any error is "no"). */
function holdsLock(dir, pid) {
  try {
    return JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid === pid;
  } catch {
    return false;
  }
}

/**
 * Starts the command and SIGKILLs it `when.ms` after it took the lock of `dir` (or after it started,
 * with `when.fromStart`), or lets it finish first. Resolves to how it ended, whether it had taken
 * the lock when it ended, and how long after start it took the lock and ran (for the references).
 */
function killAfter(args, when, cwd, dir) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: "ignore" });
    let lockedAt = null;
    let timer = null;
    const kill = () => child.kill("SIGKILL");
    if (when.fromStart) timer = setTimeout(kill, when.ms);
    const poll = setInterval(() => {
      if (lockedAt !== null || !holdsLock(dir, child.pid)) return;
      lockedAt = performance.now();
      if (!when.fromStart) timer = setTimeout(kill, when.ms);
    }, POLL_MS);
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      if (timer !== null) clearTimeout(timer);
      resolve({
        ended: signal === "SIGKILL" ? "killed" : `exit ${code}`,
        locked: lockedAt !== null || holdsLock(dir, child.pid),
        lockedAfterMs: lockedAt === null ? null : lockedAt - started,
        totalMs: performance.now() - started,
      });
    });
  });
}

/** Where in `command` a kill landed, read from what it left in `dir` (see the file comment). */
function landing(command, outcome, dir) {
  if (outcome.ended !== "killed") return "finished before the kill";
  if (!outcome.locked) return "before taking the lock (start-up)";
  if (command === "study" || command === "weights") {
    const k = wholeLines(join(dir, "runs.jsonl")).length;
    return k < RUNS ? "during the runs" : "after the runs (summary, report, figures)";
  }
  if (command === "merge") return existsSync(join(dir, "runs.jsonl")) ? "after writing runs.jsonl (summary, report, figures)" : "before writing runs.jsonl";
  return "writing the tables";
}

/** A kill moment: mostly after the lock is taken, within the time the reference held it. */
function killMoment(next, timing) {
  return next() < KILL_FROM_START ? { fromStart: true, ms: next() * timing.totalMs } : { fromStart: false, ms: next() * timing.lockedMs };
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

/** The records of the whole lines of `dir`'s runs.jsonl, each with its weights (when listed) all there and as uninterrupted. */
function checkListedWeights(dir, refWeights) {
  for (const r of wholeLines(join(dir, "runs.jsonl"))) {
    if (r.weights === undefined) continue;
    const mine = readRunWeights(dir, r.weights);
    const theirs = readRunWeights(refWeights, r.weights);
    for (const array of ["W", "A", "B"]) check(Buffer.from(mine[array].buffer).equals(Buffer.from(theirs[array].buffer)), `weights ${array} of ${r.weights} differ from the uninterrupted ones`);
  }
}

/** One command's crash trials; returns { command, trials, kills, landed: {where: count}, failures: [messages] }. */
async function trialsOf(command, n, next, work, reference) {
  const { config, ref, refWeights, shards, tables } = reference;
  let kills = 0;
  const landed = {};
  const failures = [];
  /** One kill attempt; `whole`: the command starts from nothing (not a resume), so its time is the whole command's. */
  const killed = async (args, dir, timing, whole = true) => {
    const outcome = await killAfter(args, killMoment(next, timing), work, dir);
    if (outcome.ended === "killed") kills++;
    // The load of a shared machine changes: a command that finished before its kill says how long it
    // now holds the lock, and later kills are drawn within that.
    else if (whole && outcome.lockedAfterMs !== null) timing.lockedMs = outcome.totalMs - outcome.lockedAfterMs;
    const where = landing(command, outcome, dir);
    landed[where] = (landed[where] ?? 0) + 1;
  };
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
          await killed(args, dir, reference.timing[command], k === 0);
          for (const r of wholeLines(join(dir, "runs.jsonl"))) before.set(runKey(r.condition, r.seed), resultOf(r));
          // reads cleanly after the kill (a study killed before its first run has no runs.jsonl yet)
          if (existsSync(join(dir, "runs.jsonl"))) runsOf(dir);
          const lines = wholeLines(join(dir, "runs.jsonl"));
          check(new Set(lines.map((r) => runKey(r.condition, r.seed))).size === lines.length, "a run is listed twice in runs.jsonl after the kill");
          if (command === "weights") checkListedWeights(dir, refWeights); // a listed run's weights are whole
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
          check([...after.values()].every(({ record }) => record.weights !== undefined), "a run lists no weights after resuming");
          checkListedWeights(dir, refWeights);
        }
      } else if (command === "merge") {
        const args = ["merge", ...shards, "--out", dir];
        await killed(args, dir, reference.timing.merge);
        // runs.jsonl is written atomically: absent, or every run.
        if (existsSync(join(dir, "runs.jsonl"))) check(wholeLines(join(dir, "runs.jsonl")).length === runsOf(ref).size, "a half-written merged runs.jsonl");
        run(args, work);
        const after = runsOf(dir);
        for (const [key, r] of runsOf(ref)) check(after.get(key)?.result === r.result, `merged run ${key} differs`);
        sameFiles(dir, ref, ["event-steps.json"]);
      } else {
        cpSync(ref, dir, { recursive: true });
        const args = ["export", dir];
        await killed(args, dir, reference.timing.export);
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
  return { command, trials: n, kills, landed, failures };
}

/**
 * The uninterrupted references the `commands` need, and per command how long it takes here and how
 * long it holds its lock (the kill moments are drawn within those times).
 */
async function reference(work, commands) {
  const config = join(work, "crash.json5");
  writeFileSync(config, CONFIG);
  const timing = {};
  const timed = async (command, args, dir) => {
    const outcome = await killAfter(args, { fromStart: true, ms: 2 ** 31 - 1 }, work, dir);
    if (outcome.ended !== "exit 0") throw new Error(`reference ${args.join(" ")}: ${outcome.ended}`);
    // a lock held for less than one poll was not seen: then kill within the whole command
    timing[command] = { totalMs: outcome.totalMs, lockedMs: outcome.totalMs - (outcome.lockedAfterMs ?? 0) };
  };
  const ref = join(work, "ref");
  const refs = { config, ref, timing };
  await timed("study", ["study", config, "--out", ref, ...FLAGS], ref);
  if (commands.includes("weights")) {
    refs.refWeights = join(work, "ref-weights");
    await timed("weights", ["study", config, "--out", refs.refWeights, ...FLAGS, "--save-weights"], refs.refWeights);
  }
  if (commands.includes("merge")) {
    refs.shards = [1, 2, 3].map((i) => {
      const dir = join(work, `shard${i}`);
      run(["study", config, "--out", dir, ...FLAGS, "--shard", `${i}/3`], work);
      return dir;
    });
    await timed("merge", ["merge", ...refs.shards, "--out", join(work, "merged")], join(work, "merged"));
  }
  if (commands.includes("export")) {
    refs.tables = join(work, "tables");
    cpSync(ref, refs.tables, { recursive: true });
    await timed("export", ["export", refs.tables], refs.tables);
  }
  return refs;
}

/** Runs the trials; `onRow` hears each command's row as soon as its trials are done. */
export async function crashInject({ trials, commands = ["study", "weights", "merge", "export"], seed = 1, onRow = () => {}, onTiming = () => {} }) {
  const work = mkdtempSync(join(tmpdir(), "shortcut-bench-crash-"));
  try {
    const refs = await reference(work, commands);
    onTiming(refs.timing);
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
  console.log(`crash injection: ${trials} trials per command, seed ${seed}, ${Math.round(KILL_FROM_START * 100)}% of kills timed from the start, the rest from taking the lock`);
  let failed = 0;
  await crashInject({
    onTiming: (timing) => {
      const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
      console.log(`uninterrupted here: ${Object.entries(timing).map(([c, t]) => `${c} ${seconds(t.totalMs)} (lock held ${seconds(t.lockedMs)})`).join(", ")}; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    },
    trials,
    commands,
    seed,
    onRow: (row) => {
      const where = Object.entries(row.landed).map(([place, count]) => `${count} ${place}`).join(", ");
      console.log(`${row.command}: ${row.trials} trials, ${row.kills} kills, ${row.failures.length} failures; where the kills landed: ${where}; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
      for (const f of row.failures) console.log(`  ${f}`);
      failed += row.failures.length;
    },
  });
  process.exit(failed === 0 ? 0 : 1);
}
