// runs.jsonl (SPEC §4): one JSON line per finished run, appended and fsynced before the run counts
// as done, so that a killed or crashed study loses at most the run it was writing. Reading tolerates
// exactly that loss — a torn last line — and nothing else.
import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { InputError } from "../config/inputError.js";
import { canonicalJson } from "./configHash.js";
import type { RunRecord } from "./runRecord.js";

/** The identity of a (condition, seed) pair: what resume skips and merge de-duplicates on. */
export function runKey(condition: Record<string, unknown>, seed: number): string {
  return `${canonicalJson(condition)}#${seed}`;
}

/** Where a runs file stops being sound: the bytes before `cleanBytes` are whole, parsed lines. */
interface Scan {
  records: RunRecord[];
  /** 1-based line number of each record, for messages. */
  lines: number[];
  cleanBytes: number;
  /** Length of the dropped last line (0 when there is none). */
  tornBytes: number;
}

const NEWLINE = 0x0a;

/**
 * Parses the file line by line. The last line is torn when it has no newline (the append never
 * finished) or does not parse (e.g. the zero bytes a crash can leave at the end of a file); it is
 * reported, not an error, since its run simply has to be done again. A bad line anywhere else means
 * the file was damaged or edited, and guessing which runs it held would be wrong, so that is an error.
 */
function scanRunsFile(file: string): Scan {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { records: [], lines: [], cleanBytes: 0, tornBytes: 0 };
    throw err;
  }
  const records: RunRecord[] = [];
  const lines: number[] = [];
  let start = 0;
  let lineNumber = 0;
  // Splitting the bytes (not the decoded text) keeps byte offsets for truncation; a newline byte
  // never occurs inside a multi-byte UTF-8 character, so each line decodes on its own.
  while (start < bytes.length) {
    lineNumber++;
    const newline = bytes.indexOf(NEWLINE, start);
    if (newline === -1) return { records, lines, cleanBytes: start, tornBytes: bytes.length - start };
    const end = newline + 1;
    const text = bytes.toString("utf8", start, newline);
    if (text.trim() !== "") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        if (end === bytes.length) return { records, lines, cleanBytes: start, tornBytes: end - start };
        throw new InputError(
          `${file}:${lineNumber}: not a JSON line (${(err as Error).message}); the file was damaged or edited — delete that line and its run will be re-run`,
          { file },
        );
      }
      const problem = recordProblem(parsed);
      if (problem !== null) {
        throw new InputError(`${file}:${lineNumber}: not a run record: ${problem}; the file was damaged or edited — delete that line and its run will be re-run`, { file });
      }
      records.push(parsed as RunRecord);
      lines.push(lineNumber);
    }
    start = end;
  }
  return { records, lines, cleanBytes: bytes.length, tornBytes: 0 };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStepOrNull = (v: unknown): boolean => v === null || Number.isSafeInteger(v);

/**
 * What is wrong with a parsed line as a run record (the first missing or mistyped field), or null:
 * every field the statistics, the report and resume read, so none of them meets a half record.
 */
function recordProblem(value: unknown): string | null {
  if (!isObject(value)) return "not a JSON object";
  const fields: [keyof RunRecord, (v: unknown) => boolean, string][] = [
    ["condition", isObject, "an object"],
    ["seed", (v) => Number.isSafeInteger(v) && (v as number) >= 0, "an integer ≥ 0"],
    ["params", isObject, "an object"],
    ["events", (v) => isObject(v) && Object.values(v).every(isStepOrNull), "an object of steps or null"],
    ["rates", isObject, "an object"],
    ["final", isObject, "an object"],
    ["trajectory", (v) => Array.isArray(v) && v.every(isObject), "an array of objects"],
    ["diverged", isStepOrNull, "a step or null"],
    ["wallMs", (v) => typeof v === "number", "a number"],
    ["engine", (v) => isObject(v) && typeof v.kernel === "string", "an object with a 'kernel' name"],
  ];
  for (const [key, ok, allowed] of fields) {
    if (!(key in value)) return `missing field '${key}'`;
    if (!ok(value[key])) return `field '${key}' must be ${allowed}`;
  }
  if ("stopped" in value && !isStepOrNull(value.stopped)) return "field 'stopped' must be a step or null"; // only runs with stopAfter have it
  return null;
}

/**
 * The records of a runs file with their line numbers; a torn last line is dropped with a warning; a
 * missing file is empty. Callers go through collectRuns (runSet.ts), which de-duplicates.
 */
export function readRunsFile(file: string): { records: RunRecord[]; lines: number[]; tornLine: boolean; warnings: string[] } {
  const scan = scanRunsFile(file);
  const warnings = scan.tornBytes > 0 ? [`${file}: dropped a torn last line (${scan.tornBytes} bytes) — that run will be re-run`] : [];
  return { records: scan.records, lines: scan.lines, tornLine: scan.tornBytes > 0, warnings };
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
    fd = openSync(file, "r+");
    ftruncateSync(fd, scan.cleanBytes);
    fsyncSync(fd);
  } catch (err) {
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
    try {
      return new RunsAppender(file, openSync(file, "a"));
    } catch (err) {
      throw fileError(file, "could not open for appending", err);
    }
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

/** The error with the file name and what was being done in front, keeping its code (ENOSPC, …). */
export function fileError(file: string, doing: string, err: unknown): Error {
  const cause = err as NodeJS.ErrnoException;
  const wrapped: NodeJS.ErrnoException = new Error(`${file}: ${doing}: ${cause?.message ?? String(err)}`, { cause: err });
  if (cause?.code !== undefined) wrapped.code = cause.code;
  return wrapped;
}
