// Typed exports (issue 19, "Exports"): one column per name (a `steps` grid key is not repeated), a
// grid key typed as its model key in every table (integers without ".0" in CSV, INT64 in Parquet),
// divergence as a boolean plus its step and reason, seeds up to 2^32 − 1, and column names that
// would collide refused. Built in-process from run records; read back by hyparquet always, and by
// pandas (/usr/bin/python3, or SB_PYTHON) and R's survival where they are installed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { resolveParams } from "../../src/config/modelKeys.js";
import { toCsv } from "../../src/export/csv.js";
import { toParquet } from "../../src/export/parquet.js";
import { buildTable, type Table } from "../../src/export/tables.js";
import type { RunRecord } from "../../src/store/runRecord.js";
import { expectInputError } from "../support/expectInputError.js";

const PYTHON = process.env.SB_PYTHON ?? "/usr/bin/python3";
const RSCRIPT = process.env.SB_RSCRIPT ?? "Rscript";
const canImport = (module: string) => spawnSync(PYTHON, ["-c", `import ${module}`]).status === 0;
const hasPandas = canImport("pandas");
const hasPyarrow = hasPandas && canImport("pyarrow");
const hasR = spawnSync(RSCRIPT, ["--vanilla", "-e", "quit(status = if (requireNamespace('survival', quietly = TRUE)) 0 else 3)"]).status === 0;
if (!hasPandas) console.log(`typedExports: pandas not importable by ${PYTHON}: its checks are skipped`);
if (!hasPyarrow) console.log(`typedExports: pyarrow not importable by ${PYTHON}: pandas' Parquet check is skipped (hyparquet still reads the files)`);
if (!hasR) console.log(`typedExports: ${RSCRIPT} with survival not found: the R check is skipped`);

const work = mkdtempSync(join(tmpdir(), "shortcut-bench-typed-"));

// A grid over steps (an integer key that is also the runs table's horizon), width (integer) and
// lambda (a real number whose grid values happen to be whole); the last seed is the largest allowed.
const CONDITIONS = [0, 1].flatMap((lambda) => [40, 60].flatMap((steps) => [16, 64].map((width) => ({ lambda, steps, width }))));
const SEEDS = [0, 4294967295];

function record(condition: { lambda: number; steps: number; width: number }, seed: number): RunRecord {
  const diverged = condition.lambda === 1 && condition.steps === 60 && condition.width === 64 && seed === 0 ? 30 : null;
  return {
    condition,
    params: resolveParams({ ...condition, d: 8, batch: 8, evalEvery: 10, seed }),
    seed,
    events: { spurious: condition.lambda === 1 ? 3 : null, signal: condition.lambda === 0 ? 20 + seed % 7 : null },
    rates: { spuriousRate: 0.5, signalRate: null },
    final: { wga: 1, trainLoss: 0.25 } as RunRecord["final"],
    trajectory: [],
    diverged,
    divergedReason: diverged === null ? null : "loss above divergeLoss",
    wallMs: 12,
    engine: { threads: 1, shards: 1, kernel: "test", version: "test" },
  };
}

const RECORDS = CONDITIONS.flatMap((c) => SEEDS.map((seed) => record(c, seed)));
const EVENTS = ["spurious", "signal"];
const GAPS: [string, string][] = [["spurious", "signal"]];
const runs = buildTable("runs", RECORDS, CONDITIONS, EVENTS, GAPS);
const events = buildTable("events", RECORDS, CONDITIONS, EVENTS, GAPS);

function file(name: string, content: string | Uint8Array): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}
const runsCsv = file("runs.csv", toCsv(runs));
const eventsCsv = file("events.csv", toCsv(events));
const runsParquet = file("runs.parquet", toParquet(runs));
const eventsParquet = file("events.parquet", toParquet(events));

