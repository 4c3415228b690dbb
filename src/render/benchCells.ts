// Cells and orderings the bench's terminal lines and Markdown report share: efficiency, barrier
// wait and other processes' load of a row; the rows in size order; the peers that ran.
import type { BenchRow } from "../bench/measure.js";
import { PEER_LABEL, type PeerResult, type PeerRow, type PeerSize } from "../bench/peer.js";
import type { PeerRun, RowDetails } from "../bench/runBench.js";
import { formatPercent } from "./format.js";

/** "0.91 (0.85 … 0.96)": the median paired efficiency and its range over the repeats. */
export function efficiencyCell(r: BenchRow, det?: RowDetails): string {
  if (r.efficiency === null) return "—";
  const range = det?.efficiencyRange;
  return range === undefined ? r.efficiency.toFixed(2) : `${r.efficiency.toFixed(2)} (${range[0].toFixed(2)} … ${range[1].toFixed(2)})`;
}

/** "9%": the share of the shards' time spent waiting at the barrier. */
export function waitCell(det: RowDetails): string {
  return formatPercent(det.barrierWaitShare);
}

export function peerOf(peer: PeerResult, size: PeerSize, threads: number): PeerRow | undefined {
  return peer.rows.find((p) => p.d === size.d && p.width === size.width && p.batch === size.batch && p.threads === threads);
}

/** Rows ordered by model size (flops per step), then threads, kernel and shards mode. */
export function bySizeThenThreads(rows: readonly BenchRow[]): BenchRow[] {
  return [...rows].sort((a, b) =>
    a.d * a.width * a.batch - b.d * b.width * b.batch || a.d - b.d || a.width - b.width || a.threads - b.threads ||
    a.kernel.localeCompare(b.kernel) || a.shardsMode.localeCompare(b.shardsMode));
}

/** The peers that ran (not skipped). */
export function peersRun(peers: readonly PeerRun[]): PeerResult[] {
  return peers.filter((p): p is PeerResult => !("skipped" in p));
}

/** "NumPy 2.4.6 (scipy-openblas 0.3.31.188.0; BLAS kernel openblas SkylakeX (…); /usr/bin/python3)". */
export function peerTitle(peer: PeerResult): string {
  return `${PEER_LABEL[peer.library]} ${peer.version} (${peer.blas}; BLAS kernel ${peer.kernel}; ${peer.python})`;
}

/** "3%" or "3% (2 redone)": other processes' share of the cores, and the repeats redone for it. */
export function busyCell(othersBusy: number | undefined, redone: number): string {
  const share = othersBusy === undefined ? "—" : formatPercent(othersBusy);
  return redone > 0 ? `${share} (${redone} redone)` : share;
}
