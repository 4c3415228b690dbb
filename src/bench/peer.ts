// The NumPy peer (bench/peer-numpy.py): the same SGD step in float32 on the BLAS NumPy ships with,
// run on the same number of threads. Optional: without python3 or NumPy it is skipped, not failed.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface PeerSize {
  d: number;
  width: number;
  batch: number;
}

export interface PeerRow {
  d: number;
  width: number;
  batch: number;
  threads: number;
  stepsPerSec: number;
  stepsPerSecMin: number;
  stepsPerSecMax: number;
  gflops: number;
  /** Mean share of all cores other processes kept busy during the kept repeats (null off Linux). */
  othersBusy?: number | null;
  /** Repeats redone because other processes were busy (with `maxOthersBusy`). */
  redone?: number;
}

export interface PeerResult {
  /** NumPy version, e.g. "2.4.6". */
  numpy: string;
  /** BLAS NumPy was built with, as NumPy reports it ("unknown" on old NumPy). */
  blas: string;
  rows: PeerRow[];
}

/** The script's path: bench/ at the package root, the same from src/bench/ (vitest) and dist/bench/. */
const PEER_SCRIPT = fileURLToPath(new URL("../../bench/peer-numpy.py", import.meta.url));

/** Exit status of the script when NumPy cannot be imported. */
const EXIT_NO_NUMPY = 3;

/** Environment variables every common BLAS reads its thread count from. */
function threadEnv(threads: number): Record<string, string> {
  const t = String(threads);
  return { OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t };
}

/**
 * Runs the NumPy peer for every size on `threads` BLAS threads: the rows with the NumPy version and
 * BLAS name, or `{ skipped: why }` when python3 or NumPy is missing or the script fails.
 */
export function runNumpyPeer(
  sizes: readonly PeerSize[],
  threads: number,
  repeats: number,
  seconds = 0.5,
  python = "python3",
  maxOthersBusy?: number,
): PeerResult | { skipped: string } {
  const args = [
    PEER_SCRIPT,
    "--sizes", sizes.map((s) => `${s.d},${s.width},${s.batch}`).join(";"),
    "--threads", String(threads),
    "--repeats", String(repeats),
    "--seconds", String(seconds),
    ...(maxOthersBusy === undefined ? [] : ["--max-others-busy", String(maxOthersBusy)]),
  ];
  // Generous: calibration plus warm-up plus repeats, each about `seconds` (large sizes can overshoot).
  // (up to 2 × repeats redone repeats when maxOthersBusy is set)
  const timeoutMs = Math.max(60_000, sizes.length * (3 * repeats + 4) * seconds * 1000 * 4);
  const r = spawnSync(python, args, {
    encoding: "utf8",
    env: { ...process.env, ...threadEnv(threads) },
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { skipped: `${python} not found on PATH` };
    if (code === "ETIMEDOUT") return { skipped: `NumPy peer timed out after ${Math.round(timeoutMs / 1000)} s` };
    return { skipped: `could not run ${python}: ${r.error.message}` };
  }
  const stderr = r.stderr.trim();
  if (r.status === EXIT_NO_NUMPY) return { skipped: stderr.replace(/^peer-numpy: /, "") || "NumPy is not installed" };
  if (r.status !== 0) return { skipped: `NumPy peer exited ${r.status ?? r.signal}: ${lastLine(stderr)}` };
  try {
    const parsed = JSON.parse(r.stdout) as PeerResult;
    if (!Array.isArray(parsed.rows) || parsed.rows.length !== sizes.length) throw new Error("rows missing");
    return { numpy: String(parsed.numpy), blas: String(parsed.blas ?? "unknown"), rows: parsed.rows };
  } catch (err) {
    return { skipped: `NumPy peer printed no valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

function lastLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines.at(-1) ?? "(no output)";
}
