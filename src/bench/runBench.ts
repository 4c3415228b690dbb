// `shortcut-bench bench` (SPEC §7): measure every planned row (threads × size × kernel × shards
// mode, one configuration measured once), then the peers (NumPy, PyTorch), then compare with a baseline.
import { loadavg } from "node:os";
import { InputError } from "../config/inputError.js";
import { resolveParams } from "../config/modelKeys.js";
import { Engine } from "../pool/engine.js";
import type { MachineInfo } from "./machine.js";
import { EfficiencyReferences, measureThroughput, type BenchRow, type Measurement, type ShardsMode } from "./measure.js";
import { PEER_LABEL, runPeer, type PeerLibrary, type PeerResult, type PeerRow } from "./peer.js";
import { compareWithBaseline, readBaseline, rowKey, type Baseline, type BaselineComparison } from "./baseline.js";
import { plannedKeys, sizeLabel, type BenchFlags } from "./flags.js";
import { MAX_OTHERS_BUSY, NOISY_SPREAD, noisyMessage, spread } from "./noise.js";
import { countOf, formatPercent } from "../render/format.js";

/** A peer's rows over every thread count, or why it was skipped. */
export type PeerRun = PeerResult | { library: PeerLibrary; skipped: string };

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
  /** One entry per peer asked for with --peer, in the order asked. */
  peers: PeerRun[];
  wallSeconds: number;
  /** 1-minute load average just before measuring: other processes competing for the cores. */
  loadBefore: number;
}

/** Where a bench reports as it goes: each row once measured, warnings, and a transient status line. */
export interface BenchProgress {
  row(row: BenchRow, details: RowDetails | undefined): void;
  warn(text: string): void;
  status(text: string): void;
}

/** Reads `--baseline`, failing before minutes of measuring if it is unreadable or matches no planned row. */
export function readPlannedBaseline(flags: BenchFlags): Baseline | undefined {
  if (flags.baseline === undefined) return undefined;
  const baseline = readBaseline(flags.baseline);
  const planned = new Set(plannedKeys(flags));
  if (!baseline.rows.some((r) => planned.has(rowKey(r)))) {
    throw new InputError(
      `--baseline ${flags.baseline}: none of its ${baseline.rows.length} rows matches a row to measure (same d,width,batch, threads, shards mode and kernel)`,
      { file: flags.baseline, key: "baseline" },
    );
  }
  return baseline;
}

export async function runBench(
  flags: BenchFlags,
  machine: MachineInfo,
  baseline: Baseline | undefined,
  hooks: BenchProgress,
): Promise<{ result: BenchResult; comparison?: BaselineComparison }> {
  if (flags.threads.some((t) => t > machine.cores)) {
    hooks.warn(`--threads ${flags.threads.join(",")} exceeds the ${machine.cores} available cores: those rows oversubscribe the CPU`);
  }

  const loadBefore = loadavg()[0];
  if (loadBefore >= machine.cores) {
    hooks.warn(`the 1-minute load average is ${loadBefore.toFixed(2)} on ${machine.cores} cores: other processes compete for the CPU, so throughput will read low and noisy`);
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
                hooks.status(`measuring ${size.d},${size.width},${size.batch} on ${countOf(threads, "thread")}, ${countOf(S, "shard")} (${mode}), ${kernel} …`);
                const reference = threads > 1 ? await references.run(size, kernel) : undefined;
                const m = await measureThroughput(
                  { ...size, threads, shards, kernel, repeats: flags.repeats, targetSeconds: flags.seconds, engine, maxOthersBusy: MAX_OTHERS_BUSY },
                  reference,
                );
                hooks.status("");
                measured.set(S, { m, mode });
                row = m.row;
                details.set(rowKey(row), detailsOf(m));
                if (m.othersBusy !== undefined && m.othersBusy > MAX_OTHERS_BUSY) {
                  hooks.warn(`${sizeLabel(row)} on ${countOf(threads, "thread")} (${mode}, ${kernel}): other processes kept ${formatPercent(m.othersBusy)} of the cores busy even after ${m.redone} redone repeats; this row reads low`);
                }
              }
              rows.push(row);
              hooks.row(row, details.get(rowKey(row)));
              if (again === undefined && spread(row) > NOISY_SPREAD) hooks.warn(noisyMessage(row));
            }
          }
        }
      } finally {
        hooks.status("");
        await engine.close();
      }
    }
  } finally {
    await references.close();
  }

  const peers: PeerRun[] = [];
  for (const library of flags.peers) {
    const label = PEER_LABEL[library];
    const peerRows: PeerRow[] = [];
    let info: Omit<PeerResult, "rows"> | undefined;
    let skipped: string | undefined;
    for (const threads of flags.threads) {
      hooks.status(`${label} peer on ${countOf(threads, "thread")} …`);
      const result = runPeer(library, flags.sizes, threads, flags.repeats, flags.seconds, undefined, MAX_OTHERS_BUSY);
      hooks.status("");
      if ("skipped" in result) {
        skipped = result.skipped;
        hooks.warn(`${label} peer skipped: ${result.skipped}`);
        break;
      }
      for (const p of result.rows) {
        if (typeof p.othersBusy === "number" && p.othersBusy > MAX_OTHERS_BUSY) {
          hooks.warn(`${label} peer ${sizeLabel(p)} on ${countOf(threads, "thread")}: other processes kept ${formatPercent(p.othersBusy)} of the cores busy even after ${p.redone ?? 0} redone repeats; this row reads low`);
        }
      }
      const { rows: _rows, ...rest } = result;
      info = rest;
      peerRows.push(...result.rows);
    }
    peers.push(skipped !== undefined || info === undefined ? { library, skipped: skipped ?? "no thread count to run" } : { ...info, rows: peerRows });
  }
  const wallSeconds = (performance.now() - started) / 1000;

  let comparison: BaselineComparison | undefined;
  if (baseline !== undefined) {
    comparison = compareWithBaseline(rows, baseline, flags.tolerance);
    const theirs = comparison.baselineMachine;
    if (theirs?.cpu !== undefined && theirs.cpu !== machine.cpu) {
      hooks.warn(`the baseline was measured on '${theirs.cpu}', this machine is '${machine.cpu}'`);
    }
  }

  return { result: { machine, rows, details, peers, wallSeconds, loadBefore }, comparison };
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
