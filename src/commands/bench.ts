// `shortcut-bench bench` (SPEC §7): training-step throughput of the engine alone, per model size,
// thread count, shards mode and kernel; optionally against the NumPy peer and a baseline file.
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname } from "node:path";
import type { Argv } from "yargs";
import { InputError } from "../config/inputError.js";
import { keySpec, resolveParams } from "../config/modelKeys.js";
import { Engine } from "../pool/engine.js";
import { SHARDED_FLOPS_PER_STEP } from "../pool/chooseShards.js";
import { DEFAULT_KERNEL, KERNELS, type KernelName } from "../kernel/registry.js";
import { VERSION } from "../version.js";
import { machineInfo, type MachineInfo } from "../bench/machine.js";
import { EfficiencyReferences, formatRate, measureThroughput, type BenchRow, type Measurement, type ShardsMode } from "../bench/measure.js";
import { runNumpyPeer, type PeerRow, type PeerSize } from "../bench/peer.js";
import { compareWithBaseline, readBaseline, rowKey, type Baseline, type BaselineComparison } from "../bench/baseline.js";
import { EXIT_FAILED, EXIT_OK } from "./exitCodes.js";
import { markdownTable, textTable } from "../render/table.js";

export const DEFAULT_SIZES: readonly PeerSize[] = [
  { d: 64, width: 128, batch: 64 },
  { d: 128, width: 128, batch: 64 },
  { d: 256, width: 256, batch: 128 },
  { d: 512, width: 512, batch: 256 },
  { d: 1024, width: 1024, batch: 256 },
];
const SHARDS_MODES: readonly ShardsMode[] = ["auto", "fixed"];
/** A row whose (max − min) / median exceeds this is flagged as noisy. */
export const NOISY_SPREAD = 0.2;
/**
 * A repeat during which other processes kept more than this share of all cores busy is redone
 * (up to 2 × repeats times; Linux), in ours and in the NumPy peer alike.
 */
export const MAX_OTHERS_BUSY = 0.1;

export function benchCommandBuilder(yargs: Argv) {
  const cores = availableParallelism();
  return yargs
    .option("sizes", { type: "string", describe: `model sizes "d,width,batch;d,width,batch" (default ${formatSizes(DEFAULT_SIZES)})` })
    .option("threads", { type: "string", describe: `thread counts to measure, a comma list (default 1 … ${cores}, this machine's parallelism)` })
    .option("shards", { type: "string", default: "auto,fixed", describe: "shards modes to measure: auto (as a study of at least threads runs would use) and/or fixed (threads shards per run: one run at a time)" })
    .option("kernel", { type: "string", default: DEFAULT_KERNEL, describe: `step kernels to measure, a comma list of ${KERNELS.join(", ")}` })
    .option("repeats", { type: "string", defaultDescription: "5", describe: "timed repeats per row, after one discarded warm-up (median, min, max are reported)" })
    .option("seconds", { type: "string", defaultDescription: "0.5", describe: "target seconds of SGD steps in one repeat (trade precision for time)" })
    .option("json", { type: "boolean", default: false, describe: "print one JSON object { machine, rows, peer?, baseline? }" })
    .option("peer", { type: "boolean", default: false, describe: "also run the NumPy peer (bench/peer-numpy.py, python3 + NumPy) and print our/NumPy ratios" })
    .option("baseline", { type: "string", describe: "a previous 'bench --json' output: exit 1 if a row's median steps/s fell by more than --tolerance" })
    .option("tolerance", { type: "string", defaultDescription: "0.25", describe: "allowed fractional drop below the baseline, in [0, 1)" })
    .option("markdown", { type: "string", describe: "also write a Markdown report (machine, command, table, peer ratios, method) to this file" });
}

export interface BenchFlags {
  sizes: PeerSize[];
  threads: number[];
  modes: ShardsMode[];
  kernels: KernelName[];
  repeats: number;
  seconds: number;
  json: boolean;
  peer: boolean;
  baseline?: string;
  tolerance: number;
  markdown?: string;
}

function single(flag: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new InputError(`--${flag} was given more than once`, { key: flag });
  return String(raw);
}

function sizeBounds(key: "d" | "width" | "batch"): [number, number] {
  const spec = keySpec(key);
  return [spec?.min ?? 1, spec?.max ?? 65536];
}

