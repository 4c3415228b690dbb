// run's model flags: every model key is a flag (its description, default and group from the one
// table in config/modelKeys.ts); a single value goes to the study's base, a comma list sweeps a grid.
import type { Argv } from "yargs";
import { InputError } from "../config/inputError.js";
import { MODEL_KEYS } from "../config/modelKeys.js";
import { parseValueList } from "../config/overrides.js";
import { parseStudyConfig, type StudyConfig } from "../config/studyConfig.js";
import { parseFlagValue } from "../config/validateParams.js";
import { parseSeedCount } from "./engineOptions.js";

export function withModelFlags<T>(yargs: Argv<T>): Argv<T> {
  let y = yargs;
  for (const spec of MODEL_KEYS) {
    const defaultDescription = spec.defaultText ?? JSON.stringify(spec.default);
    // Every model flag is text, booleans too, so that `--bias true,false` sweeps like any other list
    // (a boolean flag would leave "true,false" behind as a stray argument); a bare `--bias` is true.
    const describe = spec.type === "boolean" ? `${spec.description} — true or false, bare means true` : spec.description;
    y = y.option(spec.key, { type: "string", describe, defaultDescription, group: "Model (a comma list sweeps a grid: --lambda 0,0.5,1):" });
  }
  return y;
}

/** Where run's config comes from, in error messages. */
const FLAGS_SOURCE = "command-line flags";

/**
 * The study that run's flags describe: single values go to `base`, comma lists (`--lambda 0,0.5,1`)
 * to `grid`, and `--seeds n` gives seeds seed … seed+n−1. Every value is checked, naming its flag.
 */
export function studyFromModelFlags(argv: Record<string, unknown>): StudyConfig {
  const base: Record<string, unknown> = {};
  const grid: Record<string, unknown[]> = {};
  for (const spec of MODEL_KEYS) {
    const raw = argv[spec.key];
    if (raw === undefined || spec.key === "seed") continue;
    if (Array.isArray(raw)) throw new InputError(`--${spec.key} was given more than once (a comma list sweeps values: --${spec.key} a,b)`, { key: spec.key });
    const text = raw === "" && spec.type === "boolean" ? "true" : String(raw);
    // a list key takes its comma list as one value (--stopAfter spurious,signal)
    if (text.includes(",") && spec.type !== "eventList") grid[spec.key] = parseValueList(spec.key, text, `--${spec.key}`);
    else base[spec.key] = parseFlagValue(spec.key, text);
  }
  const firstSeed = argv.seed === undefined ? 0 : String(argv.seed).includes(",") ? badSeedList() : (parseFlagValue("seed", String(argv.seed)) as number);
  const seedCount = parseSeedCount(argv.seeds as string | undefined, 1);
  return parseStudyConfig({ name: "run", base, grid, seeds: Array.from({ length: seedCount }, (_, i) => firstSeed + i) }, FLAGS_SOURCE);
}

function badSeedList(): never {
  throw new InputError("--seed: one first seed (--seeds n runs n seeds from it), not a list", { key: "seed" });
}

