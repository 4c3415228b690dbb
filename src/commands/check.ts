// `shortcut-bench check <dir>`: threshold rules over a study's summary.json and/or the baseline
// test over its event-steps.json (SPEC §5). One PASS/FAIL line per check, then "N passed, M failed";
// exit 0 all pass, 1 any fails, 2 on bad input (InputError).
import type { Argv } from "yargs";
import { checkTally } from "../analysis/check.js";
import { InputError } from "../config/inputError.js";
import { checkStudy } from "../study/check.js";
import { EXIT_FAILED, EXIT_OK } from "./exitCodes.js";

const DEFAULT_TOLERANCE = 0;
const DEFAULT_ALPHA = 0.05;

export function checkCommandBuilder(yargs: Argv) {
  return yargs
    .positional("dir", { type: "string", describe: "results directory holding summary.json" })
    .option("thresholds", { type: "string", defaultDescription: "the config's own checks, unless --baseline is given", describe: "JSON5 file of check rules" })
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
  const { results, warnings } = checkStudy({
    dir: argv.dir as string,
    thresholdsFile: argv.thresholds as string | undefined,
    baselineDir: argv.baseline as string | undefined,
    gate: {
      alpha: parseAlpha(argv.alpha),
      tolerance: parseTolerance(argv.tolerance),
      allowPartial: argv.allowPartial === true || argv["allow-partial"] === true,
    },
  });
  for (const w of warnings) process.stderr.write(`shortcut-bench: warning: ${w}\n`);
  for (const r of results) process.stdout.write(`${r.line}\n`);
  const tally = checkTally(results);
  process.stdout.write(`${tally.line}\n`);
  return tally.failed > 0 ? EXIT_FAILED : EXIT_OK;
}
