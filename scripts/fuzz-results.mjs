#!/usr/bin/env node
// Property-based fuzzing of everything a results directory holds, and of study configs (issue 20
// item 4c), with fast-check: a valid file is mutated — a field replaced by an arbitrary JSON value,
// deleted, a key added, the text cut or a byte changed, the hashes recomputed or not — and the
// reader must either accept it or refuse it with an InputError (exit 2) naming the file, within
// 5 s, never with a stack trace. fast-check rather than a hand-made generator: it shrinks a failure
// to its smallest case and replays it from the printed seed.
//
//   node scripts/fuzz-results.mjs [--runs N] [--cli] [--seed S] [--limit-ms MS]
//
// In-process by default (each file's reader called directly, timed by the wall clock, limit 5 s or
// --limit-ms). --cli runs the real command in a child process instead (slower; also catches hangs
// that ignore signals, and stack traces). A child's hang is judged by what it does, not by the wall
// clock, so that a loaded machine — where starting node alone took 2.2 s of wall time at load 40 —
// gives the same verdicts as an idle one:
// - more than CLI_CPU_LIMIT_S (5 s) of CPU time (user + system, all its threads, from
//   /proc/<pid>/stat): it computes without end;
// - its CPU time standing still for STALL_S (20 s) of wall time while it has not exited: it waits
//   for something that never comes (a pipe, a lock). A process starved by load still gets CPU
//   within that time; a blocked one gets none.
// A study config the study accepts may ask for a long study: a study that has written its
// config.resolved.json (it accepted the config) and then passes the CPU limit is sent SIGINT, and
// must then exit 130 (finished runs kept) within the same limits. Without /proc (macOS) the wall
// clock is used, with --limit-ms. The load average at the start and end is printed.
// Needs dist/ (npm run build). tests/store/fuzz.test.ts runs a short version in `npm test`.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "shortcut-bench.js");
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);

const { InputError } = await dist("config/inputError.js");
const { loadStudyConfig } = await dist("config/studyConfig.js");
const { configHash } = await dist("store/configHash.js");
const { sealed } = await dist("store/derivedSource.js");
const { LOCK_FILE, LOCK_WRITE_GRACE_MS } = await dist("store/lock.js");
const { readVerifiedResults } = await dist("study/derivedFiles.js");
const { readResults } = await dist("study/readResults.js");
const { readResolvedConfig, studyHash } = await dist("study/resolvedConfig.js");
const { takeResultsDir } = await dist("study/resultsDir.js");

let LIMIT_MS = 5000;
/** CPU seconds a command may use on one fuzzed file (see the file comment). */
const CLI_CPU_LIMIT_S = 5;
/** Wall seconds a command's CPU time may stand still before it counts as waiting forever. */
const STALL_S = 20;
/** How often a child's CPU time is read. */
const POLL_MS = 100;
/** Clock ticks per second of /proc/<pid>/stat's times. */
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;
const TINY = `{ name: "tiny", base: { d: 8, width: 16, batch: 8, steps: 40, evalEvery: 10, testPerGroup: 16 }, grid: { lambda: [0, 1] }, seeds: 3, checks: [{ where: { lambda: 0 }, metric: "events.signal.reachedFraction", op: ">=", value: 0 }] }`;

