// The process exit codes of every command (SPEC §6), in one place.
export const EXIT_OK = 0;
/** A failed check, a run error, or runs missing from a merge. */
export const EXIT_FAILED = 1;
/** Bad input: a config, a flag, a results directory; nothing was written. */
export const EXIT_BAD_INPUT = 2;
/** Interrupted by SIGINT/SIGTERM; finished runs are kept. */
export const EXIT_INTERRUPTED = 130;
