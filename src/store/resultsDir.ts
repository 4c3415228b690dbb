// The results directory (SPEC §4): config.resolved.json says which study made the runs, runs.jsonl
// (or one runs.shard-i-of-n.jsonl per shard) holds them, summary.json and report.md are derived.
// The tool owns the files it names here, and only those: `--fresh` deletes them by these exact
// names, and a directory holding anything else is not written into (see study/resultsDir.ts).
// `export` writes its tables here too (<table>.csv, <table>.parquet), so they are the tool's as well.
import { closeSync, constants, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../config/inputError.js";
import { EVENT_STEPS_FILE } from "../analysis/eventSteps.js";
import { LOCK_FILE } from "./lock.js";
import { fileError, openNoFollow } from "./ownFiles.js";
import { shardFileName } from "./shardSpec.js";

export const RESOLVED_CONFIG_FILE = "config.resolved.json";
export const DEFAULT_RUNS_FILE = "runs.jsonl";
export const SUMMARY_FILE = "summary.json";
export const REPORT_FILE = "report.md";
/** The per-condition detail beside report.md. */
export const DETAILS_FILE = "details.md";
/** report.md and details.md as one self-contained page with interactive figures. */
export const REPORT_HTML_FILE = "report.html";

/** The tables `export` writes, by default into the results directory as <table>.<format>. */
export const EXPORT_TABLES = ["runs", "events", "trajectories", "pivot", "effects"] as const;
export const EXPORT_FORMATS = ["csv", "parquet"] as const;

/**
 * The files of a results directory other than shard files, by exact name. Exports count: --fresh
 * must not leave a runs.csv of the study it discarded beside the new one.
 */
const FIXED_FILES: readonly string[] = [
  RESOLVED_CONFIG_FILE,
  DEFAULT_RUNS_FILE,
  SUMMARY_FILE,
  EVENT_STEPS_FILE,
  REPORT_FILE,
  DETAILS_FILE,
  REPORT_HTML_FILE,
  ...EXPORT_TABLES.flatMap((table) => EXPORT_FORMATS.map((format) => `${table}.${format}`)),
];

/** `runs.shard-i-of-n.jsonl` exactly as shardFileName writes it (1 ≤ i ≤ n, no leading zeros). */
export function isShardFileName(name: string): boolean {
  const m = /^runs\.shard-(\d+)-of-(\d+)\.jsonl$/.exec(name);
  if (m === null) return false;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && index <= count && shardFileName(index, count) === name;
}

/** The runs files among `names`: runs.jsonl first, then the shard files by name. */
export function runsFileNames(names: readonly string[]): string[] {
  return [...names.filter((n) => n === DEFAULT_RUNS_FILE), ...names.filter(isShardFileName).sort()];
}

/** A table `export` writes (runs.csv, events.parquet, …). */
export function isExportFileName(name: string): boolean {
  return EXPORT_TABLES.some((table) => EXPORT_FORMATS.some((format) => name === `${table}.${format}`));
}

/** Is `name` one of the files this tool writes into a results directory (the lock aside)? */
function isOwnedFileName(name: string): boolean {
  return FIXED_FILES.includes(name) || isShardFileName(name);
}

/** A temporary file of writeFileAtomic, or the lock (or one set aside while taken over): never a user's file, never results. */
function isInternalFileName(name: string): boolean {
  return name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.`) || /^\..+\.\d+\.tmp$/.test(name);
}

/** NAME_MAX of common file systems (ext4, XFS, APFS, NTFS in UTF-16 units): bytes in one name. */
const MAX_NAME_BYTES = 255;

export interface DirectoryContents {
  exists: boolean;
  /** Names of the entries, the lock and temporary files aside. */
  names: string[];
  /** The entries that are not this tool's files. */
  foreign: string[];
}

/**
 * What `dir` holds. An InputError when it is not a directory (a file, a broken link), naming the
 * flag the path came from.
 */
export function inspectResultsDir(dir: string, flag: string): DirectoryContents {
  // Refused before anything is made: mkdir -p would create the parents and then fail on this one.
  const long = dir.split(/[\\/]/).find((part) => Buffer.byteLength(part) > MAX_NAME_BYTES);
  if (long !== undefined) {
    throw new InputError(`${flag} ${dir}: the name '${long.slice(0, 40)}…' is ${Buffer.byteLength(long)} bytes, more than the ${MAX_NAME_BYTES} a file system holds in one name`, { file: dir, key: flag });
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { exists: false, names: [], foreign: [] };
    if (code === "ENOTDIR") throw new InputError(`${flag} ${dir}: a path through a file, not a directory`, { file: dir, key: flag });
    throw fileError(dir, "could not read", err);
  }
  if (!isDirectory) throw new InputError(`${flag} ${dir}: exists and is not a directory`, { file: dir, key: flag });
  const names = readdirSync(dir).filter((n) => !isInternalFileName(n)).sort();
  return { exists: true, names, foreign: names.filter((n) => !isOwnedFileName(n)) };
}

/** Deletes this tool's files in `dir` by their exact names (never a pattern); returns their names. */
export function removeOwnedFiles(dir: string): string[] {
  const removed = readdirSync(dir).filter(isOwnedFileName).sort();
  for (const name of removed) unlinkSync(join(dir, name));
  return removed;
}

/** The first characters of a hash, enough to tell two apart in a message. */
export function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

/**
 * Replaces `file` with `text` so that readers (and a crash) see either the old file or the whole new
 * one: write a temporary file beside it, fsync it, rename it over the target, fsync the directory.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array | readonly string[]): void {
  // Hidden and ending in .tmp, so a leftover one is never taken for a runs file.
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    // A leftover of this PID's earlier life (a reused PID) goes first; O_EXCL then never follows a
    // link someone put under the temporary name.
    unlinkIfThere(tmp);
    fd = openNoFollow(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    // Pieces (e.g. one line per run) are written one by one: a whole merged runs file may be longer
    // than the longest string a JavaScript engine can hold.
    for (const piece of typeof text === "string" || text instanceof Uint8Array ? [text] : text) {
      const bytes = typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or never created: nothing to clean up.
    }
    if (err instanceof InputError) throw err;
    throw fileError(file, "could not write", err);
  }
  fsyncDirectory(dirname(file));
}

function unlinkIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/** Makes a rename durable. Best effort: some platforms (Windows) cannot open a directory to fsync it. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // The rename is still atomic; only its durability across a power cut is less certain.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Deletes temporary files writeFileAtomic left beside this tool's files (`.summary.json.<pid>.tmp`:
 * a process killed with SIGKILL mid-write). Called under the directory's lock, when no other
 * process of this tool can be writing one.
 */
export function removeLeftoverTempFiles(dir: string): string[] {
  const removed = readdirSync(dir).filter((name) => {
    const m = /^\.(.+)\.\d+\.tmp$/.exec(name);
    return m !== null && isOwnedFileName(m[1]);
  });
  for (const name of removed) unlinkSync(join(dir, name));
  return removed;
}