/** Every path (array of keys) inside a parsed JSON value, for picking what to mutate. */
function pathsOf(value, prefix = [], out = []) {
  out.push(prefix);
  if (value !== null && typeof value === "object" && out.length < 5000) {
    for (const key of Object.keys(value)) pathsOf(value[key], [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

/** A structural mutation: at path number `at` (modulo), set a value, delete the key, or add one. */
const structural = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("set", "delete", "add"),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(-1, -500, 0, 1e308, -0, 2 ** 53, 1.5, "", null, true, [], {}, "x".repeat(5000)),
    fc.integer({ min: -1e9, max: 1e9 }),
  ),
  key: fc.constantFrom("__proto__", "constructor", "extra", "steps", "seed", "d"),
});

function mutate(parsed, m) {
  const copy = JSON.parse(JSON.stringify(parsed));
  const paths = pathsOf(copy);
  const path = paths[m.at % paths.length];
  if (path.length === 0) return m.op === "set" ? m.value : copy;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1];
  if (m.op === "set") parent[last] = m.value;
  else if (m.op === "delete") {
    if (Array.isArray(parent)) parent.splice(last, 1);
    else delete parent[last];
  } else if (parent[last] !== null && typeof parent[last] === "object" && !Array.isArray(parent[last])) Object.defineProperty(parent[last], m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A textual mutation: cut the text, or overwrite a few bytes. */
const textual = fc.record({ cut: fc.option(fc.nat()), bytes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }) });
function mutateText(text, m) {
  const bytes = Buffer.from(text);
  for (const [at, b] of m.bytes) bytes[at % bytes.length] = b;
  return m.cut === null ? bytes : bytes.subarray(0, m.cut % (bytes.length + 1));
}

/** The targets: how to write a mutated file into a copy of the reference study, and how to read it. */
function targets(ref) {
  const text = (name) => readFileSync(join(ref, name), "utf8");
  const runLines = text("runs.jsonl").trimEnd().split("\n");
  const resolved = JSON.parse(text("config.resolved.json"));
  const summary = JSON.parse(text("summary.json"));
  const steps = JSON.parse(text("event-steps.json"));
  const rehashConfig = (config) => JSON.stringify({ hash: studyHash(config), contentHash: configHash(config), config });
  const reseal = (content) => {
    const { integrity: _i, ...rest } = content ?? {};
    return JSON.stringify(content !== null && typeof content === "object" && !Array.isArray(content) ? sealed(rest) : content);
  };
  return {
    "runs.jsonl record": {
      file: "runs.jsonl",
      arb: fc.tuple(fc.nat({ max: runLines.length - 1 }), structural),
      write: (dir, [line, m]) => writeFileSync(join(dir, "runs.jsonl"), runLines.map((l, i) => (i === line ? JSON.stringify(mutate(JSON.parse(l), m)) : l)).join("\n") + "\n"),
      read: (dir) => readResults(dir),
      cli: (dir) => ["report", dir],
    },
    "runs.jsonl bytes": {
      file: "runs.jsonl",
      arb: textual,
      write: (dir, m) => writeFileSync(join(dir, "runs.jsonl"), mutateText(runLines.join("\n") + "\n", m)),
      read: (dir) => readResults(dir),
      cli: (dir) => ["report", dir],
    },
    "config.resolved.json (hashes recomputed)": {
      file: "config.resolved.json",
      arb: structural,
      write: (dir, m) => writeFileSync(join(dir, "config.resolved.json"), rehashConfig(mutate(resolved.config, m))),
      read: (dir) => readResults(dir),
      cli: (dir) => ["report", dir],
    },
    "config.resolved.json (as edited)": {
      file: "config.resolved.json",
      arb: structural,
      write: (dir, m) => writeFileSync(join(dir, "config.resolved.json"), JSON.stringify(mutate(resolved, m))),
      read: (dir) => readResolvedConfig(dir),
      cli: (dir) => ["check", dir],
    },
    "summary.json (resealed, no runs.jsonl)": {
      file: "summary.json",
      arb: structural,
      write: (dir, m) => (rmSync(join(dir, "runs.jsonl")), writeFileSync(join(dir, "summary.json"), reseal(mutate(summary, m)))),
      read: (dir) => readVerifiedResults(dir, "check", { summary: true, eventSteps: false }),
      cli: (dir) => ["check", dir],
    },
    "event-steps.json (resealed, no runs.jsonl)": {
      file: "event-steps.json",
      arb: structural,
      write: (dir, m) => (rmSync(join(dir, "runs.jsonl")), writeFileSync(join(dir, "event-steps.json"), reseal(mutate(steps, m)))),
      read: (dir) => readVerifiedResults(dir, "--baseline", { summary: false, eventSteps: true }),
      cli: (dir) => ["check", ref, "--baseline", dir],
    },
    "event-steps.json bytes (with runs.jsonl)": {
      file: "event-steps.json",
      arb: textual,
      write: (dir, m) => writeFileSync(join(dir, "event-steps.json"), mutateText(text("event-steps.json"), m)),
      read: (dir) => readVerifiedResults(dir, "--baseline", { summary: false, eventSteps: true }),
      cli: (dir) => ["check", ref, "--baseline", dir],
    },
    "lock file (older than the grace period)": {
      file: LOCK_FILE,
      arb: fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 200 })),
      write: (dir, contents) => {
        writeFileSync(join(dir, LOCK_FILE), contents);
        const old = (Date.now() - LOCK_WRITE_GRACE_MS - 1000) / 1000;
        utimesSync(join(dir, LOCK_FILE), old, old);
      },
      read: (dir) => takeResultsDir(dir, null, { fresh: false, flag: "report", command: "fuzz" }).close(),
      cli: (dir) => ["report", dir],
    },
    "study config (JSON5)": {
      file: "fuzzed.json5",
      arb: structural,
      write: (dir, m) => writeFileSync(join(dir, "fuzzed.json5"), JSON.stringify(mutate(JSON.parse(JSON.stringify(eval(`(${TINY})`))), m))),
      read: (dir) => loadStudyConfig(join(dir, "fuzzed.json5")),
      cli: (dir) => ["study", join(dir, "fuzzed.json5"), "--out", join(dir, "out"), "--quiet", "--kernel", "bits", "--threads", "1"],
      // it accepted the config and runs the study, however long that may be
      started: (dir) => existsSync(join(dir, "out", "config.resolved.json")),
    },
  };
}

