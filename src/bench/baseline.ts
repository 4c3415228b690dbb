// `bench --baseline FILE`: compare measured throughput with a previous `bench --json` output and
// fail a row whose median steps/s fell by more than the tolerance (SPEC §1: a throughput that fell).
import { MiB, readInputFile } from "../store/ownFiles.js";
import { InputError } from "../config/inputError.js";
import type { MachineInfo } from "./machine.js";
import { formatRate } from "../render/format.js";
import type { BenchRow } from "./measure.js";

/** The fields of a baseline row that a comparison uses. */
interface BaselineRow {
  d: number;
  width: number;
  batch: number;
  threads: number;
  shardsMode: string;
  kernel: string;
  stepsPerSec: number;
}

export interface Baseline {
  machine?: Partial<MachineInfo>;
  rows: BaselineRow[];
}

export interface BaselineComparison {
  /** One line per measured row: PASS, FAIL, or SKIP (no baseline row). */
  lines: string[];
  passed: number;
  failed: number;
  /** Measured rows with no baseline row of the same (d, width, batch, threads, shardsMode, kernel). */
  unmatched: number;
  /** The machine the baseline was measured on, when its file says. */
  baselineMachine?: Partial<MachineInfo>;
}

type RowKey = Pick<BaselineRow, "d" | "width" | "batch" | "threads" | "shardsMode" | "kernel">;

export function rowKey(r: RowKey): string {
  return `${r.d},${r.width},${r.batch}|${r.threads}|${r.shardsMode}|${r.kernel}`;
}

/** Reads and validates a `bench --json` output; an InputError naming the file when it is not one. */
export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readInputFile(file, 64 * MiB, "bench baseline").toString("utf8");
  } catch (err) {
    const problem = (err as Error).message.replace(`${file}: `, "");
    throw new InputError(`--baseline ${file}: cannot read it (${problem})`, { file, key: "baseline" });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`--baseline ${file}: not valid JSON (${(err as Error).message}); expected the output of 'bench --json'`, { file, key: "baseline" });
  }
  const bad = (what: string): never => {
    throw new InputError(`--baseline ${file}: ${what}; expected the output of 'bench --json'`, { file, key: "baseline" });
  };
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) bad("not a JSON object");
  const obj = parsed as Record<string, unknown>;
  if (!Array.isArray(obj.rows)) bad("no 'rows' array");
  const rows = (obj.rows as unknown[]).map((raw, i): BaselineRow => {
    if (typeof raw !== "object" || raw === null) return bad(`rows[${i}] is not an object`);
    const r = raw as Record<string, unknown>;
    for (const key of ["d", "width", "batch", "threads"] as const) {
      if (!Number.isInteger(r[key]) || (r[key] as number) < 1) bad(`rows[${i}].${key} must be a positive integer, got ${JSON.stringify(r[key])}`);
    }
    if (typeof r.stepsPerSec !== "number" || !Number.isFinite(r.stepsPerSec) || r.stepsPerSec <= 0) {
      bad(`rows[${i}].stepsPerSec must be a positive number, got ${JSON.stringify(r.stepsPerSec)}`);
    }
    if (r.shardsMode !== "auto" && r.shardsMode !== "fixed") bad(`rows[${i}].shardsMode must be "auto" or "fixed", got ${JSON.stringify(r.shardsMode)}`);
    if (typeof r.kernel !== "string") bad(`rows[${i}].kernel must be a string, got ${JSON.stringify(r.kernel)}`);
    return {
      d: r.d as number,
      width: r.width as number,
      batch: r.batch as number,
      threads: r.threads as number,
      shardsMode: r.shardsMode as string,
      kernel: r.kernel as string,
      stepsPerSec: r.stepsPerSec as number,
    };
  });
  const machine = typeof obj.machine === "object" && obj.machine !== null ? (obj.machine as Partial<MachineInfo>) : undefined;
  return { machine, rows };
}

function describeRow(r: RowKey): string {
  return `${r.d},${r.width},${r.batch} threads=${r.threads} shards=${r.shardsMode} kernel=${r.kernel}`;
}

function signedPercent(fraction: number): string {
  const p = (fraction * 100).toFixed(1);
  return fraction < 0 ? `\u2212${p.slice(1)}%` : `+${p}%`;
}

/**
 * Compares each measured row with the baseline row of the same (d, width, batch, threads,
 * shardsMode, kernel): FAIL when the median is below baseline × (1 − tolerance).
 */
export function compareWithBaseline(rows: readonly BenchRow[], baselineFile: string | Baseline, tolerance: number): BaselineComparison {
  if (!(tolerance >= 0 && tolerance < 1)) throw new RangeError(`tolerance must be in [0, 1), got ${tolerance}`);
  const baseline = typeof baselineFile === "string" ? readBaseline(baselineFile) : baselineFile;
  const byKey = new Map<string, BaselineRow>();
  for (const r of baseline.rows) if (!byKey.has(rowKey(r))) byKey.set(rowKey(r), r);
  const out: BaselineComparison = { lines: [], passed: 0, failed: 0, unmatched: 0, baselineMachine: baseline.machine };
  for (const row of rows) {
    const base = byKey.get(rowKey(row));
    if (base === undefined) {
      out.unmatched++;
      out.lines.push(`SKIP ${describeRow(row)}: ${formatRate(row.stepsPerSec)} steps/s, no baseline`);
      continue;
    }
    const failed = row.stepsPerSec < base.stepsPerSec * (1 - tolerance);
    if (failed) out.failed++;
    else out.passed++;
    const change = signedPercent(row.stepsPerSec / base.stepsPerSec - 1);
    out.lines.push(`${failed ? "FAIL" : "PASS"} ${describeRow(row)}: ${formatRate(row.stepsPerSec)} steps/s vs baseline ${formatRate(base.stepsPerSec)} (${change})`);
  }
  return out;
}
