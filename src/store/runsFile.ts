// runs.jsonl (SPEC §4): one JSON line per finished run, appended and fsynced before the run counts
// as done, so that a killed or crashed study loses at most the run it was writing. Reading tolerates
// exactly that loss — a torn last line — and nothing else.
import { constants as bufferConstants } from "node:buffer";
import { closeSync, constants, fsyncSync, ftruncateSync, writeSync } from "node:fs";
import { InputError } from "../config/inputError.js";
import { MAX_RUNS } from "../config/feasibility.js";
import { canonicalJson } from "./configHash.js";
import { fileError, MiB, openNoFollow, readOwnFile } from "./ownFiles.js";
import { checkRunRecord, type RecordStudy } from "./recordSchema.js";
import type { RunRecord } from "./runRecord.js";

/** The identity of a (condition, seed) pair: what resume skips and merge de-duplicates on. */
export function runKey(condition: Record<string, unknown>, seed: number): string {
  return `${canonicalJson(condition)}#${seed}`;
}

/** Where a runs file stops being sound: the bytes before `cleanBytes` are whole, parsed lines. */
interface Scan {
  /** The parsed lines, not yet checked as records. */
  values: unknown[];
  /** 1-based line number of each value, for messages. */
  lines: number[];
  cleanBytes: number;
  /** Length of the dropped last line (0 when there is none). */
  tornBytes: number;
}

const NEWLINE = 0x0a;
/** Longest line a record takes: MAX_STORED_POINTS trajectory points are a few MB. */
const MAX_LINE_BYTES = 64 * MiB;
/** Longest runs file: what one Buffer holds. */
const MAX_RUNS_FILE_BYTES = Math.min(bufferConstants.MAX_LENGTH, 4 * 1024 * MiB);
const DAMAGED = "the file was damaged or edited — delete that line and its run will be re-run";

/**
 * Parses the file line by line. The last line is torn when it has no newline (the append never
 * finished) or does not parse (e.g. the zero bytes a crash can leave at the end of a file); it is
 * reported, not an error, since its run simply has to be done again. A bad line anywhere else means
 * the file was damaged or edited, and guessing which runs it held would be wrong, so that is an error.
 * The work is bounded before any line is parsed: the file's size, each line's length, the count.
 */
function scanRunsFile(file: string): Scan {
  const bytes = readOwnFile(file, MAX_RUNS_FILE_BYTES, "runs file");
  if (bytes === null) return { values: [], lines: [], cleanBytes: 0, tornBytes: 0 };
  const values: unknown[] = [];
  const lines: number[] = [];
  let start = 0;
  let lineNumber = 0;
  // Splitting the bytes (not the decoded text) keeps byte offsets for truncation; a newline byte
  // never occurs inside a multi-byte UTF-8 character, so each line decodes on its own.
  while (start < bytes.length) {
    lineNumber++;
    const newline = bytes.indexOf(NEWLINE, start);
    if (newline === -1) return { values, lines, cleanBytes: start, tornBytes: bytes.length - start };
    const end = newline + 1;
    if (newline - start > MAX_LINE_BYTES) {
      throw new InputError(`${file}:${lineNumber}: a line of ${newline - start} bytes, longer than any run record (${MAX_LINE_BYTES}); ${DAMAGED}`, { file });
    }
    if (values.length >= MAX_RUNS) {
      throw new InputError(`${file}:${lineNumber}: more than ${MAX_RUNS} records, more runs than a study can have; ${DAMAGED}`, { file });
    }
    const text = bytes.toString("utf8", start, newline);
    if (text.trim() !== "") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        if (end === bytes.length) return { values, lines, cleanBytes: start, tornBytes: end - start };
        throw new InputError(`${file}:${lineNumber}: not a JSON line (${(err as Error).message}); ${DAMAGED}`, { file });
      }
      values.push(parsed);
      lines.push(lineNumber);
    }
    start = end;
  }
  return { values, lines, cleanBytes: bytes.length, tornBytes: 0 };
}

/**
 * The parsed lines of a runs file with their line numbers, unchecked (a torn last line left out):
 * for --fresh, which only looks for the weights folders the lines list.
 */
export function scanRunLines(file: string): { values: unknown[]; lines: number[] } {
  const { values, lines } = scanRunsFile(file);
  return { values, lines };
}

/**
 * The records of a runs file with their line numbers, each checked against `study` (recordSchema.ts:
 * an InputError names the file, the line and the field); a torn last line is dropped with a
 * warning; a missing file is empty. Callers go through collectRuns (runSet.ts), which de-duplicates.
 */
export function readRunsFile(file: string, study: RecordStudy): { records: RunRecord[]; lines: number[]; tornLine: boolean; warnings: string[] } {
  const scan = scanRunsFile(file);
  const records = scan.values.map((value, i) => {
    const checked = checkRunRecord(value, study);
    if ("record" in checked) return checked.record;
    const { field, problem } = checked.refused;
    throw new InputError(`${file}:${scan.lines[i]}: not a run record of this study: field '${field}': ${problem}; ${DAMAGED}`, { file, key: field });
  });
  const warnings = scan.tornBytes > 0 ? [`${file}: dropped a torn last line (${scan.tornBytes} bytes) — that run will be re-run`] : [];
  return { records, lines: scan.lines, tornLine: scan.tornBytes > 0, warnings };
}

/**
 * Cuts a torn last line off the file, so the next append starts on a line of its own instead of
 * gluing a good record onto the broken one. Returns the number of bytes removed (0: nothing torn).
 */
export function truncateTornTail(file: string): number {
  const scan = scanRunsFile(file);
  if (scan.tornBytes === 0) return 0;
  let fd: number | undefined;
  try {
    fd = openNoFollow(file, constants.O_RDWR, "could not remove the torn last line");
    ftruncateSync(fd, scan.cleanBytes);
    fsyncSync(fd);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fileError(file, "could not remove the torn last line", err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return scan.tornBytes;
}

/** Appends records to a runs file, each durable on disk when `append` returns. */
export class RunsAppender {
  private fd: number | null;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static open(file: string): RunsAppender {
    return new RunsAppender(file, openNoFollow(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, "could not open for appending"));
  }

  /**
   * Writes the record as one line with a single write (the JSON and its newline together, so a crash
   * leaves either a whole line or a torn last one), then fsyncs: a run counts as done only once its
   * line would survive a power cut. A short write (a filling disk) is continued, and the failure
   * that follows it (ENOSPC) is thrown with the file name.
   */
  append(record: RunRecord): void {
    if (this.fd === null) throw new Error(`${this.file}: append after close`);
    const line = Buffer.from(JSON.stringify(record) + "\n", "utf8");
    try {
      let written = 0;
      while (written < line.length) written += writeSync(this.fd, line, written, line.length - written);
      fsyncSync(this.fd);
    } catch (err) {
      throw fileError(this.file, "could not append a finished run", err);
    }
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
}
