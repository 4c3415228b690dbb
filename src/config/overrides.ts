// Command-line overrides of a study config, in Hydra's convention: `--set lr=0.4`,
// `--set base.steps=500`, `--set seeds=20` replace single values; `--grid lambda=0,0.25,0.5` sweeps a
// key over a comma list. They are applied to the config as read, before it is validated, so they are
// part of the resolved config and its hash like any key written in the file.
import JSON5 from "json5";
import { InputError } from "./inputError.js";
import { MODEL_KEY_NAMES, type ModelKey } from "./modelKeys.js";
import { isPlainObject, modelKeySpec, parseFlagValue, show } from "./validateParams.js";
import { parseStudyConfig, type StudyConfig } from "./studyConfig.js";
import { readJson5File } from "./readJson5File.js";

export interface ConfigOverrides {
  /** `key=value` texts of --set, in the order given (a later one wins). */
  set: readonly string[];
  /** `key=a,b,c` texts of --grid, in the order given. */
  grid: readonly string[];
}

const CONFIG_KEYS = MODEL_KEY_NAMES.filter((key) => key !== "seed");

/** Reads a study config (or takes it already read, as `raw`), applies the overrides, and validates the result. */
export function loadStudyConfigWithOverrides(file: string, overrides: ConfigOverrides, raw: unknown = readJson5File(file)): StudyConfig {
  if (overrides.set.length === 0 && overrides.grid.length === 0) return parseStudyConfig(raw, file);
  const changed = applyOverrides(raw, overrides);
  try {
    return parseStudyConfig(changed, file);
  } catch (err) {
    // A rule across keys (e.g. batch ≤ trainSize) may fail only because of an override: say which.
    if (err instanceof InputError) throw new InputError(`${err.message} (with ${describeOverrides(overrides)})`, { file: err.file, key: err.key });
    throw err;
  }
}

function describeOverrides(overrides: ConfigOverrides): string {
  return [...overrides.set.map((o) => `--set ${o}`), ...overrides.grid.map((o) => `--grid ${o}`)].join(" ");
}

/** The config object `raw` (parsed, not yet validated) with the overrides applied; `raw` is left as is. */
export function applyOverrides(raw: unknown, overrides: ConfigOverrides): unknown {
  if (!isPlainObject(raw)) return raw; // parseStudyConfig says what is wrong with it
  const base: Record<string, unknown> = isPlainObject(raw.base) ? { ...raw.base } : {};
  const grid: Record<string, unknown> = isPlainObject(raw.grid) ? { ...raw.grid } : {};
  const out: Record<string, unknown> = { ...raw };

  for (const text of overrides.grid) {
    const { path, value } = splitAssignment("--grid", text, "lambda=0,0.25,0.5");
    const key = modelKeyOf(path, "grid", `--grid ${path}`);
    grid[key] = parseValueList(key, value, `--grid ${key}`);
    delete base[key]; // the grid gives the key its values now
  }
  for (const text of overrides.set) {
    const { path, value } = splitAssignment("--set", text, "lr=0.4 or --set base.steps=500");
    const flag = `--set ${path}`;
    if (path === "seeds") {
      out.seeds = parseSeeds(value, flag);
      continue;
    }
    if (path === "checks") {
      out.checks = parseChecksOverride(value, flag);
      continue;
    }
    if (path === "name" || path === "description") {
      out[path] = value;
      continue;
    }
    const key = modelKeyOf(path, "base", flag);
    if (Object.hasOwn(grid, key)) {
      throw new InputError(`${flag}: '${key}' is a grid key of this config (values ${show(grid[key])}); use --grid ${key}=… to replace its values`, { key: flag });
    }
    base[key] = parseFlagValue(key, value, flag);
  }
  out.base = base;
  if (Object.keys(grid).length > 0 || raw.grid !== undefined) out.grid = grid;
  // A --grid that narrows a key leaves out the config's own rules about the values it dropped: they
  // apply to no condition of this study (checking them would only fail for want of one).
  const narrowed = new Set(overrides.grid.map((text) => splitAssignment("--grid", text, "").path.replace(/^grid\./, "")));
  if (narrowed.size > 0 && Array.isArray(out.checks)) {
    out.checks = out.checks.filter((rule) => {
      const where = isPlainObject(rule) && isPlainObject(rule.where) ? rule.where : {};
      return Object.entries(where).every(([key, value]) => !narrowed.has(key) || !Array.isArray(grid[key]) || (grid[key] as unknown[]).some((v) => JSON.stringify(v) === JSON.stringify(value)));
    });
  }
  return out;
}

/** `--set checks=[]` (no checks) or a JSON5 list of rules; validated with the config. */
function parseChecksOverride(text: string, flag: string): unknown[] {
  let value: unknown;
  try {
    value = JSON5.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value)) throw new InputError(`${flag}: expected a list of check rules (checks=[] for none), got '${text}'`, { key: flag });
  return value;
}

/**
 * A comma list of values of one model key (`0,0.5,1`, `relu,leaky`), each checked against the key's
 * range; repeats are refused (two conditions would be the same). Errors name `flag`.
 */
export function parseValueList(key: ModelKey, text: string, flag: string): unknown[] {
  const items = text.split(",");
  const values: unknown[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.trim() === "") throw new InputError(`${flag}: empty value in the list '${text}' (write values separated by commas, e.g. 0,0.5,1)`, { key: flag });
    const value = parseFlagValue(key, item, flag);
    const identity = JSON.stringify(value);
    if (seen.has(identity)) throw new InputError(`${flag}: the value ${show(value)} appears twice in '${text}'`, { key: flag });
    seen.add(identity);
    values.push(value);
  }
  return values;
}

function splitAssignment(flag: string, text: string, example: string): { path: string; value: string } {
  const at = text.indexOf("=");
  const path = at < 0 ? "" : text.slice(0, at).trim();
  if (at < 0 || path === "") throw new InputError(`${flag}: expected key=value (e.g. ${flag} ${example}), got '${text}'`, { key: flag });
  return { path, value: text.slice(at + 1) };
}

/** `lr` or `<section>.lr` → the model key `lr`; anything else is refused with the nearest key. */
function modelKeyOf(path: string, section: "base" | "grid", flag: string): ModelKey {
  const key = path.startsWith(`${section}.`) ? path.slice(section.length + 1) : path;
  if (key === "seed") throw new InputError(`${flag}: the seed of each run comes from 'seeds': --seeds N (seeds 0 … N−1), or --set 'seeds=[3]' for seed 3 alone`, { key: flag });
  const allowed = section === "base" ? [...CONFIG_KEYS, "seeds", "checks", "name", "description"] : CONFIG_KEYS;
  if (!(CONFIG_KEYS as readonly string[]).includes(key)) modelKeySpec(key, flag.split(" ")[0], allowed);
  return key as ModelKey;
}

/** `--set seeds=20` (a count) or `--set seeds=[0,3,7]` (a list); validated with the config. */
function parseSeeds(text: string, flag: string): unknown {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const list = /^\[(.*)\]$/.exec(trimmed);
  if (list !== null && list[1].split(",").every((s) => /^\s*\d+\s*$/.test(s))) return list[1].split(",").map(Number);
  throw new InputError(`${flag}: expected a count (seeds=20) or a list of seeds (seeds=[0,3,7]), got '${text}'`, { key: flag });
}
