// The top of report.md and details.md: the title, an incomplete study's banner; and the command
// that reproduces the study with its config hash.
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { countOf } from "../format.js";
import type { ReportInput } from "./reportInput.js";

/** The banner of an incomplete study (or one with runs set aside); empty when there is nothing to say. */
function completenessBanner(c: ReportInput["completeness"]): string[] {
  if (c === undefined || (c.complete && c.setAside === 0)) return [];
  const lines: string[] = [];
  if (!c.complete) lines.push(`> **Incomplete study: ${c.present} of ${c.expected} runs present, ${c.missing} missing.** Every statistic below covers only the runs present; see \`completeness\` in summary.json for which.`);
  if (c.setAside > 0) lines.push(`> ${countOf(c.setAside, "run")} found in the results but not asked for by the config (kept in the runs file, not counted).`);
  return [...lines.flatMap((l, i) => (i === 0 ? [l] : [">", l])), ""];
}

/** "# Study quick" (": details" for details.md) and an incomplete study's banner. */
export function titleSection(summary: StudySummary, completeness: ReportInput["completeness"], part?: string): string {
  return [`# Study ${summary.name}${part === undefined ? "" : `: ${part}`}`, "", ...completenessBanner(completeness)].join("\n").trimEnd();
}

/** The command that reproduces the results, and the study's hash. */
export function reproduceSection(summary: StudySummary, command: string): string {
  return [
    "Reproduce with:",
    "",
    "```sh",
    command,
    "```",
    "",
    `Config hash \`${summary.configHash}\`.`,
  ].join("\n");
}
