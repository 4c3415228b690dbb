// The results directory (SPEC §4): config.resolved.json says which config made the runs, runs.jsonl
// (or one runs.shard-i-of-n.jsonl per shard) holds them, summary.json and report.md are derived.
// A re-run on the same directory resumes; a different config is refused unless --fresh.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../config/inputError.js";
import { configHash } from "./configHash.js";
import type { RunRecord } from "./runRecord.js";
import { fileError, readRunsFile, runKey, RunsAppender, truncateTornTail } from "./runsFile.js";

export const RESOLVED_CONFIG_FILE = "config.resolved.json";
export const DEFAULT_RUNS_FILE = "runs.jsonl";

/** runs.jsonl and the shard files runs.shard-i-of-n.jsonl: what `--fresh` removes and `merge` reads. */
export function isRunsFileName(name: string): boolean {
  return /^runs.*\.jsonl$/.test(name);
}

/** The first characters of a hash, enough to tell two apart in a message. */
export function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

/**
 * Replaces `file` with `text` so that readers (and a crash) see either the old file or the whole new
 * one: write a temporary file beside it, fsync it, rename it over the target, fsync the directory.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  // Hidden and ending in .tmp, so a leftover one is never taken for a runs file.
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "w");
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
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
    throw fileError(file, "could not write", err);
  }
  fsyncDirectory(dirname(file));
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

/** The contents of `<dir>/config.resolved.json`, or null when there is none. */
export function readResolvedConfigFile(dir: string): { hash: string; config: unknown } | null {
  const file = join(dir, RESOLVED_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw fileError(file, "could not read", err);
  }
  let parsed: { hash?: unknown; config?: unknown };
  try {
    parsed = JSON.parse(text) as { hash?: unknown; config?: unknown };
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message})`, { file });
  }
  if (typeof parsed !== "object" || parsed === null || typeof parsed.hash !== "string" || !("config" in parsed)) {
    throw new InputError(`${file}: not a config.resolved.json written by shortcut-bench (needs 'hash' and 'config')`, { file });
  }
  return { hash: parsed.hash, config: parsed.config };
}

/** Writes `<dir>/config.resolved.json` as `{ hash, config }`, atomically. */
export function writeResolvedConfig(dir: string, hash: string, config: unknown): void {
  writeFileAtomic(join(dir, RESOLVED_CONFIG_FILE), JSON.stringify({ hash, config }, null, 2) + "\n");
}

export interface PreparedResultsDir {
  /** runKey of every run already in the runs file: the pairs to skip. */
  done: Set<string>;
  /** The runs already in the runs file (one per key), in file order. */
  records: RunRecord[];
  /** A torn last line that was dropped, duplicate runs: things to tell the user. */
  warnings: string[];
  /** Open on the runs file; the caller appends each finished run and closes it. */
  appender: RunsAppender;
}

/**
 * Gets a results directory ready for a study of `resolvedConfig` and says which runs are done.
 *
 * - Refuses (InputError, nothing written) when the directory holds results of a different config,
 *   or runs with no config.resolved.json to tell which config made them — unless `fresh`.
 * - With `fresh`, first deletes runs*.jsonl (all shards), summary.json, event-steps.json and report.md.
 * - Writes config.resolved.json `{ hash, config }` atomically.
 * - Reads the runs file `runsFileName` (only that one: a shard resumes from its own file), drops a
 *   torn last line with a warning and truncates it off the file so appends continue cleanly.
 */
export function prepareResultsDir(
  dir: string,
  opts: { resolvedConfig: unknown; fresh: boolean; runsFileName?: string },
): PreparedResultsDir {
  const runsFileName = opts.runsFileName ?? DEFAULT_RUNS_FILE;
  if (!isRunsFileName(runsFileName) || basename(runsFileName) !== runsFileName) {
    throw new Error(`prepareResultsDir: runs file name '${runsFileName}' must be a plain name matching runs*.jsonl`);
  }
  const hash = configHash(opts.resolvedConfig);
  const runsFile = join(dir, runsFileName);
  const configFile = join(dir, RESOLVED_CONFIG_FILE);

  // Everything that can refuse happens before anything is written.
  const existingNames = existsSync(dir) ? readdirSync(dir) : [];
  const warnings: string[] = [];
  let existing: RunRecord[] = [];
  if (!opts.fresh) {
    const previous = readPreviousHash(dir);
    if (previous !== null && previous !== hash) {
      throw new InputError(
        `${dir}: results were made with a different config (hash ${shortHash(previous)} vs ${shortHash(hash)}); use --fresh to start over, or --out another directory`,
        { file: configFile },
      );
    }
    const runsFiles = existingNames.filter(isRunsFileName);
    if (previous === null && runsFiles.length > 0) {
      throw new InputError(
        `${dir}: holds ${runsFiles.join(", ")} but no ${RESOLVED_CONFIG_FILE}, so which config made those runs is unknown; use --fresh to start over, or --out another directory`,
        { file: configFile },
      );
    }
    const read = readRunsFile(runsFile);
    warnings.push(...read.warnings);
    existing = read.records;
  }

  mkdirSync(dir, { recursive: true });
  if (opts.fresh) {
    for (const name of existingNames) {
      if (isRunsFileName(name) || name === "summary.json" || name === "event-steps.json" || name === "report.md") unlinkSync(join(dir, name));
    }
  }
  writeResolvedConfig(dir, hash, opts.resolvedConfig);
  truncateTornTail(runsFile);

  // Two lines for one pair only happen when two studies appended to one file at once; counting
  // both would weigh that seed twice in the statistics.
  const done = new Set<string>();
  const records: RunRecord[] = [];
  for (const record of existing) {
    const key = runKey(record.condition, record.seed);
    if (done.has(key)) {
      warnings.push(`${runsFile}: run ${key} appears more than once; kept the first`);
      continue;
    }
    done.add(key);
    records.push(record);
  }
  return { done, records, warnings, appender: RunsAppender.open(runsFile) };
}

/** The hash in config.resolved.json; null when there is none. An unreadable one is refused. */
function readPreviousHash(dir: string): string | null {
  try {
    return readResolvedConfigFile(dir)?.hash ?? null;
  } catch (err) {
    if (err instanceof InputError) {
      throw new InputError(`${err.message}; use --fresh to start over, or --out another directory`, { file: err.file });
    }
    throw err;
  }
}
