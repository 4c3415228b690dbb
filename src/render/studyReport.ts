// report.md (SPEC §5): a Markdown report of a study, built from its summary and run records alone,
// readable on GitHub and in a terminal (tables padded to aligned columns, charts in fenced blocks,
// no line of a chart wider than 100 columns). Each section is rendered by its own file under
// report/, named after its heading; this file puts them in order.
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
import { ratesSection } from "./report/rates.js";
import type { ReportInput } from "./report/reportInput.js";
import { timeToEventSection } from "./report/timeToEvent.js";
import { titleSection } from "./report/title.js";

export { HEADLINE_FINALS, headlineTable } from "./report/headline.js";
export type { ReportInput, StudyTiming } from "./report/reportInput.js";

/** The Markdown report of a study (SPEC §5). */
export function renderReport(input: ReportInput): string {
  const { summary, config } = input;
  const sections = [
    titleSection(summary, input.command, input.completeness),
    machineAndRunSection(input),
    parametersSection(config),
    headlineSection(summary),
    timeToEventSection(summary),
    gapsSection(summary),
    ratesSection(summary),
    eventOrderSection(summary),
    checkpointsSection(summary, config),
    figuresSection(input.figures ?? []),
    medianTrajectoriesSection(summary, config.charts),
    comparisonsSection(summary),
    divergencesSection(summary, input.records),
  ];
  return sections.join("\n\n") + "\n";
}
