// "## Divergences and censoring": per condition, which runs diverged and which never reached each event.
import type { StudySummary } from "../../analysis/summaryTypes.js";
import type { RunRecord } from "../../store/runRecord.js";
import { canonicalJson } from "../../store/configHash.js";
import { conditionLabel } from "../format.js";
import { divergedRunText } from "../divergences.js";

/** "seed 3 at step 40, seed 7 at step 110" */
function listSeedsAtSteps(entries: { seed: number; step: number }[]): string {
  return entries.map((e) => `seed ${e.seed} at step ${e.step}`).join(", ");
}

export function divergencesSection(summary: StudySummary, records: readonly RunRecord[]): string {
  const recordsByCondition = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = canonicalJson(r.condition);
    recordsByCondition.set(key, [...(recordsByCondition.get(key) ?? []), r]);
  }
  const eventNames = Object.keys(summary.events);
  const blocks = summary.conditions.map((c) => {
    const runs = [...(recordsByCondition.get(canonicalJson(c.condition)) ?? [])].sort((a, b) => a.seed - b.seed);
    const lines: string[] = [];
    const diverged = runs.filter((r) => r.diverged !== null);
    lines.push(
      diverged.length === 0
        ? `- diverged: none of ${runs.length} runs`
        : `- diverged: ${diverged.length} of ${runs.length} runs: ${diverged.map(divergedRunText).join(", ")}`,
    );
    const stopped = runs.filter((r) => r.stopped != null);
    if (stopped.length > 0) {
      lines.push(`- stopped once ${stopped[0].params.stopAfter.join(", ")} ${stopped[0].params.stopAfter.length === 1 ? "was" : "were"} reached (stopAfter), their final metrics at that step: ${stopped.length} of ${runs.length} runs (${listSeedsAtSteps(stopped.map((r) => ({ seed: r.seed, step: r.stopped as number })))})`);
    }
    for (const e of eventNames) {
      const neverReached = runs.filter((r) => (r.events[e] ?? null) === null);
      if (neverReached.length === 0) {
        lines.push(`- ${e}: reached by all ${runs.length} runs`);
        continue;
      }
      // A run is censored at its horizon, or earlier at its divergence.
      const horizons = new Map<number, number>();
      let censoredByDivergence = 0;
      let censoredAtStop = 0;
      for (const r of neverReached) {
        if (r.diverged !== null) censoredByDivergence++;
        else if (r.stopped != null) censoredAtStop++;
        else horizons.set(r.params.steps, (horizons.get(r.params.steps) ?? 0) + 1);
      }
      const parts = [...horizons].sort((a, b) => a[0] - b[0]).map(([steps, count]) => `${count} censored at step ${steps}`);
      if (censoredAtStop > 0) parts.push(`${censoredAtStop} censored at the step where stopAfter ended them`);
      if (censoredByDivergence > 0) parts.push(`${censoredByDivergence} stopped by divergence, counted as censored at the horizon`);
      lines.push(`- ${e}: never reached by ${neverReached.length} of ${runs.length} runs (${parts.join(", ")})`);
    }
    return [`**${conditionLabel(c.condition)}**`, "", ...lines].join("\n");
  });
  return [
    "## Divergences and censoring",
    "",
    "A run that never reaches an event within its steps is censored at its horizon, so a median or a CI bound shown " +
      "as ∞ means too few runs reached the event. A run diverged when a weight or its minibatch loss stopped being finite " +
      "or the loss passed divergeLoss; its step is where the blow-up began (after the last step whose loss was at most " +
      "its step-0 loss; training stopped later, at the step in parentheses), and its trajectory, final metrics and events " +
      "end there (docs/model.md). For an event it had not reached it counts as never reaching it (censored at the " +
      "horizon), since it no longer can.",
    "",
    blocks.join("\n\n"),
  ].join("\n");
}
