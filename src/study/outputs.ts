// What a results directory's runs become: the summary under the config they were made from, and
// summary.json, event-steps.json (what `check --baseline` tests), figures/*.svg and report.md beside
// runs.jsonl, each written atomically (a crash or a full disk never leaves half a file). Used by
// study, report and merge.
import { execFileSync } from "node:child_process";
import { cpus, availableParallelism } from "node:os";
import { join } from "node:path";
import { EVENT_STEPS_FILE, eventStepsOf, renderEventSteps } from "../analysis/eventSteps.js";
import { summarizeStudy, type StudySummary } from "../analysis/summary.js";
import { conditionsOf } from "../config/studyConfig.js";
import { renderDetails, renderReport, type StudyTiming } from "../render/studyReport.js";
import { FIGURES_DIR, writeFigures } from "../render/figures/figureFiles.js";
import { studyFigures } from "../render/figures/studyFigures.js";
import type { RunRecord } from "../store/runRecord.js";
import { DETAILS_FILE, REPORT_FILE, REPORT_HTML_FILE, SUMMARY_FILE, writeFileAtomic } from "../store/resultsDir.js";
import { renderReportHtml } from "../render/html/reportHtml.js";
import { pivotAxes, pivotConditions, pivotQuantities } from "../analysis/pivot.js";
import { mergeViewOptions, type ViewOptions } from "../config/viewOptions.js";
import { VERSION } from "../version.js";
import { configHash } from "../store/configHash.js";
import { runsHash, sealed, type DerivedSource } from "../store/derivedSource.js";
import { completenessOf, type Completeness } from "./completeness.js";
import { gapsOf, type ResolvedStudyConfig } from "./resolvedConfig.js";

/** The git commit of the working directory, when it is a git checkout. */
export function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

/** The final metrics the pivot tables show beside the events. */
export const PIVOT_FINALS = ["wga"] as const;

/** summary.json: the statistics, how complete the runs they come from are, and which runs those are. */
export type ResultsSummary = StudySummary & { completeness: Completeness; source: DerivedSource };

/**
 * The summary of a results directory's counted records (one per pair the config asks for) under
 * the config they were made from; `setAside` runs were found but not counted.
 */
export function summarizeResults(records: readonly RunRecord[], hash: string, config: ResolvedStudyConfig, setAside = 0): ResultsSummary {
  const summary = summarizeStudy({
    name: config.name,
    configHash: hash,
    events: config.events,
    grid: config.grid,
    conditions: conditionsOf(config),
    records,
    gaps: gapsOf(config),
    effects: config.effects,
  });
  return { ...summary, completeness: completenessOf(config, records, setAside), source: derivedSourceOf(records, hash, config) };
}

/** The source of the caches built from `records` under `config` (see store/derivedSource.ts). */
export function derivedSourceOf(records: readonly RunRecord[], hash: string, config: ResolvedStudyConfig): DerivedSource {
  return { name: config.name, studyHash: hash, contentHash: configHash(config), runs: records.length, runsHash: runsHash(records) };
}

export async function writeStudyOutputs(
  dir: string,
  summary: ResultsSummary,
  records: readonly RunRecord[],
  config: ResolvedStudyConfig,
  run: { command: string; timing: StudyTiming | null; views?: ViewOptions },
): Promise<void> {
  // Everything is rendered before the first file is written: a renderer that throws leaves the
  // outputs as they were, and the files, each atomic, are replaced one right after another.
  const summaryText = JSON.stringify(sealed(summary), null, 1) + "\n";
  const eventSteps = renderEventSteps(sealed(eventStepsOf(records, config, summary.source)));
  const views = mergeViewOptions(config.figures ?? {}, run.views ?? {});
  const axes = pivotAxes(summary.grid, views);
  const pivot = axes === null ? null : { pivot: pivotConditions(summary, axes), quantities: pivotQuantities(summary, PIVOT_FINALS) };
  const figures = await studyFigures({ summary, records, charts: config.charts, views, pivot });
  const input = {
    summary,
    completeness: summary.completeness,
    records: [...records],
    config,
    command: run.command,
    figures: figures.map((f) => ({ path: `${FIGURES_DIR}/${f.file}`, title: f.title, ...(f.pivot === undefined ? {} : { pivot: f.pivot }) })),
    pivot,
    meta: {
      date: new Date().toISOString(),
      version: VERSION,
      gitCommit: gitCommit(),
      cpu: cpus()[0]?.model ?? "unknown",
      cores: availableParallelism(),
      node: process.version,
      timing: run.timing,
    },
  };
  const report = renderReport(input);
  const details = renderDetails(input);
  const html = await renderReportHtml({
    title: `Study ${summary.name}`,
    report,
    details,
    figures: figures.map((f) => ({ path: `${FIGURES_DIR}/${f.file}`, spec: f.pageSpec ?? f.spec })),
  });
  writeFileAtomic(join(dir, SUMMARY_FILE), summaryText);
  writeFileAtomic(join(dir, EVENT_STEPS_FILE), eventSteps);
  writeFigures(dir, figures);
  writeFileAtomic(join(dir, DETAILS_FILE), details);
  writeFileAtomic(join(dir, REPORT_FILE), report);
  writeFileAtomic(join(dir, REPORT_HTML_FILE), html);
}
