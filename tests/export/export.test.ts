// `export`: a tiny study's runs, events and trajectories as CSV (read back with pandas, when
// /usr/bin/python3 has it) and Parquet (read back with hyparquet, an independent reader), and the
// bad-input paths that write nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cliInProcess.js";
import type { RunRecord } from "../../src/store/runRecord.js";

const work = mkdtempSync(join(tmpdir(), "shortcut-bench-export-"));
const dir = join(work, "results");

const cli = (...args: string[]) => runCli(args, { cwd: work });

const PYTHON = "/usr/bin/python3";
const hasPandas = spawnSync(PYTHON, ["-c", "import pandas"]).status === 0;

/** Runs a pandas snippet on `file` (bound to `df`) and returns what it prints as JSON. */
function pandas(file: string, code: string): unknown {
  const script = `import json, sys\nimport pandas as pd\ndf = pd.read_csv(sys.argv[1], float_precision="round_trip")\n${code}`;
  const r = spawnSync(PYTHON, ["-c", script, file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

let records: RunRecord[];

beforeAll(async () => {
  // A variant grid key as well, so its keys become columns.
  writeFileSync(join(work, "tiny.json5"), `{
    name: "tiny",
    base: { d: 8, width: 16, batch: 8, steps: 60, evalEvery: 10, testPerGroup: 16 },
    grid: { lambda: [0, 1], variant: [{}, { activation: "leaky" }] },
    seeds: 2,
  }`);
  const r = await cli("study", "tiny.json5", "--out", dir, "--quiet", "--threads", "2");
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  records = readFileSync(join(dir, "runs.jsonl"), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as RunRecord);
});

/** The records in the order of the export: grid order (λ outer, variant inner), then seed. */
function exportOrder(): RunRecord[] {
  const rank = (r: RunRecord) => (r.condition.lambda as number) * 2 + (Object.keys(r.condition.variant as object).length > 0 ? 1 : 0);
  return [...records].sort((a, b) => rank(a) - rank(b) || a.seed - b.seed);
}

describe("export --format csv", () => {
  beforeAll(async () => {
    const r = await cli("export", dir, "--out", join(work, "csv"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("runs.csv (8 rows");
  });

  it("writes runs, events, trajectories, (two grid keys) the pivot tables and the effect models, and nothing else", async () => {
    expect(readdirSync(join(work, "csv")).sort()).toEqual(["effects.csv", "events.csv", "pivot.csv", "runs.csv", "trajectories.csv"]);
  });

  it("has one row per run with the condition keys (a variant's keys flattened) as columns", async () => {
    const header = readFileSync(join(work, "csv", "runs.csv"), "utf8").split("\n")[0].split(",");
    expect(header.slice(0, 6)).toEqual(["run", "condition", "lambda", "activation", "seed", "steps"]);
    expect(header).toEqual(expect.arrayContaining(["spurious_step", "spurious_reached", "signal_step", "final_wga", "final_accGroup3", "spuriousRate"]));
    expect(header.slice(header.indexOf("signal_reached") + 1, header.indexOf("spuriousRate"))).toEqual(["gap_spurious_signal", "gap_spurious_signal_reached"]);
  });

  it.skipIf(!hasPandas)("reads back in pandas with the same values, booleans as bool and null as NaN", async () => {
    const runs = pandas(join(work, "csv", "runs.csv"), `print(json.dumps({
      "rows": len(df), "dtypes": {c: str(df[c].dtype) for c in ["run", "lambda", "activation", "seed", "spurious_reached", "final_wga"]},
      "wga": df["final_wga"].tolist(), "rate": [None if pd.isna(x) else x for x in df["spuriousRate"]],
      "activation": df["activation"].tolist(), "signal": [None if pd.isna(x) else int(x) for x in df["signal_step"]]}))`) as {
      rows: number; dtypes: Record<string, string>; wga: number[]; rate: (number | null)[]; activation: string[]; signal: (number | null)[];
    };
    const ordered = exportOrder();
    expect(runs.rows).toBe(8);
    expect(runs.dtypes).toEqual({ run: "int64", lambda: "float64", activation: "object", seed: "int64", spurious_reached: "bool", final_wga: "float64" });
    expect(runs.wga).toEqual(ordered.map((r) => r.final.wga)); // exactly: numbers round-trip
    expect(runs.rate).toEqual(ordered.map((r) => r.rates.spuriousRate));
    expect(runs.activation).toEqual(ordered.map((r) => r.params.activation));
    expect(runs.signal).toEqual(ordered.map((r) => r.events.signal));
  });

  it.skipIf(!hasPandas)("gives events in time-to-event form: the step reached, else the censoring step", async () => {
    const events = pandas(join(work, "csv", "events.csv"), `ev = df[df["event"].isin(["spurious", "signal"])]
print(json.dumps({
      "rows": len(ev), "columns": df.columns.tolist()[-3:], "reached": df["reached"].dtype.name,
      "censored": sorted(set(ev.loc[~ev["reached"], "step"].tolist())),
      "steps": ev.loc[ev["event"] == "spurious", "step"].tolist()}))`) as { rows: number; columns: string[]; reached: string; censored: number[]; steps: number[] };
    expect(events.rows).toBe(16); // 8 runs × 2 events
    expect(events.columns).toEqual(["event", "step", "reached"]);
    expect(events.reached).toBe("bool");
    for (const step of events.censored) expect(step).toBe(60); // no run diverged: censored at the horizon
    expect(events.steps).toEqual(exportOrder().map((r) => r.events.spurious ?? 60));
  });

  it.skipIf(!hasPandas)("gives each run's gap in time-to-event form, in events and in runs", async () => {
    const gaps = pandas(join(work, "csv", "events.csv"), `gap = df[df["event"] == "gap.spurious.signal"]
print(json.dumps({"runs": gap["run"].tolist(), "step": gap["step"].tolist(), "reached": gap["reached"].tolist()}))`) as { runs: number[]; step: number[]; reached: boolean[] };
    const runs = pandas(join(work, "csv", "runs.csv"), `print(json.dumps({"gap": [None if pd.isna(x) else int(x) for x in df["gap_spurious_signal"]],
      "reached": [None if pd.isna(x) else bool(x) for x in df["gap_spurious_signal_reached"]]}))`) as { gap: (number | null)[]; reached: (boolean | null)[] };
    // A run that reached the spurious event has a gap: to the signal event, else to the horizon (60).
    const expected = exportOrder().map((r) => (r.events.spurious === null ? null : (r.events.signal ?? 60) - r.events.spurious));
    expect(expected.some((g) => g !== null)).toBe(true);
    expect(runs.gap).toEqual(expected);
    expect(runs.reached).toEqual(exportOrder().map((r) => (r.events.spurious === null ? null : r.events.signal !== null)));
    expect(gaps.runs).toEqual(expected.flatMap((g, run) => (g === null ? [] : [run])));
    expect(gaps.step).toEqual(expected.filter((g) => g !== null));
    expect(gaps.reached).toEqual(runs.reached.filter((x) => x !== null));
  });

  it.skipIf(!hasPandas)("has one trajectory row per run and evaluated step", async () => {
    const t = pandas(join(work, "csv", "trajectories.csv"), `print(json.dumps({"rows": len(df), "steps": sorted(set(df["step"].tolist())), "mass": df.loc[df["run"] == 0, "massSpurious"].tolist()}))`) as {
      rows: number; steps: number[]; mass: number[];
    };
    expect(t.steps).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(t.rows).toBe(8 * 7);
    expect(t.mass).toEqual(exportOrder()[0].trajectory.map((p) => p.massSpurious));
  });
});

describe("export --format parquet", () => {
  beforeAll(async () => {
    const r = await cli("export", dir, "--format", "parquet", "--out", join(work, "pq"));
    expect(r.code).toBe(0);
  });

  async function readParquet(name: string): Promise<Record<string, unknown>[]> {
    const bytes = readFileSync(join(work, "pq", `${name}.parquet`));
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    // hyparquet reads INT64 as bigint: back to numbers, to compare with the records
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
  }

  it("reads back with hyparquet: the same rows and values as the records", async () => {
    const runs = await readParquet("runs");
    const ordered = exportOrder();
    expect(runs).toHaveLength(8);
    expect(runs.map((r) => r.final_wga)).toEqual(ordered.map((r) => r.final.wga));
    expect(runs.map((r) => r.signal_step)).toEqual(ordered.map((r) => r.events.signal));
    expect(runs.map((r) => r.signal_reached)).toEqual(ordered.map((r) => r.events.signal !== null));
    expect(runs.map((r) => r.diverged)).toEqual(ordered.map(() => false));
    expect(runs.map((r) => r.divergedStep)).toEqual(ordered.map(() => null));
    expect(runs.map((r) => r.activation)).toEqual(ordered.map((r) => r.params.activation));
    const events = await readParquet("events");
    expect(events).toHaveLength(16 + ordered.filter((r) => r.events.spurious !== null).length); // 8 runs × 2 events, and the gaps
    expect(Object.keys(events[0])).toEqual(["run", "condition", "lambda", "activation", "seed", "event", "step", "reached"]);
    const trajectories = await readParquet("trajectories");
    expect(trajectories).toHaveLength(56);
  });
});

describe("export into the results directory", () => {
  it("writes its tables beside the runs, and study --fresh removes them with the study it discards", async () => {
    const own = join(work, "own");
    expect((await cli("study", "tiny.json5", "--out", own, "--quiet")).code).toBe(0);
    expect((await cli("export", own, "--what", "runs")).code).toBe(0);
    expect((await cli("export", own, "--what", "events", "--format", "parquet")).code).toBe(0);
    expect(readdirSync(own)).toEqual(expect.arrayContaining(["runs.csv", "events.parquet"]));
    writeFileSync(join(own, "notes.txt"), "mine");
    expect((await cli("study", "tiny.json5", "--out", own, "--quiet", "--fresh")).code).toBe(0);
    const after = readdirSync(own);
    expect(after).not.toContain("runs.csv");
    expect(after).not.toContain("events.parquet");
    expect(after).toContain("notes.txt"); // not the tool's: never deleted
  });
});

describe("export bad input", () => {
  it("refuses an unknown --format or --what naming the flag and what is allowed (exit 2), writing nothing", async () => {
    const out = join(work, "bad");
    for (const args of [["--format", "xls"], ["--what", "weights"], ["--what", "events,weights"], ["--what", ","]]) {
      const r = await cli("export", dir, ...args, "--out", out);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(args[0].slice(2));
      expect(r.stderr).toMatch(args[0] === "--what" ? /allowed: runs, events, trajectories, pivot, effects/ : /csv.*parquet/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(() => readdirSync(out)).toThrow();
  });

  it("takes --what as a comma list", async () => {
    const out = join(work, "some");
    const r = await cli("export", dir, "--what", "events,runs", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(out).filter((f) => !f.startsWith(".")).sort()).toEqual(["events.csv", "runs.csv"]);
  });

  it("refuses a missing directory and an --out that is a file", async () => {
    expect((await cli("export", join(work, "nope"))).code).toBe(2);
    writeFileSync(join(work, "file"), "x");
    const r = await cli("export", dir, "--out", join(work, "file"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--out");
  });

  it("leaves no temporary files behind", async () => {
    expect(readdirSync(join(work, "csv")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
