// `check`'s work: the threshold rules (from --thresholds, else the checks the study's config holds)
// over summary.json, then the baseline test over event-steps.json. Every refusal is an InputError
// naming the file or flag, before any line is printed.
import { join } from "node:path";
import { runBaselineGate, type GateOptions } from "../analysis/baselineGate.js";
import { runThresholdChecks, type CheckResult } from "../analysis/check.js";
import { InputError } from "../config/inputError.js";
import { loadThresholdsFile, type CheckRule } from "../config/checkRules.js";
import { RESOLVED_CONFIG_FILE } from "../store/resultsDir.js";
import { readVerifiedResults } from "./derivedFiles.js";
import type { EventSteps } from "../analysis/eventSteps.js";
import type { ResultsSummary } from "./outputs.js";

export interface CheckRequest {
  dir: string;
  /** A JSON5 file of rules; without it, the checks of the study's own config. */
  thresholdsFile?: string;
  /** A results directory to test learning times against. */
  baselineDir?: string;
  gate: GateOptions;
}

/**
 * What `check` and `study --check` say when there is nothing to check (the same words, exit 2): a
 * check that checks nothing must not pass a CI gate silently.
 */
export function nothingToCheck(source: string, baselineHint = true): InputError {
  return new InputError(`nothing to check: no rules in ${source}${baselineHint ? " and no --baseline; give --thresholds FILE or --baseline DIR" : "; add 'checks' to the config"}`);
}

/**
 * One line per rule (and the baseline test's lines), in order; the caller tallies them. The rules are
 * those of --thresholds, else — unless --baseline alone was asked for — the config's own checks.
 */
export function checkStudy(request: CheckRequest): { results: CheckResult[]; warnings: string[] } {
  const { dir, thresholdsFile, baselineDir } = request;
  const baseline = baselineDir === undefined ? null : readVerifiedResults(baselineDir, "--baseline", { summary: false, eventSteps: true });
  const study = readVerifiedResults(dir, "check", { summary: true, eventSteps: baselineDir !== undefined });
  const { config } = study;
  const summary = study.summary as ResultsSummary;
  const resolvedFile = join(dir, RESOLVED_CONFIG_FILE);
  // The base params let a rule's `where` name a key that is not in the grid.
  const paramsOf = (condition: Record<string, unknown>) => ({ ...config.base, ...condition });

  // The config's checks were validated when config.resolved.json was read (and its content hash
  // says they are the ones the study was run with); --baseline alone runs the baseline test alone.
  let rules: CheckRule[];
  if (thresholdsFile !== undefined) rules = loadThresholdsFile(thresholdsFile, summary.events, summary.grid, summary.gaps);
  else if (baselineDir !== undefined) rules = [];
  else rules = config.checks as CheckRule[];
  if (rules.length === 0 && baselineDir === undefined) {
    const source = thresholdsFile !== undefined ? thresholdsFile : `the checks of ${resolvedFile}`;
    throw nothingToCheck(source);
  }

  const results = runThresholdChecks(summary, rules, paramsOf);
  if (baseline !== null && baselineDir !== undefined) {
    results.push(...runBaselineGate(study.eventSteps as EventSteps, baseline.eventSteps as EventSteps, request.gate, baselineDir));
  }
  return { results, warnings: [...study.warnings, ...(baseline?.warnings ?? [])] };
}
