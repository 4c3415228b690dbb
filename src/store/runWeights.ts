// `--save-weights`: each run's final weights under <out>/weights/<condition>-seed<seed>/ as W.npy
// (width × d), a.npy and b.npy (width), float32 little-endian C order, so `numpy.load` reads them
// and `torch.from_numpy` takes them without another package; the weights at checkpoint steps
// (`--save-weights-at`) the same way in its subfolders step<s>/. One .npy per array rather than one
// .safetensors per run: NumPy reads .npy with nothing else installed, the format is a 64-byte
// header plus raw floats, and PyTorch reads it through NumPy; safetensors needs its own package.
// Each file is written atomically (temporary file, fsync, rename, fsync of the directory) before the
// run's line is appended, so a listed weights directory is always complete; a crash in between
// leaves weights without a line, and the re-run overwrites them.
import { createHash } from "node:crypto";
import { constants as bufferConstants } from "node:buffer";
import { existsSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "./configHash.js";
import { decodeNpyFloat32, encodeNpyFloat32 } from "./npy.js";
import { ensureOwnFolder, readOwnFile } from "./ownFiles.js";
import { InputError } from "../config/inputError.js";
import { writeFileAtomic } from "./resultsDir.js";
import type { RunWeights } from "./runRecord.js";

const WEIGHTS_DIR = "weights";

/** Characters of the readable part of a weights folder's name (a file system holds 255 bytes). */
const MAX_SLUG = 100;

/**
 * The folder name of a run's weights, unique per (condition, seed) whatever the grid: the grid
 * values `key=value` joined by commas ("base" without; a variant by its JSON), cut to MAX_SLUG
 * characters, then 64 bits of the SHA-256 of the condition, then -seed<seed>. The readable part
 * alone is not unique — two variants, or values that differ only in characters a file name cannot
 * hold, would share one folder and overwrite each other's weights.
 */
export function runWeightsName(condition: Record<string, unknown>, seed: number): string {
  const values = Object.entries(condition).map(([key, value]) => `${key}=${typeof value === "object" ? canonicalJson(value) : String(value)}`);
  const slug = (values.length === 0 ? "base" : values.join(",").replace(/[^A-Za-z0-9._=,+-]/g, "_")).slice(0, MAX_SLUG);
  const id = createHash("sha256").update(canonicalJson(condition)).digest("hex").slice(0, 16);
  return `${slug}-${id}-seed${seed}`;
}

/** The name earlier versions gave (not unique for variants): still recognised in their records. */
function legacyRunWeightsName(condition: Record<string, unknown>, seed: number): string {
  const values = Object.entries(condition).map(([key, value]) => `${key}=${String(value)}`);
  const slug = values.length === 0 ? "base" : values.join(",").replace(/[^A-Za-z0-9._=,+-]/g, "_");
  return `${slug}-seed${seed}`;
}

/** The subfolder of a run's weights folder holding the weights at `step`. */
function checkpointFolder(step: number): string {
  return `step${step}`;
}

/**
 * Writes the run's final weights under `out`, and those of its checkpoints in step<s>/ below them;
 * returns their folder relative to `out` (POSIX separators).
 */
export function writeRunWeights(
  out: string,
  condition: Record<string, unknown>,
  seed: number,
  weights: RunWeights,
  checkpoints: ReadonlyArray<{ step: number; weights: RunWeights }> = [],
): string {
  const relative = `${WEIGHTS_DIR}/${runWeightsName(condition, seed)}`;
  for (const c of checkpoints) writeWeightsFolder(out, `${relative}/${checkpointFolder(c.step)}`, c.weights);
  writeWeightsFolder(out, relative, weights);
  return relative;
}

/** Writes the three arrays into folder `relative` of `out`, made without following a link (ownFiles.ts). */
function writeWeightsFolder(out: string, relative: string, weights: RunWeights): void {
  const dir = ensureOwnFolder(out, relative);
  writeFileAtomic(join(dir, "W.npy"), encodeNpyFloat32(weights.W, [weights.width, weights.d]));
  writeFileAtomic(join(dir, "a.npy"), encodeNpyFloat32(weights.A, [weights.width]));
  writeFileAtomic(join(dir, "b.npy"), encodeNpyFloat32(weights.B, [weights.width]));
}

/**
 * Reads back the weights a record lists (`record.weights`, relative to the results directory `out`):
 * the final ones, or those at checkpoint `step`.
 */
export function readRunWeights(out: string, relative: string, step?: number): RunWeights {
  const folder = step === undefined ? relative : `${relative}/${checkpointFolder(step)}`;
  const read = (name: string) => {
    const file = join(out, folder, name);
    return decodeNpyFloat32(readWeightsFile(file), file);
  };
  const W = read("W.npy");
  const A = read("a.npy");
  const B = read("b.npy");
  const [width, d] = W.shape;
  return { d, width, W: W.values, A: A.values, B: B.values };
}

type ListedWeights = { condition: Record<string, unknown>; seed: number; weights?: unknown; weightsSteps?: unknown };

/**
 * The folders of the weights `record` lists, relative to its results directory: the step<s>/ ones
 * first, then the final one; null unless it lists them where writeRunWeights puts them.
 */
function listedWeightsFolders(record: ListedWeights): string[] | null {
  const relative = [runWeightsName, legacyRunWeightsName].map((name) => `${WEIGHTS_DIR}/${name(record.condition, record.seed)}`).find((r) => r === record.weights);
  if (relative === undefined) return null;
  const steps = Array.isArray(record.weightsSteps) ? record.weightsSteps.filter((s): s is number => Number.isSafeInteger(s)) : [];
  return [...steps.map((s) => `${relative}/${checkpointFolder(s)}`), relative];
}

const WEIGHTS_FILES = ["W.npy", "a.npy", "b.npy"] as const;

/** A .npy file of a weights folder, read without following a link; a missing one is an error naming it. */
function readWeightsFile(file: string): Buffer {
  const bytes = readOwnFile(file, bufferConstants.MAX_LENGTH, "weights file");
  if (bytes === null) throw new InputError(`${file}: no such file (the weights a run lists)`, { file });
  return bytes;
}

/** Whether results directory `dir` holds every file of the weights `record` lists. */
export function hasRunWeights(dir: string, record: ListedWeights): boolean {
  const folders = listedWeightsFolders(record);
  return folders !== null && folders.every((folder) => WEIGHTS_FILES.every((name) => existsSync(join(dir, folder, name))));
}

/**
 * Copies the weights `record` lists from results directory `from` into `to` (merge), file by file
 * under their exact names, each atomically, the final folder last (as writeRunWeights writes them).
 */
export function copyRunWeights(from: string, to: string, record: ListedWeights): void {
  for (const folder of listedWeightsFolders(record) ?? []) {
    ensureOwnFolder(to, folder);
    for (const name of WEIGHTS_FILES) writeFileAtomic(join(to, folder, name), readWeightsFile(join(from, folder, name)));
  }
}

/**
 * Deletes the weights `record` lists (for `--fresh`): W.npy, a.npy and b.npy of its folder and of
 * each step<s>/ below it, by those exact names, then the folders if that left them empty. Only a
 * folder named as writeRunWeights names it for the record's own condition and seed is touched, so
 * a hand-edited path can never point the deletion elsewhere.
 */
export function removeRunWeights(out: string, record: ListedWeights): void {
  const folders = (listedWeightsFolders(record) ?? []).map((folder) => join(out, folder));
  for (const folder of folders) {
    for (const name of WEIGHTS_FILES) rmSync(join(folder, name), { force: true });
    try {
      rmdirSync(folder);
    } catch {
      // not empty (someone else's files) or already gone: leave it
    }
  }
  try {
    rmdirSync(join(out, WEIGHTS_DIR));
  } catch {
    // other runs' weights remain, or none was there
  }
}
