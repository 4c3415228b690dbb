// The resolved config of a study: the config with every default filled in, what its results were
// made from. Written to config.resolved.json as { hash, config }, where the hash is that of the
// study's identity (studyHash): what decides the result of a (condition, seed) run.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { resolveParams, type ModelParams } from "../config/modelKeys.js";
import { isPlainObject } from "../config/validateParams.js";
import { conditionParams, conditionsOf, paramsFor, type StudyConfig } from "../config/studyConfig.js";
import { expressionKeys } from "../config/keyExpressions.js";
import { checkViewOptions, parseViewOptions, type ViewOptions } from "../config/viewOptions.js";
import type { StudySummary } from "../analysis/summary.js";
import { defaultGaps } from "../analysis/summary/gaps.js";
import { configHash } from "../store/configHash.js";
import { RESOLVED_CONFIG_FILE, writeFileAtomic } from "../store/resultsDir.js";
import { readJsonFile } from "../store/jsonFile.js";

export interface ResolvedStudyConfig {
  name: string;
  base: Record<string, unknown>;
  grid: Record<string, unknown[]>;
  seeds: number[];
  events: StudySummary["events"];
  charts: string[][];
  checks: unknown[];
  /** The gaps summarized (absent in directories written before them: defaultGaps). */
  gaps?: [string, string][];
  /** How the report lays out the results (absent when the config sets none). */
  figures?: ViewOptions;
  /** The step kernel the runs were made with (absent in directories written before it was recorded). */
  kernel?: string;
  /**
   * Per condition, the value of each model key given as an expression ("=…", in base or a variant);
   * absent when there is none. Derived from base and grid, so not part of the hash.
   */
  expressionValues?: { condition: Record<string, unknown>; values: Record<string, number> }[];
}

/**
 * Bumped whenever the engine computes a run's record differently for the same params (a new
 * metric, another event rule, …), so that old runs are never mixed with new ones. Version 1: exact
 * event steps (replayed inside the evaluation interval); directories from before it carry no
 * kernel in their config and are never resumed into (study/resultsDir.ts). Version 2: a run whose
 * minibatch loss passes divergeLoss ends there as diverged, with the reason recorded.
 * Version 3: the model key eventSearch in every record's params (exact events by certified bounds,
 * or the bracket replay).
 */
const RESULTS_VERSION = 3;

/** The gaps a results directory summarizes: its config's, or the default for one written before gaps. */
export function gapsOf(config: Pick<ResolvedStudyConfig, "events" | "gaps">): [string, string][] {
  return config.gaps ?? defaultGaps(Object.keys(config.events));
}

/** The config with every default filled in: what the results were made from. */
export function resolvedConfigOf(config: StudyConfig, kernel: string): ResolvedStudyConfig {
  const { seed: _seed, ...base } = resolveParams(config.base) as ModelParams;
  // initA's default 1/√width is per condition when width is an expression: null says "the default"
  if (!Number.isFinite(base.initA)) (base as Record<string, unknown>).initA = null;
  // stopAfter is opt-in: left out when unset, so the studies from before it keep their hash
  if (base.stopAfter.length === 0) delete (base as Partial<ModelParams>).stopAfter;
  const expressionValues = conditionsOf(config).flatMap((condition) => {
    const keys = expressionKeys({ ...config.base, ...conditionParams(condition) });
    if (keys.length === 0) return [];
    const params = paramsFor(config, condition, 0) as unknown as Record<string, number>;
    return [{ condition, values: Object.fromEntries(keys.map((key) => [key, params[key]])) }];
  });
  return {
    name: config.name,
    base,
    grid: config.grid,
    seeds: config.seeds,
    events: config.events,
    charts: config.charts,
    checks: config.checks,
    gaps: config.gaps,
    ...(Object.keys(config.figures).length > 0 ? { figures: config.figures } : {}),
    kernel,
    ...(expressionValues.length > 0 ? { expressionValues } : {}),
  };
}

