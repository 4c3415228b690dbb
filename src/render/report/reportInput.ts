// What report.md is built from: the summary, the run records, the config and the machine it ran on.
import type { Pivot, PivotQuantity } from "../../analysis/pivot.js";
import type { EventSpec } from "../../kernel/events.js";
import type { RunRecord } from "../../store/runRecord.js";
import type { StudySummary } from "../../analysis/summaryTypes.js";

export interface ReportConfig {
  name: string;
  /** The config's description, which heads the report. */
  description?: string;
  base: Record<string, unknown>;
  grid: Record<string, unknown[]>;
  seeds: number[];
  events: Record<string, EventSpec>;
  /** Extra charts: each a list of scalar metric names drawn together. */
  charts: string[][];
}

interface ReportMeta {
  /** ISO date the report was written. */
  date: string;
  version: string;
  gitCommit: string | null;
  cpu: string;
  cores: number;
  node: string;
  /** How long the study took; null when unknown (a report regenerated from runs.jsonl, a merge). */
  timing: StudyTiming | null;
}

/**
 * The wall time of the call that wrote the report, and the runs it computed in that time (a resumed
 * study computes only the missing ones).
 */
export interface StudyTiming {
  wallSeconds: number;
  computed: readonly RunRecord[];
}

export interface ReportInput {
  summary: StudySummary;
  records: RunRecord[];
  config: ReportConfig;
  /** The command line that reproduces the results. */
  command: string;
  meta: ReportMeta;
  /** SVG figures written beside the report: path relative to it, caption, and a heatmap's pivot quantity. */
  figures?: { path: string; title: string; pivot?: string }[];
  /** The pivot tables, for a study with two or more grid keys. */
  pivot?: { pivot: Pivot; quantities: readonly PivotQuantity[] } | null;
  /** How complete the runs are; an incomplete study gets a banner at the top. */
  completeness?: { complete: boolean; expected: number; present: number; missing: number; setAside: number };
}
