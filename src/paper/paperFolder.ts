// The paper's folder (`paper --out`, reports/paper): its page, figures, timing and one results
// directory per paper study. Like a results directory it is the tool's alone and locked for the
// whole of `paper` (issue 20): two paper commands never write one page or one timing file at once,
// and a folder holding a user's files is never written into. Each study's own directory is locked
// by the study (or, while the page reads it, by runPaper) as every results directory is.
import { mkdirSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { isPlainObject } from "../config/validateParams.js";
import { DirectoryLock } from "../store/lock.js";
import { MiB, readOwnFile } from "../store/ownFiles.js";
import { inspectResultsDir } from "../store/resultsDir.js";
import { FIGURES_DIR } from "../render/figures/figureFiles.js";

export const PAPER_PAGE = "README.md";
export const TIMING_FILE = "timing.json";
export const PAPER_GITIGNORE = ".gitignore";
const PAPER_FILES = [PAPER_PAGE, TIMING_FILE, PAPER_GITIGNORE, FIGURES_DIR];

/** How long each study's results took to compute, by study name (timing.json). */
export type PaperTiming = Record<string, { wallSeconds: number; runs: number; computed: number; date: string } | undefined>;

/**
 * Takes `out` for `paper`: creates it if absent, refuses it (exit 2, nothing written) when it holds
 * anything but the paper's page, figures, timing and `studies`' directories, then locks it. Returns
 * the lock's release.
 */
export function takePaperFolder(out: string, studies: readonly string[], command: string): { close(): void } {
  if (out.trim() === "") throw new InputError("--out: an empty path; name a folder", { key: "--out" });
  const checkContents = () => {
    const foreign = inspectResultsDir(out, "--out").names.filter((name) => !PAPER_FILES.includes(name) && !studies.includes(name));
    if (foreign.length > 0) {
      const shown = foreign.slice(0, 4).join(", ") + (foreign.length > 4 ? ", …" : "");
      throw new InputError(
        `--out ${out}: holds files that are not the paper's (${shown}); nothing was written — choose a new or empty folder, or the folder of an earlier 'paper' (it holds ${PAPER_PAGE}, ${TIMING_FILE}, ${FIGURES_DIR}/ and one folder per study)`,
        { file: out, key: "--out" },
      );
    }
  };
  checkContents();
  mkdirSync(out, { recursive: true }); // inspectResultsDir refused a path that is there and not a folder
  const lock = DirectoryLock.acquire(out, command);
  try {
    checkContents(); // again, now that no other paper command can write here
    // Temporary files of a paper command killed mid-write (writeFileAtomic's `.<name>.<pid>.tmp`).
    for (const name of readdirSync(out)) {
      const m = /^\.(.+)\.\d+\.tmp$/.exec(name);
      if (m !== null && PAPER_FILES.includes(m[1])) unlinkSync(join(out, name));
    }
  } catch (err) {
    lock.release();
    throw err;
  }
  return { close: () => lock.release() };
}

/** timing.json of the paper folder `out` (empty when there is none), checked entry by entry. */
export function readPaperTiming(out: string, studies: readonly string[]): PaperTiming {
  const file = join(out, TIMING_FILE);
  const bytes = readOwnFile(file, MiB, "timing file");
  if (bytes === null) return {};
  const refuse = (what: string) =>
    new InputError(`${file}: ${what}; it holds per study { wallSeconds, runs, computed, date } as 'paper' wrote it — restore it, or delete it (the page then shows no wall times until each study is computed again)`, { file });
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw refuse("not JSON");
  }
  if (!isPlainObject(parsed)) throw refuse("not an object");
  const timing: PaperTiming = {};
  // Entries of studies the paper no longer has are dropped, not refused.
  for (const name of studies) {
    if (!Object.hasOwn(parsed, name)) continue;
    const entry = parsed[name];
    if (!isPlainObject(entry)) throw refuse(`'${name}' is not an object`);
    const { wallSeconds, runs, computed, date } = entry;
    const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
    if (!(typeof wallSeconds === "number" && Number.isFinite(wallSeconds) && wallSeconds >= 0 && count(runs) && count(computed) && typeof date === "string" && date.length <= 100)) {
      throw refuse(`'${name}' has a field missing or out of range`);
    }
    timing[name] = { wallSeconds, runs: runs as number, computed: computed as number, date };
  }
  return timing;
}
