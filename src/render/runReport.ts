// The terminal report of `run` over one condition: per-seed events and final metrics, their
// medians over seeds, throughput, and ASCII charts of the median trajectories.
import type { ModelParams } from "../config/modelKeys.js";
import { DEFAULT_EVENTS } from "../kernel/events.js";
import { stepsTrained, type RunRecord } from "../store/runRecord.js";
import { kaplanMeierMedian, percentileBand } from "../analysis/statistics/index.js";
import { horizonOf, timeToEvent } from "../analysis/summary.js";
import { finalCounts } from "../analysis/summary/finals.js";
import { HEADLINE_FINALS, type StudyTiming } from "./studyReport.js";
import { countOf, describeEvents, formatPercent, formatStep, formatValue } from "./format.js";
import { textTable } from "./table.js";
import { DIVERGED_STEP_NOTE, divergedRunsLines } from "./divergences.js";
import { trajectoryCharts } from "./asciiTrajectories.js";

export interface SeedSummary {
  seeds: number;
  events: Record<string, { median: number | null; reached: number }>;
  final: Record<string, number>;
  diverged: number;
  wallSeconds: number;
  /** Runs computed in wallSeconds (the others were already in the results directory). */
  computed: number;
  /** Steps of the computed runs ÷ wallSeconds. */
  stepsPerSecond: number;
}


/** Medians over seeds: event steps (Kaplan–Meier; not reached by half the runs is +∞, shown as null) and final metrics. */
export function summarizeSeeds(records: readonly RunRecord[], timing: StudyTiming): SeedSummary {
  const { wallSeconds, computed } = timing;
  const events: SeedSummary["events"] = {};
  for (const name of Object.keys(DEFAULT_EVENTS)) {
    const times = records.map((r) => timeToEvent(r, name, horizonOf(records)));
    const median = records.length > 0 ? kaplanMeierMedian(times).median : Infinity;
    events[name] = { median: Number.isFinite(median) ? median : null, reached: times.filter((t) => t.observed).length };
  }
  const final: Record<string, number> = {};
  for (const metric of HEADLINE_FINALS) {
    const values = records.filter(finalCounts).map((r) => r.final[metric]).filter(Number.isFinite);
    final[metric] = values.length > 0 ? percentileBand(values).median : NaN;
  }
  const steps = computed.reduce((sum, r) => sum + stepsTrained(r), 0);
  return {
    seeds: records.length,
    events,
    final,
    diverged: records.filter((r) => r.diverged !== null).length,
    wallSeconds,
    computed: computed.length,
    stepsPerSecond: wallSeconds > 0 ? steps / wallSeconds : 0,
  };
}

/** Mean over the runs of EngineInfo.barrierWaitShare (0 where a record lacks it). */
function meanBarrierWaitShare(records: readonly RunRecord[]): number {
  if (records.length === 0) return 0;
  return records.reduce((sum, r) => sum + (r.engine.barrierWaitShare ?? 0), 0) / records.length;
}

/** An event step ("—" when not reached) or a metric value, as the run table shows them. */
function stepCell(value: number | null): string {
  return value === null || !Number.isFinite(value) ? "—" : formatStep(value);
}

export function formatRunReport(params: ModelParams, records: readonly RunRecord[], summary: SeedSummary, threads: number): string {
  const shards = records[0]?.engine.shards ?? 1;
  const kernel = records[0]?.engine.kernel ?? "?";
  const header = `λ=${params.lambda}  d=${params.d}  width=${params.width}  batch=${params.batch}  lr=${params.lr}  steps=${params.steps}\n` +
    `${records.length} seeds on ${threads} threads, ${countOf(shards, "shard")} per run, kernel ${kernel}` +
    (shards > 1 ? `; the shards spent ${formatPercent(meanBarrierWaitShare(records))} of their time waiting at the barrier` : "");
  const rows = records.map((r) => [
    String(r.seed),
    stepCell(r.events.spurious),
    stepCell(r.events.signal),
    formatValue(r.final.wga),
    formatValue(r.final.coefSpurious),
    formatValue(r.final.coefSignal),
    r.diverged === null ? "—" : String(r.diverged),
    `${(r.wallMs / 1000).toFixed(1)}s`,
  ]);
  const n = records.length;
  rows.push([
    "median",
    `${stepCell(summary.events.spurious.median)} (${summary.events.spurious.reached}/${n})`,
    `${stepCell(summary.events.signal.median)} (${summary.events.signal.reached}/${n})`,
    formatValue(summary.final.wga),
    formatValue(summary.final.coefSpurious),
    formatValue(summary.final.coefSignal),
    `${summary.diverged}/${n}`,
    `${summary.wallSeconds.toFixed(1)}s`,
  ]);
  const eventTable = textTable(["seed", "spurious", "signal", "final wga", "coefSpurious", "coefSignal", "diverged", "wall"], rows);
  const divergence = summary.diverged === 0 ? "" : [...divergedRunsLines(records), DIVERGED_STEP_NOTE, ""].join("\n");
  const footer = `events: ${describeEvents(DEFAULT_EVENTS)}\n` +
    `— = not reached within ${params.steps} steps (medians count it as ∞)\n` +
    divergence +
    (summary.computed === 0
      ? `throughput: not measured (all ${n} runs were already done)`
      : `throughput: ${Math.round(summary.stepsPerSecond).toLocaleString("en-US")} steps/s over ${summary.wallSeconds.toFixed(1)} s wall` +
        (summary.computed < n ? ` (computing ${countOf(summary.computed, "run")}; ${n - summary.computed} ${n - summary.computed === 1 ? "was" : "were"} already done)` : ""));
  const charts = trajectoryCharts(records.map((r) => r.trajectory), `median over ${countOf(n, "seed")}`);
  return [header, "", eventTable, "", footer, "", charts].join("\n");
}
