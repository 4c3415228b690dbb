// "## Machine and run": when, where and how fast the study ran.
import { stepsTrained } from "../../store/runRecord.js";
import { countOf, formatInteger, formatSeconds } from "../format.js";
import { markdownTable } from "../table.js";
import type { ReportInput, StudyTiming } from "./reportInput.js";

function wallTimeText(timing: StudyTiming | null, runs: number): string {
  if (timing === null) return "unknown (report regenerated from runs.jsonl)";
  const resumed = runs - timing.computed.length;
  return formatSeconds(timing.wallSeconds) + (resumed > 0 ? ` (computing ${countOf(timing.computed.length, "run")}; ${resumed} ${resumed === 1 ? "was" : "were"} already done)` : "");
}

export function machineAndRunSection(input: ReportInput): string {
  const { meta, records } = input;
  const totalSteps = records.reduce((sum, r) => sum + stepsTrained(r), 0);
  const summedRunSeconds = records.reduce((sum, r) => sum + r.wallMs, 0) / 1000;
  const engines = [...new Set(records.map((r) => `kernel ${r.engine.kernel}, ${countOf(r.engine.shards, "shard")} per run, ${r.engine.threads} threads`))];
  const rows: string[][] = [
    ["date", meta.date],
    ["tool version", `shortcut-bench ${meta.version}`],
    ["git commit", meta.gitCommit ?? "unknown"],
    ["CPU", meta.cpu],
    ["cores", String(meta.cores)],
    ["Node", meta.node],
    ["wall time", wallTimeText(meta.timing, records.length)],
    ["runs", `${records.length} (${input.summary.conditions.length} conditions)`],
    ["engine", engines.length > 0 ? engines.join("; ") : "—"],
    ["total steps", formatInteger(totalSteps)],
    [
      "steps/s per run",
      summedRunSeconds > 0
        ? `${formatInteger(totalSteps / summedRunSeconds)} (total steps ÷ summed wall time of the runs)`
        : "—",
    ],
  ];
  const timing = meta.timing;
  if (timing !== null && timing.wallSeconds > 0 && timing.computed.length > 0) {
    const computedSteps = timing.computed.reduce((sum, r) => sum + stepsTrained(r), 0);
    const of = timing.computed.length === records.length ? "total steps" : "steps of the runs computed";
    rows.push(["steps/s, study", `${formatInteger(computedSteps / timing.wallSeconds)} (${of} ÷ study wall time; runs go in parallel)`]);
  }
  return ["## Machine and run", "", markdownTable(["", "value"], rows, ["left", "left"])].join("\n");
}
