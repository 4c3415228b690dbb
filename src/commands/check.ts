// `shortcut-bench check <dir>`: threshold rules over a study's summary.json and/or the baseline
// test over its event-steps.json (SPEC §5). One PASS/FAIL line per check, then "N passed, M failed";
// exit 0 all pass, 1 any fails, 2 on bad input (InputError).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Argv } from "yargs";
import { runBaselineGate } from "../analysis/baselineGate.js";
import { checkTally, runThresholdChecks, type CheckResult } from "../analysis/check.js";
import { readEventSteps } from "../analysis/eventSteps.js";
import type { StudySummary } from "../analysis/summaryTypes.js";
import { InputError } from "../config/inputError.js";
import { loadThresholdsFile, validateCheckRules, type CheckRule } from "../config/studyConfig.js";
import { isPlainObject } from "../config/validateParams.js";
import { readResolvedConfig } from "../study/resolvedConfig.js";
import { EXIT_FAILED, EXIT_OK } from "./exitCodes.js";

const DEFAULT_TOLERANCE = 0;
const DEFAULT_ALPHA = 0.05;

export function checkCommandBuilder(yargs: Argv) {
  return yargs
    .positional("dir", { type: "string", describe: "results directory holding summary.json" })
    .option("thresholds", { type: "string", defaultDescription: "the config's own checks", describe: "JSON5 file of check rules" })
    .option("baseline", {
      type: "string",
      describe:
        "results directory to test against: one-sided stratified log-rank test over conditions × events, " +
        "permuting seeds (paired when both ran the same seeds); fails when learning got slower",
    })
    .option("alpha", { type: "string", defaultDescription: String(DEFAULT_ALPHA), describe: "level of the baseline test" })
    .option("tolerance", {
      type: "string",
      defaultDescription: String(DEFAULT_TOLERANCE),
      describe: "non-inferiority margin of the baseline test: a slowdown by at most this factor is allowed (0.1 = 10%)",
    })
    .option("allow-partial", {
      type: "boolean",
      describe: "run the baseline test even when a side has runs missing against its config, or the two share no condition",
    });
}

/** Reads and minimally validates `<dir>/summary.json`; InputError naming the file otherwise. */
function readSummary(dir: string): StudySummary {
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
    throw new InputError(`--tolerance must be a number ≥ 0 (0.1 allows 10% slower), got '${text}'`, { key: "tolerance" });
  }
  return tolerance;
}

function parseAlpha(raw: unknown): number {
  if (raw === undefined) return DEFAULT_ALPHA;
  const text = String(raw);
  const alpha = Number(text);
  if (Array.isArray(raw) || text.trim() === "" || !(alpha > 0 && alpha < 1)) {
    throw new InputError(`--alpha must be a number in (0, 1), e.g. 0.05, got '${text}'`, { key: "alpha" });
  }
  return alpha;
}

export async function checkCommand(argv: Record<string, unknown>): Promise<number> {
  const dir = argv.dir as string;
  if (!existsSync(dir)) throw new InputError(`${dir}: no such directory`, { file: dir });
  const summary = readSummary(dir);
  const tolerance = parseTolerance(argv.tolerance);
  const alpha = parseAlpha(argv.alpha);
  const allowPartial = argv.allowPartial === true || argv["allow-partial"] === true;
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
    const gate = runBaselineGate(readEventSteps(dir), readEventSteps(baselineDir), { alpha, tolerance, allowPartial }, baselineDir);
    results.push(...gate);
  }
  for (const r of results) process.stdout.write(`${r.line}\n`);
  const tally = checkTally(results);
  process.stdout.write(`${tally.line}\n`);
  return tally.failed > 0 ? EXIT_FAILED : EXIT_OK;
}
