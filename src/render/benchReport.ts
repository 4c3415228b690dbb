// The bench report (SPEC §7): the terminal header and rows printed while measuring, the ratio table
// against each peer (NumPy, PyTorch), the JSON object and the Markdown report.
import { SHARDED_FLOPS_PER_STEP } from "../pool/chooseShards.js";
import { DEFAULT_KERNEL, type KernelName } from "../kernel/registry.js";
import { VERSION } from "../version.js";
import type { MachineInfo } from "../bench/machine.js";
import type { BenchRow, ShardsMode } from "../bench/measure.js";
import { PEER_LABEL, type PeerResult, type PeerRow, type PeerSize } from "../bench/peer.js";
import { rowKey, type BaselineComparison } from "../bench/baseline.js";
import { benchCommandLine, sizeLabel, type BenchFlags } from "../bench/flags.js";
import { MAX_OTHERS_BUSY, NOISY_SPREAD, noisyMessage, spread } from "../bench/noise.js";
import type { BenchResult, PeerRun, RowDetails } from "../bench/runBench.js";
import { countOf, formatPercent, formatRate } from "./format.js";
import { markdownTable, textTable } from "./table.js";

/** "0.91 (0.85 … 0.96)": the median paired efficiency and its range over the repeats. */
function efficiencyCell(r: BenchRow, det?: RowDetails): string {
  if (r.efficiency === null) return "—";
  const range = det?.efficiencyRange;
  return range === undefined ? r.efficiency.toFixed(2) : `${r.efficiency.toFixed(2)} (${range[0].toFixed(2)} … ${range[1].toFixed(2)})`;
}

/** "9%": the share of the shards' time spent waiting at the barrier. */
function waitCell(det: RowDetails): string {
  return formatPercent(det.barrierWaitShare);
}

/** A row in the key order of SPEC §7, with shardsMode after shards. */
function jsonRow(r: BenchRow): BenchRow {
  return {
    d: r.d, width: r.width, batch: r.batch, threads: r.threads, shards: r.shards, shardsMode: r.shardsMode, kernel: r.kernel,
    stepsPerSec: r.stepsPerSec, stepsPerSecMin: r.stepsPerSecMin, stepsPerSecMax: r.stepsPerSecMax, gflops: r.gflops, efficiency: r.efficiency,
  };
}

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

