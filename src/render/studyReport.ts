// report.md and details.md (SPEC §5, issue 22): a Markdown report of a study, built from its summary
// and run records alone, readable on GitHub and in a terminal (tables padded to aligned columns,
// charts in fenced blocks, no line of a chart wider than 100 columns). report.md reads in a
// minute — what was run, the answers, the pivot tables, the figures; details.md beside it holds
// every per-condition table it used to. Each section is rendered by its own file under report/,
// named after its heading; this file puts them in order.
import { answersSection } from "./report/answers.js";
import { checkpointsSection } from "./report/checkpoints.js";
import { comparisonsSection } from "./report/comparisons.js";
import { divergencesSection } from "./report/divergences.js";
import { eventOrderSection } from "./report/eventOrder.js";
import { figuresSection } from "./report/figures.js";
import { gapsSection } from "./report/gaps.js";
import { headlineSection } from "./report/headline.js";
import { machineAndRunSection } from "./report/machineAndRun.js";
import { medianTrajectoriesSection } from "./report/medianTrajectories.js";
import { parametersSection } from "./report/parameters.js";
import { pivotTablesSection } from "./report/pivotTables.js";
import { ratesSection } from "./report/rates.js";
import type { ReportInput } from "./report/reportInput.js";
import { timeToEventSection } from "./report/timeToEvent.js";
import { reproduceSection, titleSection } from "./report/title.js";
import { whatWasRunLine } from "./report/whatWasRun.js";
import { DETAILS_FILE } from "../store/resultsDir.js";

export { HEADLINE_FINALS, headlineTable } from "./report/headline.js";
export type { ReportInput, StudyTiming } from "./report/reportInput.js";

/** report.md: what a reader needs first, on about one screen; the rest is in details.md. */
export function renderReport(input: ReportInput): string {
  const { summary } = input;
  const figures = input.figures ?? [];
  const heatmaps = new Map(figures.flatMap((f) => (f.pivot === undefined ? [] : [[f.pivot, f.path] as const])));
  const sections = [
    titleSection(summary, input.completeness),
    ...(input.config.description === undefined ? [] : [input.config.description]),
    whatWasRunLine(input),
    answersSection(summary),
    input.pivot ? pivotTablesSection(input.pivot.pivot, input.pivot.quantities, heatmaps) : headlineSection(summary),
    figuresSection(figures.filter((f) => f.pivot === undefined)),
    [
      "## Details",
      "",
      `Every per-condition number — the machine and run, the parameters, the headline table, time to event, the lead ` +
        `between events, rates, event ` +
        `order, checkpoints, ASCII charts of the median trajectories, the comparisons, divergences and censoring — is in ` +
        `[${DETAILS_FILE}](${DETAILS_FILE}).`,
    ].join("\n"),
  ];
  return sections.join("\n\n") + "\n";
}

/** details.md: every per-condition table of the study, after the command that reproduces it. */
export function renderDetails(input: ReportInput): string {
  const { summary, config } = input;
  const sections = [
    titleSection(summary, input.completeness, "details"),
    reproduceSection(summary, input.command),
    machineAndRunSection(input),
    parametersSection(config),
    headlineSection(summary),
    timeToEventSection(summary),
    gapsSection(summary),
    ratesSection(summary),
    eventOrderSection(summary),
    checkpointsSection(summary, config),
    medianTrajectoriesSection(summary, config.charts),
    comparisonsSection(summary),
    divergencesSection(summary, input.records),
  ];
  return sections.join("\n\n") + "\n";
}
