// The peers (bench/peer.py): the same SGD step in float32 in NumPy or in PyTorch on the CPU, on the
// same number of BLAS threads. Optional: without python3 or the library it is skipped, not failed.
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

export const PEER_LIBRARIES = ["numpy", "torch"] as const;
export type PeerLibrary = (typeof PEER_LIBRARIES)[number];

/** How the report names a peer. */
export const PEER_LABEL: Record<PeerLibrary, string> = { numpy: "NumPy", torch: "PyTorch" };

export interface PeerResult {
  library: PeerLibrary;
  /** The library's version, e.g. "2.4.6". */
  version: string;
  /** The interpreter that ran it. */
  python: string;
  /** The BLAS the library was built with (NumPy) or built with and loaded (PyTorch). */
  blas: string;
  /** The BLAS kernel it ran, e.g. "openblas SkylakeX (threadpoolctl)". */
  kernel: string;
  rows: PeerRow[];
}

/** The script's path: bench/ at the package root, the same from src/bench/ (vitest) and dist/bench/. */
const PEER_SCRIPT = fileURLToPath(new URL("../../bench/peer.py", import.meta.url));

/** Exit status of the script when the library cannot be imported. */
const EXIT_NO_LIBRARY = 3;

/**
 * Interpreters tried in turn for a library: PATH's python3 first; Debian's PyTorch (python3-torch)
 * lives only in the system interpreter, which a pyenv or venv python3 on PATH hides.
 */
const PYTHONS: Record<PeerLibrary, readonly string[]> = { numpy: ["python3"], torch: ["python3", "/usr/bin/python3"] };

/**
 * The peer's environment: ours with the thread count set for every common BLAS, and without the
 * OpenBLAS core overrides (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) that some machines set for old
 * builds: they make a current OpenBLAS run a slower kernel than it would pick, 15–40% slower in
 * `issues show 21`. Only the peer's process loses them.
 */
export function peerEnv(threads: number, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...rest } = env;
  const t = String(threads);
  return { ...rest, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t };
}

/**
 * Runs a peer for every size on `threads` BLAS threads: its rows with the library version, BLAS and
 * kernel, or `{ skipped: why }` when no interpreter has the library or the script fails.
 */
export function runPeer(
  library: PeerLibrary,
  sizes: readonly PeerSize[],
  threads: number,
  repeats: number,
  seconds = 0.5,
  pythons: readonly string[] = PYTHONS[library],
  maxOthersBusy?: number,
): PeerResult | { skipped: string } {
  let why = "";
  for (const python of pythons) {
    const r = runWith(python, library, sizes, threads, repeats, seconds, maxOthersBusy);
    if (!("skipped" in r)) return r;
    why = why === "" ? r.skipped : `${why}; ${r.skipped}`;
    if (!r.missing) break; // the script failed: another interpreter would not say more
  }
  return { skipped: why };
}

function runWith(
  python: string,
  library: PeerLibrary,
  sizes: readonly PeerSize[],
  threads: number,
  repeats: number,
  seconds: number,
  maxOthersBusy: number | undefined,
): PeerResult | { skipped: string; missing: boolean } {
  const args = [
    PEER_SCRIPT,
    "--library", library,
    "--sizes", sizes.map((s) => `${s.d},${s.width},${s.batch}`).join(";"),
    "--threads", String(threads),
    "--repeats", String(repeats),
    "--seconds", String(seconds),
    ...(maxOthersBusy === undefined ? [] : ["--max-others-busy", String(maxOthersBusy)]),
  ];
  // Generous: calibration plus warm-up plus repeats, each about `seconds` (large sizes can overshoot).
  // (up to 2 × repeats redone repeats when maxOthersBusy is set)
  const timeoutMs = Math.max(60_000, sizes.length * (3 * repeats + 4) * seconds * 1000 * 4);
  const r = spawnSync(python, args, { encoding: "utf8", env: peerEnv(threads), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  const label = PEER_LABEL[library];
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { skipped: `${python} not found`, missing: true };
    if (code === "ETIMEDOUT") return { skipped: `${label} peer timed out after ${Math.round(timeoutMs / 1000)} s`, missing: false };
    return { skipped: `could not run ${python}: ${r.error.message}`, missing: false };
  }
  const stderr = r.stderr.trim();
  if (r.status === EXIT_NO_LIBRARY) return { skipped: stderr.replace(/^peer: /, "") || `${label} is not installed`, missing: true };
  if (r.status !== 0) return { skipped: `${label} peer exited ${r.status ?? r.signal}: ${lastLine(stderr)}`, missing: false };
  try {
    const parsed = JSON.parse(r.stdout) as PeerResult;
    if (!Array.isArray(parsed.rows) || parsed.rows.length !== sizes.length) throw new Error("rows missing");
    return {
      library,
      version: String(parsed.version),
      python: String(parsed.python ?? python),
      blas: String(parsed.blas ?? "unknown"),
      kernel: String(parsed.kernel ?? "unknown"),
      rows: parsed.rows,
    };
  } catch (err) {
    return { skipped: `${label} peer printed no valid JSON (${err instanceof Error ? err.message : String(err)})`, missing: false };
  }
}

function lastLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return lines.at(-1) ?? "(no output)";
}
