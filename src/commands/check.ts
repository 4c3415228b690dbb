// `shortcut-bench check <dir>`: threshold rules and/or a baseline over a study's summary.json
// (SPEC §5). One PASS/FAIL line per check, then "N passed, M failed"; exit 0 all pass, 1 any fails,
// 2 on bad input (InputError).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Argv } from "yargs";
import { checkTally, runBaselineChecks, runThresholdChecks, type CheckResult } from "../analysis/check.js";
import type { StudySummary } from "../analysis/summary.js";
import { InputError } from "../config/inputError.js";
import { loadThresholdsFile, validateCheckRules, type CheckRule } from "../config/studyConfig.js";
import { isPlainObject } from "../config/validateParams.js";
import { readResolvedConfig } from "../study/resolvedConfig.js";

export const DEFAULT_TOLERANCE = 0.25;

export function checkCommandBuilder(yargs: Argv) {
  return yargs
    .positional("dir", { type: "string", describe: "results directory holding summary.json" })
    .option("thresholds", { type: "string", describe: "JSON5 file of check rules (default: the config's own checks)" })
    .option("baseline", { type: "string", describe: "results directory to compare median event steps against" })
    .option("tolerance", {
      type: "string",
      describe: `relative slowdown of a median event step allowed against --baseline (default ${DEFAULT_TOLERANCE})`,
    });
}

/** Reads and minimally validates `<dir>/summary.json`; InputError naming the file otherwise. */
export function readSummary(dir: string): StudySummary {
  const file = join(dir, "summary.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file (is this a results directory of a finished study?)" : (err as Error).message;
    throw new InputError(`${file}: ${why}`, { file });
  }
  const ok =
    isPlainObject(parsed) &&
    Array.isArray(parsed.conditions) &&
    parsed.conditions.every((c) => isPlainObject(c) && isPlainObject(c.condition) && isPlainObject(c.events)) &&
    isPlainObject(parsed.events) &&
    isPlainObject(parsed.grid);
  if (!ok) throw new InputError(`${file}: not a summary.json written by shortcut-bench (needs 'conditions', 'events' and 'grid')`, { file });
  return parsed as unknown as StudySummary;
}

function parseTolerance(raw: unknown): number {
  if (raw === undefined) return DEFAULT_TOLERANCE;
  const text = String(raw);
  const tolerance = Number(text);
  if (Array.isArray(raw) || text.trim() === "" || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new InputError(`--tolerance must be a number ≥ 0 (0.25 allows 25% slower), got '${text}'`, { key: "tolerance" });
  }
  return tolerance;
}

export async function checkCommand(argv: Record<string, unknown>): Promise<number> {
  const dir = argv.dir as string;
  if (!existsSync(dir)) throw new InputError(`${dir}: no such directory`, { file: dir });
  const summary = readSummary(dir);
  const tolerance = parseTolerance(argv.tolerance);
  const thresholdsFile = argv.thresholds as string | undefined;
  const baselineDir = argv.baseline as string | undefined;

  // The base params let a rule's `where` name a key that is not in the grid.
  const resolvedFile = join(dir, "config.resolved.json");
  const resolved = existsSync(resolvedFile) ? readResolvedConfig(dir) : null;
  const base = resolved?.config.base ?? {};
  const paramsOf = resolved === null ? undefined : (condition: Record<string, unknown>) => ({ ...base, ...condition });

  let rules: CheckRule[];
  if (thresholdsFile !== undefined) {
    rules = loadThresholdsFile(thresholdsFile, summary.events, summary.grid);
  } else if (resolved !== null) {
    // Re-validated: the file may have been edited since the study wrote it.
    rules = validateCheckRules(resolved.config.checks ?? [], { file: resolvedFile, path: "config.checks" }, summary.events, summary.grid);
  } else {
    rules = [];
  }
  if (rules.length === 0 && baselineDir === undefined) {
    const source = thresholdsFile !== undefined ? thresholdsFile : resolved !== null ? `the checks of ${resolvedFile}` : `${resolvedFile} (missing)`;
    throw new InputError(`nothing to check: no rules in ${source} and no --baseline; give --thresholds FILE or --baseline DIR`);
  }

  const results: CheckResult[] = runThresholdChecks(summary, rules, paramsOf);
  if (baselineDir !== undefined) {
    if (!existsSync(baselineDir)) throw new InputError(`${baselineDir}: no such directory (--baseline)`, { file: baselineDir });
    results.push(...runBaselineChecks(summary, readSummary(baselineDir), tolerance));
  }
  for (const r of results) process.stdout.write(`${r.line}\n`);
  const tally = checkTally(results);
  process.stdout.write(`${tally.line}\n`);
  return tally.failed > 0 ? 1 : 0;
}
