// `check`'s work: the threshold rules (from --thresholds, else the checks the study's config holds)
// over summary.json, then the baseline test over event-steps.json. Every refusal is an InputError
// naming the file or flag, before any line is printed.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runBaselineGate, type GateOptions } from "../analysis/baselineGate.js";
import { runThresholdChecks, type CheckResult } from "../analysis/check.js";
import { readEventSteps } from "../analysis/eventSteps.js";
import type { StudySummary } from "../analysis/summaryTypes.js";
import { InputError } from "../config/inputError.js";
import { loadThresholdsFile, validateCheckRules, type CheckRule } from "../config/studyConfig.js";
import { isPlainObject } from "../config/validateParams.js";
import { RESOLVED_CONFIG_FILE, SUMMARY_FILE } from "../store/resultsDir.js";
import { readResolvedConfig } from "./resolvedConfig.js";
import { readJsonFile } from "../store/jsonFile.js";

export interface CheckRequest {
  dir: string;
  /** A JSON5 file of rules; without it, the checks of the study's own config. */
  thresholdsFile?: string;
  /** A results directory to test learning times against. */
  baselineDir?: string;
  gate: GateOptions;
}

/** Reads and minimally validates `<dir>/summary.json`; InputError naming the file otherwise. */
function readSummary(dir: string): StudySummary {
  const file = join(dir, SUMMARY_FILE);
  const parsed = readJsonFile(file, "no such file (is this a results directory of a finished study?)");
  const ok =
    isPlainObject(parsed) &&
    Array.isArray(parsed.conditions) &&
    parsed.conditions.every((c) => isPlainObject(c) && isPlainObject(c.condition) && isPlainObject(c.events)) &&
    isPlainObject(parsed.events) &&
    isPlainObject(parsed.grid);
  if (!ok) throw new InputError(`${file}: not a summary.json written by shortcut-bench (needs 'conditions', 'events' and 'grid')`, { file });
  return parsed as unknown as StudySummary;
}

/** One line per rule (and the baseline test's lines), in order; the caller tallies them. */
export function checkStudy(request: CheckRequest): CheckResult[] {
  const { dir, thresholdsFile, baselineDir } = request;
  if (!existsSync(dir)) throw new InputError(`${dir}: no such directory`, { file: dir });
  const summary = readSummary(dir);

  // The base params let a rule's `where` name a key that is not in the grid.
  const resolvedFile = join(dir, RESOLVED_CONFIG_FILE);
  const resolved = existsSync(resolvedFile) ? readResolvedConfig(dir) : null;
  const base = resolved?.config.base ?? {};
  const paramsOf = resolved === null ? undefined : (condition: Record<string, unknown>) => ({ ...base, ...condition });

  let rules: CheckRule[];
  if (thresholdsFile !== undefined) {
    rules = loadThresholdsFile(thresholdsFile, summary.events, summary.grid, summary.gaps);
  } else if (resolved !== null) {
    // Re-validated: the file may have been edited since the study wrote it.
    rules = validateCheckRules(resolved.config.checks ?? [], { file: resolvedFile, path: "config.checks" }, summary.events, summary.grid, summary.gaps);
  } else {
    rules = [];
  }
  if (rules.length === 0 && baselineDir === undefined) {
    const source = thresholdsFile !== undefined ? thresholdsFile : resolved !== null ? `the checks of ${resolvedFile}` : `${resolvedFile} (missing)`;
    throw new InputError(`nothing to check: no rules in ${source} and no --baseline; give --thresholds FILE or --baseline DIR`);
  }
  if (baselineDir !== undefined && !existsSync(baselineDir)) {
    throw new InputError(`${baselineDir}: no such directory (--baseline)`, { file: baselineDir });
  }

  const results = runThresholdChecks(summary, rules, paramsOf);
  if (baselineDir !== undefined) results.push(...runBaselineGate(readEventSteps(dir), readEventSteps(baselineDir), request.gate, baselineDir));
  return results;
}