/** Parses `--sizes "d,width,batch;d,width,batch"`; every error names --sizes. */
export function parseSizes(text: string | undefined): PeerSize[] {
  if (text === undefined) return DEFAULT_SIZES.map((s) => ({ ...s }));
  const parts = text.split(";").map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0) throw new InputError(`--sizes must list at least one d,width,batch, got '${text}'`, { key: "sizes" });
  const sizes: PeerSize[] = [];
  for (const part of parts) {
    const fields = part.split(",").map((f) => f.trim());
    if (fields.length !== 3) {
      throw new InputError(`--sizes: '${part}' must be three integers d,width,batch (sizes are separated by ';')`, { key: "sizes" });
    }
    const values = fields.map(Number);
    const names = ["d", "width", "batch"] as const;
    names.forEach((name, i) => {
      const [min, max] = sizeBounds(name);
      if (fields[i] === "" || !Number.isInteger(values[i]) || values[i] < min || values[i] > max) {
        throw new InputError(`--sizes: ${name} in '${part}' must be an integer in [${min}, ${max}], got '${fields[i]}'`, { key: "sizes" });
      }
    });
    const size = { d: values[0], width: values[1], batch: values[2] };
    if (!sizes.some((s) => s.d === size.d && s.width === size.width && s.batch === size.batch)) sizes.push(size);
  }
  return sizes;
}

export function formatSizes(sizes: readonly PeerSize[]): string {
  return sizes.map((s) => `${s.d},${s.width},${s.batch}`).join(";");
}

function parseList<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new InputError(`--${flag} must list at least one of ${allowed.join(", ")}, got '${text}'`, { key: flag });
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new InputError(`--${flag}: '${item}' is not one of ${allowed.join(", ")}`, { key: flag });
    }
  }
  return [...new Set(items as T[])];
}

/** Parses `--threads 1,2,4` (default 1 … available parallelism), ascending and without repeats. */
export function parseThreadsList(text: string | undefined): number[] {
  if (text === undefined) return Array.from({ length: availableParallelism() }, (_, i) => i + 1);
  const items = text.split(",").map((s) => s.trim());
  const out = items.map((item) => {
    const n = Number(item);
    if (item === "" || !Number.isInteger(n) || n < 1 || n > 1024) {
      throw new InputError(`--threads must be a comma list of integers in [1, 1024], got '${text}'`, { key: "threads" });
    }
    return n;
  });
  return [...new Set(out)].sort((a, b) => a - b);
}

function parseNumber(flag: string, text: string, ok: (x: number) => boolean, range: string, integer = false): number {
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x) || (integer && !Number.isInteger(x)) || !ok(x)) {
    throw new InputError(`--${flag} must be ${integer ? "an integer" : "a number"} in ${range}, got '${text}'`, { key: flag });
  }
  return x;
}

export function parseBenchFlags(argv: Record<string, unknown>): BenchFlags {
  const markdown = single("markdown", argv.markdown);
  const baseline = single("baseline", argv.baseline);
  if (markdown === "") throw new InputError("--markdown needs a file name", { key: "markdown" });
  if (baseline === "") throw new InputError("--baseline needs a file name", { key: "baseline" });
  return {
    sizes: parseSizes(single("sizes", argv.sizes)),
    threads: parseThreadsList(single("threads", argv.threads)),
    modes: parseList("shards", single("shards", argv.shards) ?? "auto,fixed", SHARDS_MODES),
    kernels: parseList("kernel", single("kernel", argv.kernel) ?? DEFAULT_KERNEL, KERNELS),
    repeats: parseNumber("repeats", single("repeats", argv.repeats) ?? "5", (x) => x >= 1 && x <= 1000, "[1, 1000]", true),
    seconds: parseNumber("seconds", single("seconds", argv.seconds) ?? "0.5", (x) => x > 0 && x <= 600, "(0, 600]"),
    json: Boolean(argv.json),
    peer: Boolean(argv.peer),
    baseline,
    tolerance: parseNumber("tolerance", single("tolerance", argv.tolerance) ?? "0.25", (x) => x >= 0 && x < 1, "[0, 1)"),
    markdown,
  };
}

/** The command line that reproduces a bench with these flags (for reports). */
export function benchCommandLine(flags: BenchFlags): string {
  const parts = [
    "shortcut-bench bench",
    `--sizes "${formatSizes(flags.sizes)}"`,
    `--threads ${flags.threads.join(",")}`,
    `--shards ${flags.modes.join(",")}`,
    `--kernel ${flags.kernels.join(",")}`,
    `--repeats ${flags.repeats}`,
    `--seconds ${flags.seconds}`,
  ];
  if (flags.peer) parts.push("--peer");
  if (flags.baseline !== undefined) parts.push(`--baseline ${flags.baseline} --tolerance ${flags.tolerance}`);
  if (flags.markdown !== undefined) parts.push(`--markdown ${flags.markdown}`);
  return parts.join(" ");
}

