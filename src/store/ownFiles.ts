// The tool's own files inside a results directory are opened without following symbolic links and
// only when they are regular files of a bounded size: a runs.jsonl linked to a file elsewhere is
// never appended to, a named pipe never blocks a read, and a 50 GB summary.json is refused before a
// byte of it is parsed. Folders below the directory (weights/, figures/) are made here too, and a
// link among them is refused, so no write lands outside the directory through one.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";

/** O_NOFOLLOW where the platform has it (not on Windows, where lstat is checked first instead). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
/** A named pipe opened for reading would wait for a writer; O_NONBLOCK lets fstat refuse it. */
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

export const MiB = 1024 * 1024;

function linkRefused(file: string): InputError {
  return new InputError(
    `${file}: a symbolic link; shortcut-bench never follows a link inside a results directory (it could write or read another study's files) — replace it with the file itself`,
    { file },
  );
}

/**
 * Opens `file` with `flags` (fs.constants) without following a link at its last component; a
 * failure is an error naming the file and what was being `doing` (without it: the system's error).
 */
export function openNoFollow(file: string, flags: number, doing?: string): number {
  if (NO_FOLLOW === 0) {
    try {
      if (lstatSync(file).isSymbolicLink()) throw linkRefused(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  let fd: number;
  try {
    fd = openSync(file, flags | NO_FOLLOW, 0o666);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") throw linkRefused(file);
    throw doing === undefined ? err : fileError(file, doing, err);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`${file}: not a regular file (a directory, a device or a pipe); the results directory holds its own files under this name`, { file });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

/**
 * The bytes of `file` (a results directory's own file), or null when there is none. Refuses a link,
 * anything but a regular file, and a file longer than `maxBytes`, naming `what` the file should be.
 */
export function readOwnFile(file: string, maxBytes: number, what: string): Buffer | null {
  let fd: number;
  try {
    fd = openNoFollow(file, constants.O_RDONLY | NON_BLOCK, "could not read");
  } catch (err) {
    // ENOTDIR: a component of the path is a file, so this file is not there either
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw err;
  }
  return readOpened(fd, file, maxBytes, `more than the ${maxBytes} a ${what} can hold; it is not one the tool wrote`);
}

/**
 * The bytes of a file the user named (a study config, a thresholds file, a bench baseline). A link
 * is followed — the file is the user's, not a results directory's — but anything other than a
 * regular file is refused before a byte is read: a named pipe would block the read with no writer
 * (a synchronous read that not even SIGTERM interrupts), a device such as /dev/zero never ends. So
 * is a file longer than `maxBytes`. Errors are InputErrors naming the file.
 */
export function readInputFile(file: string, maxBytes: number, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NON_BLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`, { file });
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError(`${file}: is a directory, not a file`, { file });
    if (!stat.isFile()) throw new InputError(`${file}: not a regular file (a pipe or a device); the ${what} is read from a regular file`, { file });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return readOpened(fd, file, maxBytes, `more than the ${maxBytes} a ${what} may have`);
}

/** Reads the whole of open regular file `fd` (then closes it); refuses more than `maxBytes` (`tooLong` says why). */
function readOpened(fd: number, file: string, maxBytes: number, tooLong: string): Buffer {
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new InputError(`${file}: ${size} bytes, ${tooLong}`, { file });
    const bytes = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break; // shrank while being read: what is there
      read += n;
    }
    return read === size ? bytes : bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes the folder `relative` (POSIX separators) below results directory `root`, one component at a
 * time, and refuses a component that is a link or not a folder; returns its path.
 */
export function ensureOwnFolder(root: string, relative: string): string {
  let path = root;
  for (const part of relative.split("/").filter((p) => p !== "")) {
    path = join(path, part);
    try {
      mkdirSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw fileError(path, "could not make the folder", err);
    }
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) throw linkRefused(path);
    if (!stat.isDirectory()) throw new InputError(`${path}: not a folder; the results directory keeps its own folder under this name`, { file: path });
  }
  return path;
}

/** The error with the file name and what was being done in front, keeping its code (ENOSPC, …). */
export function fileError(file: string, doing: string, err: unknown): Error {
  const cause = err as NodeJS.ErrnoException;
  const wrapped: NodeJS.ErrnoException = new Error(`${file}: ${doing}: ${cause?.message ?? String(err)}`, { cause: err });
  if (cause?.code !== undefined) wrapped.code = cause.code;
  return wrapped;
}
