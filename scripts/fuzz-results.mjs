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
// In-process by default (each file's reader called directly, timed); --cli runs the real command
// in a child process with a 5 s timeout instead (slower; also catches hangs that ignore signals).
// --limit-ms raises the limit for a loaded machine, where starting node alone can take seconds.
// Needs dist/ (npm run build). tests/store/fuzz.test.ts runs a short version in `npm test`.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

function judgeCli(target, dir) {
  const r = spawnSync(process.execPath, [bin, ...target.cli(dir)], { encoding: "utf8", timeout: LIMIT_MS, killSignal: "SIGKILL" });
  if (r.error?.code === "ETIMEDOUT" || r.signal !== null) return `no exit within ${LIMIT_MS} ms`;
  if (/\n\s+at /.test(r.stderr)) return `stack trace: ${r.stderr}`;
  if (![0, 1, 2].includes(r.status)) return `exit ${r.status}: ${r.stderr}`;
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
export function fuzz({ runs, cli = false, seed, limitMs = 5000 }) {
  LIMIT_MS = limitMs;
  const { work, ref } = makeReference();
  const rows = [];
  try {
    let n = 0;
    for (const [name, target] of Object.entries(targets(ref))) {
      const counts = { ok: 0, refused: 0 };
      const property = fc.property(target.arb, (sample) => {
        const dir = join(work, `s${++n}`);
        cpSync(ref, dir, { recursive: true });
        try {
          target.write(dir, sample);
          const verdict = cli ? judgeCli(target, dir) : judgeInProcess(target, dir);
          if (verdict !== "ok" && verdict !== "refused") throw new Error(verdict);
          counts[verdict]++;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
      const result = fc.check(property, { numRuns: runs, seed, includeErrorInReport: true });
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
  console.log(`fuzzing ${cli ? "the CLI" : "in process"}, ${runs} samples per target, seed ${seed}, limit ${limitMs} ms`);
  const rows = fuzz({ runs, cli, seed, limitMs });
  let failed = 0;
  for (const row of rows) {
    console.log(`${row.failure === null ? "ok  " : "FAIL"} ${row.target}: ${row.ok} accepted, ${row.refused} refused (exit 2 naming the file)`);
    if (row.failure !== null) {
      failed++;
      console.log(row.failure);
    }
  }
  console.log(`${rows.length} targets, ${rows.length * runs} samples, ${failed} failing targets`);
  process.exit(failed === 0 ? 0 : 1);
}
