// The bench report (SPEC §7): the Markdown report (machine, command, throughput table, peer ratios,
// shards modes, baseline, method) and the JSON object of `--json`. The terminal lines are in benchTerminal.ts.
import { SHARDED_FLOPS_PER_STEP } from "../pool/chooseShards.js";
import { VERSION } from "../version.js";
import type { BenchRow } from "../bench/measure.js";
import { PEER_LABEL } from "../bench/peer.js";
import { rowKey, type BaselineComparison } from "../bench/baseline.js";
import { benchCommandLine, sizeLabel, type BenchFlags } from "../bench/flags.js";
import { MAX_OTHERS_BUSY, NOISY_SPREAD, noisyMessage, spread } from "../bench/noise.js";
import type { BenchResult } from "../bench/runBench.js";
import { formatPercent, formatRate } from "./format.js";
import { markdownTable } from "./table.js";
import { busyCell, bySizeThenThreads, efficiencyCell, peerOf, peersRun, peerTitle, waitCell } from "./benchCells.js";
import { ratioTable } from "./benchPeerTable.js";

/** A row in the key order of SPEC §7, with shardsMode after shards. */
function jsonRow(r: BenchRow): BenchRow {
  return {
    d: r.d, width: r.width, batch: r.batch, threads: r.threads, shards: r.shards, shardsMode: r.shardsMode, kernel: r.kernel,
    stepsPerSec: r.stepsPerSec, stepsPerSecMin: r.stepsPerSecMin, stepsPerSecMax: r.stepsPerSecMax, gflops: r.gflops, efficiency: r.efficiency,
  };
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