/**
 * The identity of a study's runs: SHA-256 of its name, base model keys, event definitions, kernel
 * and RESULTS_VERSION. The seeds and the grid values are left out — they say which runs the study
 * has, not what a run computes — so a study can grow (or shrink) and keep every finished run; the
 * charts, checks, gaps and figures are left out because they only read the results.
 */
export function studyHash(config: ResolvedStudyConfig): string {
  return configHash({ resultsVersion: RESULTS_VERSION, name: config.name, base: config.base, events: config.events, kernel: config.kernel });
}

export function writeResolvedConfig(dir: string, config: ResolvedStudyConfig): void {
  writeFileAtomic(join(dir, RESOLVED_CONFIG_FILE), JSON.stringify({ hash: studyHash(config), config }, null, 2) + "\n");
}

/** `<dir>/config.resolved.json`, checked (see readResolvedConfig), or null when there is none. */
export function readResolvedConfigIfAny(dir: string): { hash: string; config: ResolvedStudyConfig } | null {
  return existsSync(join(dir, RESOLVED_CONFIG_FILE)) ? readResolvedConfig(dir) : null;
}

/**
 * Reads `<dir>/config.resolved.json` and verifies it: the fields the summary and the report read,
 * with their types, and a hash that matches the content — a hand-edited event threshold would
 * otherwise be shown over steps computed with the old one. Files written before the kernel was
 * recorded carry the hash of the whole config and are accepted by that rule.
 */
export function readResolvedConfig(dir: string): { hash: string; config: ResolvedStudyConfig } {
  const file = join(dir, RESOLVED_CONFIG_FILE);
  const parsed = readJsonFile(file, "no such file (is this a results directory?)");
  if (!isPlainObject(parsed) || typeof parsed.hash !== "string" || !isPlainObject(parsed.config)) {
    throw new InputError(`${file}: not a config.resolved.json written by shortcut-bench (needs 'hash' and 'config')`, { file });
  }
  const config = parsed.config;
  const shape: [string, (v: unknown) => boolean, string][] = [
    ["name", (v) => typeof v === "string", "a string"],
    ["base", isPlainObject, "an object"],
    ["grid", (v) => isPlainObject(v) && Object.values(v).every((values) => Array.isArray(values) && values.length > 0), "an object of non-empty arrays"],
    ["seeds", (v) => Array.isArray(v) && v.every((s) => Number.isSafeInteger(s) && s >= 0), "an array of seeds"],
    ["events", (v) => isPlainObject(v) && Object.values(v).every(isPlainObject), "an object of event definitions"],
    ["charts", Array.isArray, "an array"],
    ["checks", Array.isArray, "an array"],
  ];
  for (const [key, ok, allowed] of shape) {
    if (!(key in config)) throw new InputError(`${file}: config.${key} is missing (it must be ${allowed})`, { file, key: `config.${key}` });
    if (!ok(config[key])) throw new InputError(`${file}: config.${key} must be ${allowed}`, { file, key: `config.${key}` });
  }
  if (config.figures !== undefined) {
    const at = (key: string) => ({ file, path: `config.figures${key === "" ? "" : `.${key}`}` });
    checkViewOptions(parseViewOptions(config.figures, at("")), config.grid as Record<string, unknown[]>, at);
  }
  if (config.kernel !== undefined && typeof config.kernel !== "string") throw new InputError(`${file}: config.kernel must be a string`, { file, key: "config.kernel" });
  const isGapList = (v: unknown) => Array.isArray(v) && v.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((e) => typeof e === "string"));
  if (config.gaps !== undefined && !isGapList(config.gaps)) throw new InputError(`${file}: config.gaps must be an array of event pairs [first, second]`, { file, key: "config.gaps" });
  const resolved = config as unknown as ResolvedStudyConfig;
  const legacy = resolved.kernel === undefined && configHash(resolved) === parsed.hash;
  if (!legacy && studyHash(resolved) !== parsed.hash) {
    throw new InputError(
      `${file}: the config does not match its hash (the file was edited after the study wrote it); its runs were made with the config that hash names — restore the file, or run the study again with --fresh`,
      { file },
    );
  }
  return { hash: parsed.hash, config: resolved };
}
