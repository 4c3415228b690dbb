// The top of report.md: the title, an incomplete study's banner, the command that reproduces it and
// the config hash.
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

export function titleSection(summary: StudySummary, command: string, completeness: ReportInput["completeness"]): string {
  return [
    `# Study ${summary.name}`,
    "",
    ...completenessBanner(completeness),
    "Reproduce with:",
    "",
    "```sh",
    command,
    "```",
    "",
    `Config hash \`${summary.configHash}\`.`,
  ].join("\n");
}