/** What one sample did: "ok", "refused" (exit 2 naming the file), or a failure in words. */
function judgeInProcess(target, dir) {
  const started = performance.now();
  let outcome = "ok";
  try {
    target.read(dir);
  } catch (err) {
    if (!(err instanceof InputError)) return `not an InputError: ${err?.stack ?? err}`;
    if (!err.message.includes(dir)) return `refusal does not name the file: ${err.message}`;
    outcome = "refused";
  }
  const ms = performance.now() - started;
  return ms > LIMIT_MS ? `took ${ms.toFixed(0)} ms` : outcome;
}

/** CPU seconds (user + system, all threads) process `pid` has used, or null without /proc. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime: fields 14, 15 of proc(5)
  } catch {
    return null;
  }
}

/**
 * Runs the command on a fuzzed file; resolves to its exit status, signal, stderr, and a hang in words
 * (null: it exited by itself). `started(dir)`: whether the command has accepted its input and begun
 * long work (a study), which is then interrupted with SIGINT rather than called a hang.
 */
function runChild(args, started) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      if (stderr.length < 1e6) stderr += chunk;
    });
    const wallStart = performance.now();
    let hang = null;
    let interruptedAt = null; // CPU seconds when SIGINT was sent
    let lastCpu = 0;
    let lastChange = wallStart;
    const poll = setInterval(() => {
      const now = performance.now();
      const cpu = cpuSeconds(child.pid);
      if (cpu === null) {
        if (now - wallStart > LIMIT_MS) hang = `no exit within ${LIMIT_MS} ms (wall clock: no /proc here)`;
      } else {
        if (cpu > lastCpu) [lastCpu, lastChange] = [cpu, now];
        const budget = interruptedAt === null ? CLI_CPU_LIMIT_S : interruptedAt + CLI_CPU_LIMIT_S;
        if (cpu > budget) {
          if (interruptedAt === null && started()) {
            interruptedAt = cpu;
            child.kill("SIGINT");
            return;
          }
          hang = `more than ${CLI_CPU_LIMIT_S} s of CPU time${interruptedAt === null ? "" : " after SIGINT"}`;
        } else if (now - lastChange > STALL_S * 1000) {
          hang = `waiting: no CPU time for ${STALL_S} s (${cpu.toFixed(1)} s used)`;
        }
      }
      if (hang !== null) {
        hang += `, load average ${loadavg()[0].toFixed(1)}`;
        child.kill("SIGKILL");
      }
    }, POLL_MS);
    child.on("close", (status, signal) => {
      clearInterval(poll);
      resolve({ status, signal, stderr, hang, interrupted: interruptedAt !== null });
    });
  });
}

