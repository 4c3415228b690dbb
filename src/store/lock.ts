// An exclusive lock on a results directory, held for the whole of a study, a merge, a report or an
// export, so that two processes never append to, delete or rewrite the same results. The lock is a
// file created with O_EXCL (atomic on local file systems and NFSv3+) holding who holds it: host,
// PID, the process's start time and the machine's boot id, command and date. It is stale, and taken
// over, when
// - it is empty or unreadable and older than LOCK_WRITE_GRACE_MS (its writer died between creating
//   and writing it: a full disk, a file-size limit, SIGKILL);
// - its host is this one and the machine has rebooted since (another boot id);
// - its process is gone, or its PID now belongs to another process (another start time: a
//   restarted container is PID 1 again).
// A lock of another host is never taken over: whether its process lives cannot be seen from here.
// The start time is /proc/<pid>/stat's starttime (clock ticks since boot) and the boot id
// /proc/sys/kernel/random/boot_id; where there is no /proc (macOS, Windows) both are null and only
// "the process is gone" is seen.
// Written by hand rather than with proper-lockfile: that package locks by mkdir and keeps the lock
// alive by refreshing its mtime on a timer, which a long synchronous step (summarising a large
// study) stalls — another process would then take a live lock over — and it cannot say which
// process holds the lock, which is what the second writer is told.
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { isPlainObject } from "../config/validateParams.js";
import { readOwnFile } from "./ownFiles.js";

export const LOCK_FILE = ".shortcut-bench.lock";

/** How long a lock file may stay empty or unreadable while its writer fills it in. */
export const LOCK_WRITE_GRACE_MS = 5000;
/** A lock file is a line of JSON; a longer one is not the tool's. */
const MAX_LOCK_BYTES = 64 * 1024;

interface LockHolder {
  pid: number;
  host: string;
  /** /proc/<pid>/stat starttime; null where there is no /proc. */
  startTime: string | null;
  /** The machine's boot id; null where there is none. */
  bootId: string | null;
  command: string;
  since: string;
}

/** Locks held by this process, removed on every exit path (see releaseAllLocks). */
const held = new Set<string>();

/** The start time of process `pid` in clock ticks since boot, or null (no /proc, or no such process). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTime = fields[19]; // field 22 of proc(5)
    return startTime !== undefined && /^\d+$/.test(startTime) ? startTime : null;
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}

/** Blocks this thread for `ms` (the lock is taken synchronously, before any async work starts). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class DirectoryLock {
  private released = false;
  private constructor(readonly file: string) {}

  /**
   * Takes the lock on `dir` (which must exist) for `command`, or throws an InputError naming the
   * process that holds it. A stale lock (see the file comment) is replaced.
   */
  static acquire(dir: string, command: string): DirectoryLock {
    const file = join(dir, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, host: hostname(), startTime: processStartTime(process.pid), bootId: bootId(), command, since: new Date().toISOString() };
    const deadline = Date.now() + 2 * LOCK_WRITE_GRACE_MS;
    while (Date.now() < deadline) {
      let fd: number;
      try {
        fd = openSync(file, "wx"); // O_CREAT | O_EXCL: never follows a link at that name
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const found = readLock(file);
        if (found.kind === "gone") continue;
        if (found.kind === "unreadable" && found.ageMs < LOCK_WRITE_GRACE_MS) {
          sleep(50); // being written right now, or its writer died: wait until it is old enough to tell
          continue;
        }
        if (found.kind === "holder" && !isStale(found.holder)) {
          const { pid, host, command: theirs, since } = found.holder;
          const remote = host !== hostname() ? `; a lock of another host cannot be checked from here — if no process ${pid} of ${host} holds it, delete ${file}` : "";
          throw new InputError(
            `${dir}: in use by process ${pid} on ${host} (${theirs}, since ${since}); wait for it to finish, or use another --out directory${remote}`,
            { file },
          );
        }
        takeOver(file, found.bytes);
        continue;
      }
      try {
        writeSync(fd, JSON.stringify(me) + "\n");
      } finally {
        closeSync(fd);
      }
      held.add(file);
      return new DirectoryLock(file);
    }
    throw new InputError(`${dir}: could not take the lock ${file} (another process keeps taking it)`, { file });
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.file);
    try {
      unlinkSync(this.file);
    } catch {
      // Already gone (e.g. the directory was removed): nothing to release.
    }
  }
}

type FoundLock = { kind: "gone" } | { kind: "unreadable"; ageMs: number; bytes: Buffer | null } | { kind: "holder"; holder: LockHolder; bytes: Buffer };

/** The lock file's holder, checked field by field; anything else is unreadable (with its age). */
function readLock(file: string): FoundLock {
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(file).mtimeMs;
  } catch {
    return { kind: "gone" };
  }
  let bytes: Buffer | null;
  try {
    bytes = readOwnFile(file, MAX_LOCK_BYTES, "lock file");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "gone" };
    // Too long, a link, not a file: not one this tool wrote; stale once old enough.
    return { kind: "unreadable", ageMs, bytes: null };
  }
  if (bytes === null) return { kind: "gone" };
  const holder = parseHolder(bytes);
  return holder === null ? { kind: "unreadable", ageMs, bytes } : { kind: "holder", holder, bytes };
}

function parseHolder(bytes: Buffer): LockHolder | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
  if (!isPlainObject(parsed)) return null;
  const { pid, host, startTime, bootId: boot, command, since } = parsed;
  const text = (v: unknown, max: number) => typeof v === "string" && v.length <= max;
  const textOrNull = (v: unknown) => v === undefined || v === null || text(v, 100);
  if (!(Number.isSafeInteger(pid) && (pid as number) > 0 && text(host, 255) && textOrNull(startTime) && textOrNull(boot))) return null;
  return {
    pid: pid as number,
    host: host as string,
    startTime: (startTime as string | null | undefined) ?? null,
    bootId: (boot as string | null | undefined) ?? null,
    command: text(command, 10_000) ? (command as string) : "?",
    since: text(since, 100) ? (since as string) : "?",
  };
}

/** See the file comment. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  const boot = bootId();
  if (holder.bootId !== null && boot !== null && holder.bootId !== boot) return true;
  if (holder.pid !== process.pid) {
    try {
      process.kill(holder.pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") return true;
    }
  }
  // The PID is in use (by us, or by a live process): the same process only if it started when the holder did.
  const now = processStartTime(holder.pid);
  if (holder.startTime !== null && now !== null) return holder.startTime !== now;
  return false;
}

/**
 * Removes a stale lock so that O_EXCL can be tried again. The file is first renamed to a name of
 * this process alone and compared with what was judged stale: when another process replaced it
 * meanwhile (its own fresh lock), that one is put back and the loop looks again.
 */
function takeOver(file: string, judged: Buffer | null): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // someone else removed it
    throw err;
  }
  let same = true;
  if (judged !== null) {
    try {
      same = readFileSync(aside).equals(judged);
    } catch {
      same = true;
    }
  }
  if (!same) {
    try {
      linkSync(aside, file); // fails if yet another lock is there: then that one stands
    } catch {
      // nothing to restore into
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // already gone
  }
}

/** Removes every lock this process holds; for exit paths that skip the `finally` blocks. */
export function releaseAllLocks(): void {
  for (const file of held) {
    try {
      unlinkSync(file);
    } catch {
      // nothing to do
    }
  }
  held.clear();
}
