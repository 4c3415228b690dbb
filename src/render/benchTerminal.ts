// What `bench` prints on the terminal: the header, a line per row as it is measured, then the ratio
// tables against the peers, the row count and the baseline verdicts.
import { DEFAULT_KERNEL } from "../kernel/registry.js";
import { VERSION } from "../version.js";
import type { MachineInfo } from "../bench/machine.js";
import type { BenchRow } from "../bench/measure.js";
import type { PeerResult } from "../bench/peer.js";
import type { BaselineComparison } from "../bench/baseline.js";
import { sizeLabel, type BenchFlags } from "../bench/flags.js";
import type { BenchResult, RowDetails } from "../bench/runBench.js";
import { countOf, formatPercent, formatRate } from "./format.js";
import { textTable } from "./table.js";
import { efficiencyCell, peersRun, peerTitle, waitCell } from "./benchCells.js";
import { ratioTable } from "./benchPeerTable.js";

export function benchTextHeader(m: MachineInfo, flags: BenchFlags): string {
  return [
    `shortcut-bench ${VERSION} bench: SGD steps/s of the engine alone`,
    `CPU: ${m.cpu}, ${m.cores} cores available; Node ${m.node} (${m.platform}/${m.arch})`,
    `each row: median (min … max) of ${flags.repeats} repeats of ≈${flags.seconds} s of steps (setup excluded, as in the peers) after a discarded warm-up; GFLOP/s = 4·batch·d·width·steps/s`,
    "eff: steps/s ÷ (threads × 1-thread steps/s), each repeat paired with a 1-thread repeat timed just before it; median (min … max) over the pairs",
    "",
  ].join("\n");
}

export function benchTextRow(r: BenchRow, det?: RowDetails): string {
  const threads = `${countOf(r.threads, "thread")}`;
  const shards = `${countOf(r.shards, "shard")}(${r.shardsMode})`;
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

function peerText(rows: readonly BenchRow[], peer: PeerResult): string {
  const { header, body } = ratioTable(rows, peer);
  return `${peerTitle(peer)}, float32, on the same thread counts; ratio > 1: ours is faster\n` + textTable(header, body);
}

/** What the terminal shows after the rows: the ratios to each peer, the row count and wall time, the baseline verdicts. */
export function benchTextSummary(result: BenchResult, flags: BenchFlags, comparison?: BaselineComparison): string[] {
  const { rows, peers } = result;
  const out: string[] = [];
  for (const peer of peersRun(peers)) out.push("\n" + peerText(rows, peer));
  out.push(`\n${rows.length} rows in ${result.wallSeconds.toFixed(1)} s`);
  if (comparison !== undefined) {
    out.push(`\nbaseline ${flags.baseline} (tolerance ${formatPercent(flags.tolerance)}):`);
    out.push(...comparison.lines);
  }
  return out;
}
