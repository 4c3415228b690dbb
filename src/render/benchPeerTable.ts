// The ratio table of the bench against one peer (NumPy, PyTorch): per size and thread count, ours/peer
// per kernel and shards mode, and ours against T single-thread peer processes.
import type { KernelName } from "../kernel/registry.js";
import type { BenchRow, ShardsMode } from "../bench/measure.js";
import { PEER_LABEL, type PeerResult } from "../bench/peer.js";
import { sizeLabel } from "../bench/flags.js";
import { formatRate } from "./format.js";
import { busyCell, bySizeThenThreads, peerOf } from "./benchCells.js";

/** Columns of the ratio table: one per measured (kernel, shards mode). */
function ratioColumns(rows: readonly BenchRow[]): Array<{ kernel: KernelName; mode: ShardsMode }> {
  const cols: Array<{ kernel: KernelName; mode: ShardsMode }> = [];
  for (const r of rows) if (!cols.some((c) => c.kernel === r.kernel && c.mode === r.shardsMode)) cols.push({ kernel: r.kernel, mode: r.shardsMode });
  return cols;
}

/**
 * Per (size, threads): the peer on that many BLAS threads, ours/peer per (kernel, shards mode), and
 * ours (auto) against T × the peer's 1-thread rate, the most T separate single-thread processes
 * (one seed each) could reach.
 */
export function ratioTable(rows: readonly BenchRow[], peer: PeerResult): { header: string[]; body: string[][] } {
  const cols = ratioColumns(rows);
  const autoKernels = [...new Set(rows.filter((r) => r.shardsMode === "auto").map((r) => r.kernel))];
  const label = PEER_LABEL[peer.library];
  const header = [
    "size", "threads", `${label} steps/s`, `${label} GFLOP/s`, `${label} eff`,
    ...cols.map((c) => `ours/${label} (${c.kernel}, ${c.mode})`),
    ...autoKernels.map((k) => `ours/(T × ${label} 1-thread) (${k}, auto)`),
    `others' CPU (${label})`,
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