export interface PeerOutput {
  numpy: string;
  blas: string;
  rows: PeerRow[];
}

export interface RowDetails {
  stepsPerRun: number;
  runsAtOnce: number;
  /** The shards mode whose measurement this row reuses (same S, same configuration). */
  sameAs?: ShardsMode;
  /** Mean share of all cores other processes kept busy during the kept repeats (Linux only). */
  othersBusy?: number;
  /** Repeats redone because other processes were busy. */
  redone: number;
  /** Smallest and largest paired efficiency over the repeats (rows at more than one thread). */
  efficiencyRange?: [number, number];
  /** Share of the shards' time spent waiting at the barrier (mean over the repeats' runs). */
  barrierWaitShare: number;
}

export interface BenchResult {
  machine: MachineInfo;
  rows: BenchRow[];
  /** Per row (by baseline row key): steps per run, runs at once, and whether it reused another row's measurement. */
  details: Map<string, RowDetails>;
  peer?: PeerOutput | { skipped: string };
  wallSeconds: number;
  /** 1-minute load average just before measuring: other processes competing for the cores. */
  loadBefore: number;
}

export async function benchCommand(argv: Record<string, unknown>): Promise<number> {
  const flags = parseBenchFlags(argv);
  const machine = machineInfo();

  // Bad input fails before minutes of measuring: an unreadable baseline, or one matching nothing.
  let baseline: Baseline | undefined;
  if (flags.baseline !== undefined) {
    baseline = readBaseline(flags.baseline);
    const planned = new Set(plannedKeys(flags));
    if (!baseline.rows.some((r) => planned.has(rowKey(r)))) {
      throw new InputError(
        `--baseline ${flags.baseline}: none of its ${baseline.rows.length} rows matches a row to measure (same d,width,batch, threads, shards mode and kernel)`,
        { file: flags.baseline, key: "baseline" },
      );
    }
  }

  const out = (text: string) => process.stdout.write(text + "\n");
  const warn = (text: string) => process.stderr.write(`warning: ${text}\n`);
  const status = process.stderr.isTTY ? (text: string) => process.stderr.write(`\r\x1b[K${text}`) : () => {};

  if (!flags.json) out(textHeader(machine, flags));
  if (flags.threads.some((t) => t > machine.cores)) {
    warn(`--threads ${flags.threads.join(",")} exceeds the ${machine.cores} available cores: those rows oversubscribe the CPU`);
  }

  const loadBefore = loadavg()[0];
  if (loadBefore >= machine.cores) {
    warn(`the 1-minute load average is ${loadBefore.toFixed(2)} on ${machine.cores} cores: other processes compete for the CPU, so throughput will read low and noisy`);
  }
  const started = performance.now();
  const rows: BenchRow[] = [];
  const details: BenchResult["details"] = new Map();
  const references = new EfficiencyReferences(flags.seconds);
  try {
    for (const threads of flags.threads) {
      const engine = new Engine(threads);
      try {
        for (const size of flags.sizes) {
          for (const kernel of flags.kernels) {
            const measured = new Map<number, { m: Measurement; mode: ShardsMode }>();
            for (const mode of flags.modes) {
              const shards = mode === "auto" ? "auto" : threads;
              const S = engine.shardsFor(resolveParams({ ...size, steps: 3 }), shards, threads);
              const again = measured.get(S);
              let row: BenchRow;
              if (again !== undefined) {
                // The same S is the same configuration (same runs at once, same jobs): measured once.
                row = { ...again.m.row, shardsMode: mode };
                details.set(rowKey(row), { ...detailsOf(again.m), sameAs: again.mode });
              } else {
                status(`measuring ${size.d},${size.width},${size.batch} on ${threads} thread${threads > 1 ? "s" : ""}, ${S} shard${S > 1 ? "s" : ""} (${mode}), ${kernel} …`);
                const reference = threads > 1 ? await references.run(size, kernel) : undefined;
                const m = await measureThroughput(
                  { ...size, threads, shards, kernel, repeats: flags.repeats, targetSeconds: flags.seconds, engine, maxOthersBusy: MAX_OTHERS_BUSY },
                  reference,
                );
                status("");
                measured.set(S, { m, mode });
                row = m.row;
                details.set(rowKey(row), detailsOf(m));
                if (m.othersBusy !== undefined && m.othersBusy > MAX_OTHERS_BUSY) {
                  warn(`${sizeLabel(row)} on ${threads} thread${threads > 1 ? "s" : ""} (${mode}, ${kernel}): other processes kept ${(m.othersBusy * 100).toFixed(0)}% of the cores busy even after ${m.redone} redone repeats; this row reads low`);
                }
              }
              rows.push(row);
              if (!flags.json) out(textRow(row, details.get(rowKey(row))));
              if (again === undefined && spread(row) > NOISY_SPREAD) warn(noisyMessage(row));
            }
          }
        }
      } finally {
        status("");
        await engine.close();
      }
    }
  } finally {
    await references.close();
  }

  let peer: BenchResult["peer"];
  if (flags.peer) {
    const peerRows: PeerRow[] = [];
    let info: { numpy: string; blas: string } | undefined;
    for (const threads of flags.threads) {
      status(`NumPy peer on ${threads} thread${threads > 1 ? "s" : ""} …`);
      const result = runNumpyPeer(flags.sizes, threads, flags.repeats, flags.seconds, "python3", MAX_OTHERS_BUSY);
      status("");
      if (!("skipped" in result)) {
        for (const p of result.rows) {
          if (typeof p.othersBusy === "number" && p.othersBusy > MAX_OTHERS_BUSY) {
            warn(`NumPy peer ${sizeLabel(p)} on ${threads} thread${threads > 1 ? "s" : ""}: other processes kept ${(p.othersBusy * 100).toFixed(0)}% of the cores busy even after ${p.redone ?? 0} redone repeats; this row reads low`);
          }
        }
      }
      if ("skipped" in result) {
        peer = result;
        warn(`NumPy peer skipped: ${result.skipped}`);
        break;
      }
      info = { numpy: result.numpy, blas: result.blas };
      peerRows.push(...result.rows);
    }
    if (peer === undefined && info !== undefined) {
      peer = { ...info, rows: peerRows };
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;

  let comparison: BaselineComparison | undefined;
  if (baseline !== undefined && flags.baseline !== undefined) {
    comparison = compareWithBaseline(rows, baseline, flags.tolerance);
    const theirs = comparison.baselineMachine;
    if (theirs?.cpu !== undefined && theirs.cpu !== machine.cpu) {
      warn(`the baseline was measured on '${theirs.cpu}', this machine is '${machine.cpu}'`);
    }
  }

  const result: BenchResult = { machine, rows, details, peer, wallSeconds, loadBefore };
  if (flags.json) {
    const json: Record<string, unknown> = { machine, rows: rows.map(jsonRow) };
    if (peer !== undefined) json.peer = peer;
    if (comparison !== undefined) {
      json.baseline = { file: flags.baseline, tolerance: flags.tolerance, passed: comparison.passed, failed: comparison.failed, unmatched: comparison.unmatched, lines: comparison.lines };
      for (const line of comparison.lines) process.stderr.write(line + "\n");
    }
    out(JSON.stringify(json, null, 2));
  } else {
    if (peer !== undefined && !("skipped" in peer)) out("\n" + peerText(rows, peer));
    out(`\n${rows.length} rows in ${wallSeconds.toFixed(1)} s`);
    if (comparison !== undefined) {
      out(`\nbaseline ${flags.baseline} (tolerance ${(flags.tolerance * 100).toFixed(0)}%):`);
      for (const line of comparison.lines) out(line);
    }
  }

  if (flags.markdown !== undefined) {
    mkdirSync(dirname(flags.markdown), { recursive: true });
    writeFileSync(flags.markdown, markdownReport(result, flags, comparison));
    if (!flags.json) out(`\nwrote ${flags.markdown}`);
  }
  return comparison !== undefined && comparison.failed > 0 ? EXIT_FAILED : EXIT_OK;
}

function detailsOf(m: Measurement): RowDetails {
  const e = m.efficiencies;
  return {
    stepsPerRun: m.stepsPerRun,
    runsAtOnce: m.runsAtOnce,
    othersBusy: m.othersBusy,
    redone: m.redone,
    efficiencyRange: e.length > 0 ? [Math.min(...e), Math.max(...e)] : undefined,
    barrierWaitShare: m.barrierWaitShare,
  };
}

/** "0.91 (0.85 … 0.96)": the median paired efficiency and its range over the repeats. */
function efficiencyCell(r: BenchRow, det?: RowDetails): string {
  if (r.efficiency === null) return "—";
  const range = det?.efficiencyRange;
  return range === undefined ? r.efficiency.toFixed(2) : `${r.efficiency.toFixed(2)} (${range[0].toFixed(2)} … ${range[1].toFixed(2)})`;
}

/** "9%": the share of the shards' time spent waiting at the barrier. */
function waitCell(det: RowDetails): string {
  return `${(det.barrierWaitShare * 100).toFixed(0)}%`;
}

/** The rows a bench with these flags will produce, as baseline keys (S does not matter for matching). */
function plannedKeys(flags: BenchFlags): string[] {
  return flags.threads.flatMap((threads) =>
    flags.sizes.flatMap((size) => flags.kernels.flatMap((kernel) => flags.modes.map((shardsMode) => rowKey({ ...size, threads, shardsMode, kernel })))),
  );
}

/** A row in the key order of SPEC §7, with shardsMode after shards. */
function jsonRow(r: BenchRow): BenchRow {
  return {
    d: r.d, width: r.width, batch: r.batch, threads: r.threads, shards: r.shards, shardsMode: r.shardsMode, kernel: r.kernel,
    stepsPerSec: r.stepsPerSec, stepsPerSecMin: r.stepsPerSecMin, stepsPerSecMax: r.stepsPerSecMax, gflops: r.gflops, efficiency: r.efficiency,
  };
}

export function spread(r: BenchRow): number {
  return (r.stepsPerSecMax - r.stepsPerSecMin) / r.stepsPerSec;
}

function noisyMessage(r: BenchRow): string {
  return `${sizeLabel(r)} on ${r.threads} thread${r.threads > 1 ? "s" : ""} (${r.shardsMode}, ${r.kernel}): min … max spans ${(spread(r) * 100).toFixed(0)}% of the median; ` +
    "the machine is noisy (other load, frequency scaling): close other programs or raise --repeats/--seconds";
}

function sizeLabel(s: PeerSize): string {
  return `${s.d},${s.width},${s.batch}`;
}

function textHeader(m: MachineInfo, flags: BenchFlags): string {
  return [
    `shortcut-bench ${VERSION} bench: SGD steps/s of the engine alone`,
    `CPU: ${m.cpu}, ${m.cores} cores available; Node ${m.node} (${m.platform}/${m.arch})`,
    `each row: median (min … max) of ${flags.repeats} repeats of ≈${flags.seconds} s of steps (setup excluded, as in the NumPy peer) after a discarded warm-up; GFLOP/s = 4·batch·d·width·steps/s`,
    "eff: steps/s ÷ (threads × 1-thread steps/s), each repeat paired with a 1-thread repeat timed just before it; median (min … max) over the pairs",
    "",
  ].join("\n");
}

function textRow(r: BenchRow, det?: RowDetails): string {
  const threads = `${r.threads} thread${r.threads > 1 ? "s" : ""}`;
  const shards = `${r.shards} shard${r.shards > 1 ? "s" : ""}(${r.shardsMode})`;
  const kernel = r.kernel === DEFAULT_KERNEL ? "" : `  ${r.kernel}`;
  return [
    sizeLabel(r).padEnd(14),
    threads.padStart(10),
    shards.padStart(16),
    `${formatRate(r.stepsPerSec).padStart(7)} steps/s (${formatRate(r.stepsPerSecMin)} … ${formatRate(r.stepsPerSecMax)})`.padEnd(36),
    `${r.gflops.toFixed(2).padStart(7)} GFLOP/s`,
    `eff ${efficiencyCell(r, det)}${kernel}`,
    r.shards > 1 && det !== undefined ? `barrier wait ${waitCell(det)}` : "",
  ].join("  ").trimEnd() + (det !== undefined && det.redone > 0 && det.sameAs === undefined ? `  (${det.redone} repeats redone: other load)` : "");
}

function peerOf(peer: PeerOutput, size: PeerSize, threads: number): PeerRow | undefined {
  return peer.rows.find((p) => p.d === size.d && p.width === size.width && p.batch === size.batch && p.threads === threads);
}

/** Columns of the ratio table: one per measured (kernel, shards mode). */
function ratioColumns(rows: readonly BenchRow[]): Array<{ kernel: KernelName; mode: ShardsMode }> {
  const cols: Array<{ kernel: KernelName; mode: ShardsMode }> = [];
  for (const r of rows) if (!cols.some((c) => c.kernel === r.kernel && c.mode === r.shardsMode)) cols.push({ kernel: r.kernel, mode: r.shardsMode });
  return cols;
}

/** Rows ordered by model size (flops per step), then threads, kernel and shards mode. */
function bySizeThenThreads(rows: readonly BenchRow[]): BenchRow[] {
  return [...rows].sort((a, b) =>
    a.d * a.width * a.batch - b.d * b.width * b.batch || a.d - b.d || a.width - b.width || a.threads - b.threads ||
    a.kernel.localeCompare(b.kernel) || a.shardsMode.localeCompare(b.shardsMode));
}

/**
 * Per (size, threads): NumPy on that many BLAS threads, ours/NumPy per (kernel, shards mode), and
 * ours (auto) against T × NumPy's 1-thread rate, the most T separate single-thread NumPy processes
 * (one seed each) could reach.
 */
function ratioTable(rows: readonly BenchRow[], peer: PeerOutput): { header: string[]; body: string[][] } {
  const cols = ratioColumns(rows);
  const autoKernels = [...new Set(rows.filter((r) => r.shardsMode === "auto").map((r) => r.kernel))];
  const header = [
    "size", "threads", "NumPy steps/s", "NumPy GFLOP/s", "NumPy eff",
    ...cols.map((c) => `ours/NumPy (${c.kernel}, ${c.mode})`),
    ...autoKernels.map((k) => `ours/(T × NumPy 1-thread) (${k}, auto)`),
    "others' CPU (NumPy)",
  ];
  const body: string[][] = [];
  const sorted = bySizeThenThreads(rows);
  const keys = [...new Set(sorted.map((r) => `${sizeLabel(r)}|${r.threads}`))];
  for (const key of keys) {
    const here = sorted.filter((r) => `${sizeLabel(r)}|${r.threads}` === key);
    const r0 = here[0];
    const p = peerOf(peer, r0, r0.threads);
    if (p === undefined) continue;
    const p1 = peerOf(peer, r0, 1);
    const eff = p1 === undefined ? "—" : (p.stepsPerSec / (p.threads * p1.stepsPerSec)).toFixed(2);
    const ratios = cols.map((c) => {
      const ours = here.find((r) => r.kernel === c.kernel && r.shardsMode === c.mode);
      return ours === undefined ? "—" : `${(ours.stepsPerSec / p.stepsPerSec).toFixed(2)}×`;
    });
    const vsProcesses = autoKernels.map((k) => {
      const ours = here.find((r) => r.kernel === k && r.shardsMode === "auto");
      return ours === undefined || p1 === undefined ? "—" : `${(ours.stepsPerSec / (r0.threads * p1.stepsPerSec)).toFixed(2)}×`;
    });
    const others = [busyCell(p.othersBusy ?? undefined, p.redone ?? 0)];
    body.push([sizeLabel(r0), String(r0.threads), formatRate(p.stepsPerSec), p.gflops.toFixed(2), eff, ...ratios, ...vsProcesses, ...others]);
  }
  return { header, body };
}

/** "3%" or "3% (2 redone)": other processes' share of the cores, and the repeats redone for it. */
function busyCell(othersBusy: number | undefined, redone: number): string {
  const share = othersBusy === undefined ? "—" : `${(othersBusy * 100).toFixed(0)}%`;
  return redone > 0 ? `${share} (${redone} redone)` : share;
}

function peerText(rows: readonly BenchRow[], peer: PeerOutput): string {
  const { header, body } = ratioTable(rows, peer);
  return `NumPy ${peer.numpy} (${peer.blas}, float32) on the same thread counts; ratio > 1: ours is faster\n` + textTable(header, body);
}

/** auto vs fixed at each multi-thread count, where the two picked different S. */
function shardsModeNotes(rows: readonly BenchRow[]): string[] {
  const notes: string[] = [];
  for (const auto of rows) {
    if (auto.shardsMode !== "auto" || auto.threads === 1) continue;
    const fixed = rows.find((r) => r.shardsMode === "fixed" && r.threads === auto.threads && r.kernel === auto.kernel && sizeLabel(r) === sizeLabel(auto));
    if (fixed === undefined) continue;
    const flops = 4 * auto.d * auto.width * auto.batch;
    const where = `${sizeLabel(auto)} (${(flops / 1e6).toFixed(1)} Mflop/step) on ${auto.threads} threads, ${auto.kernel}`;
    if (fixed.shards === auto.shards) {
      notes.push(`${where}: auto picks S=${auto.shards}, the same as fixed (one configuration, measured once).`);
      continue;
    }
    const ratio = auto.stepsPerSec / fixed.stepsPerSec;
    const overlap = auto.stepsPerSecMin <= fixed.stepsPerSecMax && fixed.stepsPerSecMin <= auto.stepsPerSecMax;
    const verdict = ratio >= 1 ? "auto is the faster choice" : "**fixed would be faster**";
    notes.push(
      `${where}: auto picks S=${auto.shards} (${formatRate(auto.stepsPerSec)} steps/s), fixed S=${fixed.shards} ` +
      `(${formatRate(fixed.stepsPerSec)} steps/s): auto/fixed = ${ratio.toFixed(2)}, ${verdict}${overlap ? " (min … max ranges overlap: within noise)" : ""}.`,
    );
  }
  return notes;
}

export function markdownReport(result: BenchResult, flags: BenchFlags, comparison?: BaselineComparison): string {
  const { machine, rows, peer } = result;
  const sorted = bySizeThenThreads(rows);
  const peerOk = peer !== undefined && !("skipped" in peer) ? peer : undefined;
  const lines: string[] = [];
  lines.push("# shortcut-bench: engine throughput", "");
  lines.push(`Generated ${new Date().toISOString()} by shortcut-bench ${VERSION}, ${result.wallSeconds.toFixed(0)} s of measuring.`, "");
  lines.push("## Machine", "");
  lines.push(`- CPU: ${machine.cpu}`);
  lines.push(`- cores available (os.availableParallelism): ${machine.cores}`);
  lines.push(`- Node ${machine.node} on ${machine.platform}/${machine.arch}`);
  lines.push(`- 1-minute load average before measuring: ${result.loadBefore.toFixed(2)}`);
  if (peerOk) lines.push(`- NumPy ${peerOk.numpy}, BLAS ${peerOk.blas}`);
  lines.push("", "## Command", "", "```sh", benchCommandLine(flags), "```", "");

  lines.push("## Throughput", "");
  const body = sorted.map((r) => {
    const det = result.details.get(rowKey(r));
    const p = peerOk ? peerOf(peerOk, r, r.threads) : undefined;
    const cells = [
      sizeLabel(r),
      String(r.threads),
      `${r.shards} (${r.shardsMode}${det?.sameAs !== undefined ? ` = ${det.sameAs}` : ""})`,
      r.kernel,
      det === undefined ? "—" : `${det.runsAtOnce} × ${det.stepsPerRun}`,
      formatRate(r.stepsPerSec),
      `${formatRate(r.stepsPerSecMin)} … ${formatRate(r.stepsPerSecMax)}`,
      r.gflops.toFixed(2),
      efficiencyCell(r, det),
      r.shards > 1 && det !== undefined ? waitCell(det) : "—",
      busyCell(det?.othersBusy, det?.redone ?? 0),
    ];
    if (peerOk) cells.push(p === undefined ? "—" : formatRate(p.stepsPerSec), p === undefined ? "—" : `${(r.stepsPerSec / p.stepsPerSec).toFixed(2)}×`);
    return cells;
  });
  const header = ["d,width,batch", "threads", "shards (mode)", "kernel", "runs × steps", "steps/s (median)", "min … max", "GFLOP/s", "efficiency (min … max)", "barrier wait", "others' CPU"];
  if (peerOk) header.push("NumPy steps/s", "ours/NumPy");
  lines.push(markdownTable(header, body), "");

  lines.push("## Against NumPy", "");
  if (peer === undefined) {
    lines.push("Not run (add `--peer`).", "");
  } else if ("skipped" in peer) {
    lines.push(`Skipped: ${peer.skipped}.`, "");
  } else {
    const { header: h, body: b } = ratioTable(rows, peer);
    lines.push(
      `NumPy ${peer.numpy} with ${peer.blas}, float32, the same online SGD step (bench/peer-numpy.py) on the same number of BLAS threads ` +
      "(OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = threads). A ratio above 1 means shortcut-bench is faster. " +
        "At T > 1 threads shortcut-bench with `--shards auto` may run T seeds at once while NumPy parallelises one run inside BLAS; " +
        "the last column(s) compare with T × NumPy's 1-thread rate instead, the most a user running one single-thread NumPy process per seed could get.",
      "",
      markdownTable(h, b),
      "",
    );
  }

  const modeNotes = shardsModeNotes(sorted);
  if (modeNotes.length > 0) {
    lines.push("## Shards: auto vs fixed", "");
    lines.push(
      "`--shards auto` (src/pool/chooseShards.ts) fills the threads with runs first and splits each run across the threads left over, " +
      `⌊threads / min(runs, threads)⌋ shards per run, for models with at least ${(SHARDED_FLOPS_PER_STEP / 1e6).toFixed(1)} Mflop per step ` +
      "(4·batch·d·width ≥ SHARDED_FLOPS_PER_STEP); smaller models always run one shard per run. The auto rows measure a study with at least " +
      "threads runs, so one single-shard run per thread; fixed uses threads shards per run, one run at a time: what auto does for a single run of a large model. Per size:",
      "",
      ...modeNotes.map((n) => `- ${n}`),
      "",
    );
  }

  if (comparison !== undefined) {
    lines.push("## Baseline", "", `\`${flags.baseline}\`, tolerance ${(flags.tolerance * 100).toFixed(0)}%:`, "", "```", ...comparison.lines, "```", "");
  }

  const noisy = sorted.filter((r) => spread(r) > NOISY_SPREAD && result.details.get(rowKey(r))?.sameAs === undefined);
  lines.push("## How it was measured", "");
  lines.push(
    "- The engine alone: each row runs `Engine.runMany` on a pool of `threads` worker threads with params " +
      "`resolveParams({ d, width, batch, lambda: 1, steps, evalEvery: steps, testPerGroup: 8, seed })` (lr 0.5, online SGD, every other key at its default), " +
      "so the test set is 32 samples evaluated at the first and last step only. Nothing is written to disk.",
    "- With S shards per run, ⌊threads/S⌋ runs (seeds 0 … k−1) go at once; throughput = Σ over those runs of steps / the run's step-loop seconds " +
      "(steps 1 … steps of its slowest shard, the last evaluation included), so like the NumPy peer it leaves out each run's setup: " +
      "shared buffers, initialisation (a normal draw per weight, about 80 ms at d = width = 1024) and the test set.",
    `- Steps per run are calibrated so that the steps of one repeat take about ${flags.seconds} s (at least 3 steps): a 3-step run to warm the workers up, then runs grown until one takes a third of the target, whose rate sets the steps; ` +
      "the warm-up repeat is redone with rescaled steps (up to 4 times) while it takes less than half or more than twice the target. " +
      `Then ${flags.repeats} repeats are timed after that discarded warm-up; the table gives their median, min and max. The column "runs × steps" gives ⌊threads/S⌋ × steps per run of one repeat.`,
    "- GFLOP/s is *effective*: 4·batch·d·width flops per step (forward X·Wᵀ and the weight gradient), times steps/s. The \`simd\` (default, WebAssembly SIMD) and \`bits\` (TypeScript) kernels do not perform these as dense multiply-adds: " +
      "they pack the ±1 inputs into bits and use signed subset-sum tables, which dense BLAS cannot exploit; \`f32\` is the plain dense reference.",
    "- Efficiency is paired: every timed repeat at T > 1 threads follows a repeat of one run of the same size and kernel on a 1-thread engine (calibrated once), " +
      "and the row gives the median, min and max over the repeats of steps/s ÷ (T × that 1-thread steps/s); 1 for a 1-thread row. " +
      "Both halves of a pair see the same machine, so drift of its speed between rows measured minutes apart does not enter the ratio. " +
      "It can exceed 1 when splitting a run's weights lets each shard's part stay in a faster cache, or by noise. The NumPy efficiency compares the medians of its rows.",
    "- \"barrier wait\" (rows with S > 1): the share of the shards' time spent waiting at the per-step barrier for the slowest shard, summed over shards and averaged over the repeats' runs. " +
      "With the work split evenly, it is what splitting a run costs on top of its work: scheduling noise and cores that change speed.",
    "- When auto and fixed pick the same S (always at 1 thread), they are the same configuration: measured once and listed under both modes (marked `auto = fixed`).",
    "- The NumPy peer samples its batch with `numpy.random.default_rng` (int8 ±1, x2 = s with P(s = y) = (1+λ)/2, λ = 1), then h = relu(X Wᵀ), f = h a, " +
      "g = −y σ(−y f)/batch, grad_a = hᵀ g, grad_W = ((g ⊗ a) ⊙ 1[h>0])ᵀ X, and updates both layers; sampling is timed in both tools. " +
      "It is calibrated, warmed up and repeated the same way (median of the repeats).",
    `- Rows whose min … max spread exceeds ${NOISY_SPREAD * 100}% of the median are flagged as noisy below.`,
    "- \"others' CPU\" is the mean share of all cores that other processes kept busy during the kept repeats of a row (from /proc/stat, minus the measuring process's own CPU time). " +
      `A repeat during which it exceeded ${MAX_OTHERS_BUSY * 100}% is thrown away and redone (at most 2 × repeats times per row, then kept anyway), in ours and in the NumPy peer alike; ` +
      "\"(k redone)\" counts them. A share well above 0% means the row competed for cores and reads low, most of all multi-shard rows, whose barrier waits for the slowest shard.",
  );
  lines.push("");
  if (noisy.length > 0) {
    lines.push("### Noisy rows", "", ...noisy.map((r) => `- ${noisyMessage(r)}`), "");
  }
  return lines.join("\n");
}
