// Parts of the paper page shared by the shortcut paper's sections (paperPage.ts) and the companion
// results' sections (companionPage.ts): links, check blocks, verdicts, a study's setting in words.
import type { ConditionSummary, StudySummary } from "../analysis/summary.js";
import type { ResolvedStudyConfig } from "../study/resolvedConfig.js";
import { canonicalJson } from "../store/configHash.js";
import { conditionLabel } from "./format.js";
import type { PaperPageInput, PaperStudyResult } from "./paperPage.js";

/** A Markdown link to a study's report, relative to the page. */
export const link = (name: string) => `[${name}](${name}/report.md)`;

/** The condition of `s` with every value of `condition` (grid keys, compared as JSON). */
export function find(s: StudySummary, condition: Record<string, unknown>): ConditionSummary | undefined {
  return s.conditions.find((c) => Object.entries(condition).every(([k, v]) => canonicalJson(c.condition[k] ?? null) === canonicalJson(v)));
}

export function checkBlock(study: PaperStudyResult): string {
  if (study.checks === null) return "_(no checks)_";
  return ["```text", ...study.checks.lines, study.checks.tally, "```"].join("\n");
}

/** PASS when every rule passed, PARTIAL when some did, FAIL when none did, with passed/counted. */
export function verdict(study: PaperStudyResult | undefined): string {
  if (study === undefined) return "no results";
  if (study.checks === null) return "—";
  const counted = study.checks.lines.filter((l) => !l.startsWith("NOTE")).length;
  const passed = study.checks.lines.filter((l) => l.startsWith("PASS")).length;
  const word = study.checks.pass ? "PASS" : passed > 0 ? "PARTIAL" : "FAIL";
  return `**${word}** ${passed}/${counted}`;
}

/** The grid, the seeds and the fixed keys of a study in one sentence. */
export function setting(cfg: ResolvedStudyConfig): string {
  const grid = Object.entries(cfg.grid).map(([k, v]) => `${k} ∈ {${v.map((x) => (typeof x === "object" ? conditionLabel({ variant: x }) : String(x))).join(", ")}}`).join(", ");
  const b = cfg.base as Record<string, unknown>;
  const variantKeys = new Set((cfg.grid.variant ?? []).flatMap((v) => Object.keys(v as Record<string, unknown>)));
  const fixed = [["d", `d = ${b.d}`], ["width", `width ${b.width}`], ["batch", `batch ${b.batch}`], ["lr", `lr ${b.lr}`], ["steps", `${b.steps} steps`], ["evalEvery", `evaluated every ${b.evalEvery}`]]
    .filter(([key]) => !(key in cfg.grid) && !variantKeys.has(key))
    .map(([, text]) => text);
  return `${grid}; ${cfg.seeds.length} seeds; ${fixed.join(", ")}.`;
}

/** The Markdown image of the figure of `key` (a claim, or a companion study's name), if drawn. */
export function figure(input: PaperPageInput, key: number | string): string[] {
  const f = input.figures.get(key);
  return f === undefined ? [] : [`![${f.title}](${f.path})`, ""];
}
