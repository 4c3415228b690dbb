// How reports name the runs that diverged (kernel/divergence.ts): which seeds, the step where each
// blow-up began (where its events and trajectory end) and why training stopped — one text for the
// terminal report of `run` and for report.md.
import type { RunRecord } from "../store/runRecord.js";
import { countOf, formatParam } from "./format.js";

/** "seed 0 at step 1 (loss above divergeLoss 1000000 at step 460)": one diverged run. */
export function divergedRunText(r: RunRecord): string {
  const detected = r.divergedDetectedAt ?? null;
  const where = `seed ${r.seed} at step ${r.diverged}`;
  if (r.divergedReason === undefined || r.divergedReason === null) return where;
  const reason = r.divergedReason === "loss above divergeLoss" ? `loss above divergeLoss ${formatParam(r.params.divergeLoss)}` : r.divergedReason;
  return `${where} (${reason}${detected !== null && detected !== r.diverged ? ` at step ${detected}` : ""})`;
}

/**
 * Lines that say which of `runs` diverged, e.g. "diverged: 2 of 8 runs" then one "- seed 0 at step
 * 1 (loss above divergeLoss 1000000 at step 460)" per run; "diverged: none of 8 runs" when none did.
 */
export function divergedRunsLines(runs: readonly RunRecord[]): string[] {
  const diverged = runs.filter((r) => r.diverged !== null);
  if (diverged.length === 0) return [`diverged: none of ${countOf(runs.length, "run")}`];
  return [`diverged: ${diverged.length} of ${countOf(runs.length, "run")}`, ...diverged.map((r) => `- ${divergedRunText(r)}`)];
}

/** What a diverged run's step means, for the notes under a table that shows it (lines ≤ 100 columns). */
export const DIVERGED_STEP_NOTE = [
  "a diverged run's step is where its blow-up began: after the last step whose minibatch loss was at",
  "most its step-0 loss; its trajectory, final metrics and events end there (docs/model.md)",
].join("\n");