async function judgeCli(target, dir) {
  const r = await runChild(target.cli(dir), () => target.started?.(dir) ?? false);
  if (r.hang !== null) return `hang: ${r.hang}`;
  if (/\n\s+at /.test(r.stderr)) return `stack trace: ${r.stderr}`;
  if (r.interrupted) return r.status === 130 || r.status === 0 ? "ok" : `exit ${r.status ?? r.signal} after SIGINT (130, or 0 when it had just finished, expected): ${r.stderr}`;
  if (![0, 1, 2].includes(r.status)) return `exit ${r.status ?? r.signal}: ${r.stderr}`;
  if (r.status === 2 && !r.stderr.includes(dir)) return `exit 2 without naming the file: ${r.stderr}`;
  return r.status === 2 ? "refused" : "ok";
}

/** Makes the reference study in a temporary folder; returns that folder and its study. */
export function makeReference() {
  const work = mkdtempSync(join(tmpdir(), "shortcut-bench-fuzz-"));
  writeFileSync(join(work, "tiny.json5"), TINY);
  const ref = join(work, "ref");
  const r = spawnSync(process.execPath, [bin, "study", join(work, "tiny.json5"), "--out", ref, "--quiet", "--kernel", "bits"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`reference study failed: ${r.stderr}`);
  return { work, ref };
}

/**
 * Fuzzes every target `runs` times; returns per target the counts of accepted and refused samples
 * and the failures (fast-check's shrunk counterexample and seed, or null).
 */
export async function fuzz({ runs, cli = false, seed, limitMs = 5000 }) {
  LIMIT_MS = limitMs;
  const { work, ref } = makeReference();
  const rows = [];
  try {
    let n = 0;
    for (const [name, target] of Object.entries(targets(ref))) {
      const counts = { ok: 0, refused: 0 };
      const property = fc.asyncProperty(target.arb, async (sample) => {
        const dir = join(work, `s${++n}`);
        cpSync(ref, dir, { recursive: true });
        try {
          target.write(dir, sample);
          const verdict = cli ? await judgeCli(target, dir) : judgeInProcess(target, dir);
          if (verdict !== "ok" && verdict !== "refused") throw new Error(verdict);
          counts[verdict]++;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
      const result = await fc.check(property, { numRuns: runs, seed, includeErrorInReport: true });
      rows.push({ target: name, ...counts, failure: result.failed ? fc.defaultReportMessage(result) : null });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? fallback : process.argv[i + 1];
  };
  const runs = Number(arg("--runs", "200"));
  const seed = arg("--seed", undefined) === undefined ? Date.now() % 2 ** 31 : Number(arg("--seed"));
  const cli = process.argv.includes("--cli");
  const limitMs = Number(arg("--limit-ms", "5000"));
  const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
  const limit = cli ? `a hang: > ${CLI_CPU_LIMIT_S} s of CPU, or no CPU for ${STALL_S} s` : `limit ${limitMs} ms`;
  console.log(`fuzzing ${cli ? "the CLI" : "in process"}, ${runs} samples per target, seed ${seed}, ${limit}; load average ${load()}`);
  const rows = await fuzz({ runs, cli, seed, limitMs });
  let failed = 0;
  for (const row of rows) {
    console.log(`${row.failure === null ? "ok  " : "FAIL"} ${row.target}: ${row.ok} accepted, ${row.refused} refused (exit 2 naming the file)`);
    if (row.failure !== null) {
      failed++;
      console.log(row.failure);
    }
  }
  console.log(`${rows.length} targets, ${rows.length * runs} samples, ${failed} failing targets; load average ${load()}`);
  process.exit(failed === 0 ? 0 : 1);
}