function peerOf(peer: PeerResult, size: PeerSize, threads: number): PeerRow | undefined {
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

/** The peers that ran (not skipped). */
function peersRun(peers: readonly PeerRun[]): PeerResult[] {
  return peers.filter((p): p is PeerResult => !("skipped" in p));
}

/** "NumPy 2.4.6 (scipy-openblas 0.3.31.188.0; BLAS kernel openblas SkylakeX (…); /usr/bin/python3)". */
function peerTitle(peer: PeerResult): string {
  return `${PEER_LABEL[peer.library]} ${peer.version} (${peer.blas}; BLAS kernel ${peer.kernel}; ${peer.python})`;
}

/**
 * Per (size, threads): the peer on that many BLAS threads, ours/peer per (kernel, shards mode), and
 * ours (auto) against T × the peer's 1-thread rate, the most T separate single-thread processes
 * (one seed each) could reach.
 */
function ratioTable(rows: readonly BenchRow[], peer: PeerResult): { header: string[]; body: string[][] } {
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

/** "3%" or "3% (2 redone)": other processes' share of the cores, and the repeats redone for it. */
function busyCell(othersBusy: number | undefined, redone: number): string {
  const share = othersBusy === undefined ? "—" : formatPercent(othersBusy);
  return redone > 0 ? `${share} (${redone} redone)` : share;
}

function peerText(rows: readonly BenchRow[], peer: PeerResult): string {
  const { header, body } = ratioTable(rows, peer);
  return `${peerTitle(peer)}, float32, on the same thread counts; ratio > 1: ours is faster\n` + textTable(header, body);
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

export function benchMarkdownReport(result: BenchResult, flags: BenchFlags, comparison?: BaselineComparison): string {
  const { machine, rows, peers } = result;
  const sorted = bySizeThenThreads(rows);
  const ran = peersRun(peers);
  const lines: string[] = [];
  lines.push("# shortcut-bench: engine throughput", "");
  lines.push(`Generated ${new Date().toISOString()} by shortcut-bench ${VERSION}, ${result.wallSeconds.toFixed(0)} s of measuring.`, "");
  lines.push("## Machine", "");
  lines.push(`- CPU: ${machine.cpu}`);
  lines.push(`- cores available (os.availableParallelism): ${machine.cores}`);
  lines.push(`- Node ${machine.node} on ${machine.platform}/${machine.arch}`);
  lines.push(`- 1-minute load average before measuring: ${result.loadBefore.toFixed(2)}`);
  for (const peer of ran) lines.push(`- ${peerTitle(peer)}`);
  lines.push("", "## Command", "", "```sh", benchCommandLine(flags), "```", "");

  lines.push("## Throughput", "");
  const body = sorted.map((r) => {
    const det = result.details.get(rowKey(r));
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
    for (const peer of ran) {
      const p = peerOf(peer, r, r.threads);
      cells.push(p === undefined ? "—" : formatRate(p.stepsPerSec), p === undefined ? "—" : `${(r.stepsPerSec / p.stepsPerSec).toFixed(2)}×`);
    }
    return cells;
  });
  const header = ["d,width,batch", "threads", "shards (mode)", "kernel", "runs × steps", "steps/s (median)", "min … max", "GFLOP/s", "efficiency (min … max)", "barrier wait", "others' CPU"];
  for (const peer of ran) header.push(`${PEER_LABEL[peer.library]} steps/s`, `ours/${PEER_LABEL[peer.library]}`);
  lines.push(markdownTable(header, body), "");

  lines.push("## Against the peers", "");
  if (peers.length === 0) lines.push("Not run (add `--peer`, or `--peer numpy,torch`).", "");
  for (const peer of peers) {
    const label = PEER_LABEL[peer.library];
    if ("skipped" in peer) {
      lines.push(`### ${label}`, "", `Skipped: ${peer.skipped}.`, "");
      continue;
    }
    const { header: h, body: b } = ratioTable(rows, peer);
    lines.push(
      `### ${label}`,
      "",
      `${peerTitle(peer)}, float32, the same online SGD step (bench/peer.py --library ${peer.library}) on the same number of BLAS threads ` +
        "(OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = threads; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment so that OpenBLAS picks its own kernel). " +
        "A ratio above 1 means shortcut-bench is faster. " +
        `At T > 1 threads shortcut-bench with \`--shards auto\` may run T seeds at once while ${label} parallelises one run inside its BLAS; ` +
        `the last column(s) compare with T × ${label}'s 1-thread rate instead, the most a user running one single-thread process per seed could get.`,
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
    lines.push("## Baseline", "", `\`${flags.baseline}\`, tolerance ${formatPercent(flags.tolerance)}:`, "", "```", ...comparison.lines, "```", "");
  }

  const noisy = sorted.filter((r) => spread(r) > NOISY_SPREAD && result.details.get(rowKey(r))?.sameAs === undefined);
  lines.push("## How it was measured", "");
  lines.push(
    "- The engine alone: each row runs `Engine.runMany` on a pool of `threads` worker threads with params " +
      "`resolveParams({ d, width, batch, lambda: 1, steps, evalEvery: steps, testPerGroup: 8, seed })` (lr 0.5, online SGD, every other key at its default), " +
      "so the test set is 32 samples evaluated at the first and last step only. Nothing is written to disk.",
    "- With S shards per run, ⌊threads/S⌋ runs (seeds 0 … k−1) go at once; throughput = Σ over those runs of steps / the run's step-loop seconds " +
      "(steps 1 … steps of its slowest shard, the last evaluation included), so like the peers it leaves out each run's setup: " +
      "shared buffers, initialisation (a normal draw per weight) and the test set.",
    `- Steps per run are calibrated so that the steps of one repeat take about ${flags.seconds} s (at least 3 steps): a 3-step run to warm the workers up, then runs grown until one takes a third of the target, whose rate sets the steps; ` +
      "the warm-up repeat is redone with rescaled steps (up to 4 times) while it takes less than half or more than twice the target. " +
      `Then ${flags.repeats} repeats are timed after that discarded warm-up; the table gives their median, min and max. The column "runs × steps" gives ⌊threads/S⌋ × steps per run of one repeat.`,
    "- GFLOP/s is *effective*: 4·batch·d·width flops per step (forward X·Wᵀ and the weight gradient), times steps/s. The `simd` (default, WebAssembly SIMD) and `bits` (TypeScript) kernels do not perform these as dense multiply-adds: " +
      "they pack the ±1 inputs into bits and use signed subset-sum tables, which dense BLAS cannot exploit; `f32` is the plain dense reference.",
    "- Efficiency is paired: every timed repeat at T > 1 threads follows a repeat of one run of the same size and kernel on a 1-thread engine (calibrated once), " +
      "and the row gives the median, min and max over the repeats of steps/s ÷ (T × that 1-thread steps/s); 1 for a 1-thread row. " +
      "Both halves of a pair see the same machine, so drift of its speed between rows measured minutes apart does not enter the ratio. " +
      "It can exceed 1 when splitting a run's weights lets each shard's part stay in a faster cache, or by noise. A peer's efficiency compares the medians of its rows.",
    "- \"barrier wait\" (rows with S > 1): the share of the shards' time spent waiting at the per-step barrier for the slowest shard, summed over shards and averaged over the repeats' runs. " +
      "With the work split evenly, it is what splitting a run costs on top of its work: scheduling noise and cores that change speed.",
    "- When auto and fixed pick the same S (always at 1 thread), they are the same configuration: measured once and listed under both modes (marked `auto = fixed`).",
    "- The peers (bench/peer.py) sample their batch with the library's generator (int8 ±1, x2 = s with P(s = y) = (1+λ)/2, λ = 1), then h = relu(X Wᵀ), f = h a, " +
      "g = −y σ(−y f)/batch, grad_a = hᵀ g, grad_W = ((g ⊗ a) ⊙ 1[h>0])ᵀ X, and update both layers (PyTorch without autograd, the same matrix products); sampling is timed in every tool. " +
      "The BLAS kernel each ran is asked of threadpoolctl when installed, else of the loaded OpenBLAS (openblas_get_corename). " +
      "It is calibrated, warmed up and repeated the same way (median of the repeats).",
    `- Rows whose min … max spread exceeds ${NOISY_SPREAD * 100}% of the median are flagged as noisy below.`,
    "- \"others' CPU\" is the mean share of all cores that other processes kept busy during the kept repeats of a row (from /proc/stat, minus the measuring process's own CPU time). " +
      `A repeat during which it exceeded ${MAX_OTHERS_BUSY * 100}% is thrown away and redone (at most 2 × repeats times per row, then kept anyway), in ours and in the peers alike; ` +
      "\"(k redone)\" counts them. A share well above 0% means the row competed for cores and reads low, most of all multi-shard rows, whose barrier waits for the slowest shard.",
  );
  lines.push("");
  if (noisy.length > 0) {
    lines.push("### Noisy rows", "", ...noisy.map((r) => `- ${noisyMessage(r)}`), "");
  }
  return lines.join("\n");
}

/** The `--json` object { machine, rows, peers?, baseline? } of SPEC §7. */
export function benchJson(result: BenchResult, flags: BenchFlags, comparison?: BaselineComparison): Record<string, unknown> {
  const json: Record<string, unknown> = { machine: result.machine, rows: result.rows.map(jsonRow) };
  if (result.peers.length > 0) json.peers = result.peers;
  if (comparison !== undefined) {
    json.baseline = { file: flags.baseline, tolerance: flags.tolerance, passed: comparison.passed, failed: comparison.failed, unmatched: comparison.unmatched, lines: comparison.lines };
  }
  return json;
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
