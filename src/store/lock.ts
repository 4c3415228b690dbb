// An exclusive lock on a results directory, held for the whole of a study, a merge or a report, so
// that two processes never append to, delete or rewrite the same results. The lock is a file created
// with O_EXCL (atomic on local file systems and NFSv3+) holding the holder's PID, host and command;
// a lock whose holder is a process of this host that no longer exists is stale and is taken over.
// Written by hand rather than with proper-lockfile: that package locks by mkdir and mtime refresh
// timers, and cannot say which process holds the lock, which is what the second writer is told.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";

export const LOCK_FILE = ".shortcut-bench.lock";

interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/** Locks held by this process, removed on every exit path (see releaseAllLocks). */
const held = new Set<string>();

export class DirectoryLock {
  private released = false;
  private constructor(readonly file: string) {}

  /**
   * Takes the lock on `dir` (which must exist) for `command`, or throws an InputError naming the
   * process that holds it. A stale lock (its holder, on this host, is gone) is replaced.
   */
  static acquire(dir: string, command: string): DirectoryLock {
    const file = join(dir, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      let fd: number;
      try {
        fd = openSync(file, "wx");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const holder = readHolder(file);
        if (holder !== null && !isStale(holder)) {
          throw new InputError(
            `${dir}: in use by process ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.since}); ` +
              `wait for it to finish, or use another --out directory (if that process is gone, delete ${file})`,
            { file },
          );
        }
        // Stale, or a holder that died between creating and writing the file: take it over.
        try {
          unlinkSync(file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        }
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

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number" || typeof parsed.host !== "string") return null;
    return { pid: parsed.pid, host: parsed.host, command: String(parsed.command ?? "?"), since: String(parsed.since ?? "?") };
  } catch (err) {
    // Gone meanwhile: treat as stale; being written right now (empty): not stale yet.
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    return { pid: -1, host: hostname(), command: "starting", since: "now" };
  }
}

/** A holder is stale when it ran on this host and its process no longer exists. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid <= 0) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
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