const names = (t: Table) => t.columns.map((c) => c.name);
const csvColumn = (csv: string, name: string) => {
  const [header, ...lines] = csv.trimEnd().split("\n").map((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
  return lines.map((cells) => cells[header.indexOf(name)]);
};

function python(code: string, ...args: string[]): unknown {
  const r = spawnSync(PYTHON, ["-c", `import json, sys\nimport pandas as pd\n${code}`, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe("typed exports", () => {
  it("write each column once: a steps grid key is the horizon column", () => {
    expect(names(runs).filter((n) => n === "steps")).toEqual(["steps"]);
    expect(new Set(names(runs)).size).toBe(names(runs).length);
    expect(names(runs).slice(0, 10)).toEqual(["run", "condition", "lambda", "steps", "width", "seed", "diverged", "divergedStep", "divergedReason", "spurious_step"]);
  });

  it("write an integer grid key as an integer in every CSV, a real one with its decimal point", () => {
    for (const csv of [toCsv(runs), toCsv(events)]) {
      expect(new Set(csvColumn(csv, "steps"))).toEqual(new Set(["40", "60"]));
      expect(new Set(csvColumn(csv, "width"))).toEqual(new Set(["16", "64"]));
      expect(new Set(csvColumn(csv, "lambda"))).toEqual(new Set(["0.0", "1.0"]));
      expect(new Set(csvColumn(csv, "seed"))).toEqual(new Set(["0", "4294967295"]));
    }
  });

  it("give divergence as a boolean, the step it began (empty when none) and why", () => {
    const csv = toCsv(runs);
    expect(csvColumn(csv, "diverged").filter((v) => v === "TRUE")).toHaveLength(1);
    expect(csvColumn(csv, "diverged").filter((v) => v === "FALSE")).toHaveLength(RECORDS.length - 1);
    expect(csvColumn(csv, "divergedStep").filter((v) => v !== "")).toEqual(["30"]);
    expect(csvColumn(csv, "divergedReason").filter((v) => v !== "")).toEqual(["loss above divergeLoss"]);
  });

  it("type Parquet columns: integers INT64 (seeds reach 2^32 − 1), booleans BOOLEAN, reals DOUBLE", async () => {
    const typeOf = (path: string) => {
      const bytes = toParquet(path === runsParquet ? runs : events);
      const types = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).schema.slice(1);
      return Object.fromEntries(types.map((s) => [s.name, s.type]));
    };
    expect(typeOf(runsParquet)).toMatchObject({ run: "INT64", steps: "INT64", width: "INT64", seed: "INT64", lambda: "DOUBLE", diverged: "BOOLEAN", divergedStep: "INT64", signal_reached: "BOOLEAN", final_wga: "DOUBLE" });
    expect(typeOf(eventsParquet)).toMatchObject({ steps: "INT64", width: "INT64", step: "INT64", reached: "BOOLEAN" });
    const bytes = toParquet(runs);
    const rows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })) as Record<string, unknown>[];
    expect(rows.map((r) => r.seed)).toEqual(RECORDS.map((r) => BigInt(r.seed)));
    expect(rows.map((r) => r.diverged)).toEqual(RECORDS.map((r) => r.diverged !== null));
  });

  it("refuse two columns of one name (an event named like a gap's column), naming the config key", () => {
    const named = RECORDS.map((r) => ({ ...r, events: { ...r.events, gap_spurious_signal: null } }));
    expectInputError(() => buildTable("runs", named, CONDITIONS, [...EVENTS, "gap_spurious_signal"], GAPS), /'gap_spurious_signal_reached'.*events/);
  });

  it.skipIf(!hasPandas)("read in pandas as integers and booleans (CSV)", () => {
    const dtypes = python(`runs = pd.read_csv(sys.argv[1]); events = pd.read_csv(sys.argv[2])
print(json.dumps({"runs": {c: str(runs[c].dtype) for c in ["steps", "width", "seed", "lambda", "diverged", "signal_reached"]},
  "events": {c: str(events[c].dtype) for c in ["steps", "width", "step", "reached"]}}))`, runsCsv, eventsCsv);
    expect(dtypes).toEqual({
      runs: { steps: "int64", width: "int64", seed: "int64", lambda: "float64", diverged: "bool", signal_reached: "bool" },
      events: { steps: "int64", width: "int64", step: "int64", reached: "bool" },
    });
  });

  it.skipIf(!hasPyarrow)("read in pandas as integers and booleans (Parquet, pyarrow)", () => {
    const dtypes = python(`runs = pd.read_parquet(sys.argv[1]); events = pd.read_parquet(sys.argv[2])
print(json.dumps({"runs": {c: str(runs[c].dtype) for c in ["steps", "width", "seed", "lambda", "diverged", "signal_reached"]},
  "events": {c: str(events[c].dtype) for c in ["steps", "width", "step", "reached"]}, "seeds": sorted(set(runs["seed"].tolist()))}))`, runsParquet, eventsParquet);
    expect(dtypes).toEqual({
      runs: { steps: "int64", width: "int64", seed: "int64", lambda: "float64", diverged: "bool", signal_reached: "bool" },
      events: { steps: "int64", width: "int64", step: "int64", reached: "bool" },
      seeds: SEEDS,
    });
  });

  it.skipIf(!hasR)("read in R: integers as integer, reached and diverged as logical, Surv(step, reached) per event", () => {
    const script = `suppressPackageStartupMessages(library(survival))
runs <- read.csv(${JSON.stringify(runsCsv)}); events <- read.csv(${JSON.stringify(eventsCsv)})
cat(class(runs$steps), class(runs$width), class(runs$lambda), class(runs$diverged), class(events$width), class(events$reached), "\\n")
fit <- survfit(Surv(step, reached) ~ lambda, data = subset(events, event == "signal"))
cat(summary(fit)$table[, "events"], "\\n")`;
    const r = spawnSync(RSCRIPT, ["--vanilla", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const [classes, reached] = r.stdout.trim().split("\n");
    expect(classes.trim()).toBe("integer integer numeric logical integer logical");
    expect(reached.trim()).toBe("8 0"); // λ = 0: every run reached signal; λ = 1: none
  });
});
