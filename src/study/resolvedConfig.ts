// The resolved config of a study: the config with every default filled in, what its results were
// made from. Written to config.resolved.json as { hash, config }, where the hash is that of the
// study's identity (studyHash): what decides the result of a (condition, seed) run.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { resolveParams, type ModelParams } from "../config/modelKeys.js";
import { isPlainObject, show } from "../config/validateParams.js";
import { conditionParams, conditionsOf, paramsFor, parseStudyConfig, type StudyConfig } from "../config/studyConfig.js";
import { expressionKeys } from "../config/keyExpressions.js";
import type { ViewOptions } from "../config/viewOptions.js";
import type { StudySummary } from "../analysis/summary.js";
import { defaultGaps } from "../analysis/summary/gaps.js";
import type { EffectsConfig } from "../analysis/summary/effects.js";
import { canonicalJson, configHash } from "../store/configHash.js";
import { RESOLVED_CONFIG_FILE, writeFileAtomic } from "../store/resultsDir.js";
import { MiB, readOwnFile } from "../store/ownFiles.js";
import { checkNestingDepth } from "../config/feasibility.js";
import { KERNELS } from "../kernel/registry.js";

export interface ResolvedStudyConfig {
  name: string;
  /** The config's description (absent when it has none); not part of the hash. */
  description?: string;
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
  /** The effect models' settings, when the config set them (only read: not part of the study hash). */
  effects?: EffectsConfig;
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
 * Version 4: the simd kernel's SGD update sums 8 samples per table lookup from d = 2048 on.
 * Version 5: the test set's common noise (the four groups' sample k share x0 and the noise
 * coordinates; kernel/sampler.ts drawTestSample), and the simd kernel's test pass sums that noise once.
 */
const RESULTS_VERSION = 5;

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
    ...(config.description !== undefined ? { description: config.description } : {}),
    base,
    grid: config.grid,
    seeds: config.seeds,
    events: config.events,
    charts: config.charts,
    checks: config.checks,
    gaps: config.gaps,
    ...(Object.keys(config.figures).length > 0 ? { figures: config.figures } : {}),
    ...(config.effects !== undefined ? { effects: config.effects } : {}),
    kernel,
    ...(expressionValues.length > 0 ? { expressionValues } : {}),
  };
}

/**
 * The identity of a study's runs: SHA-256 of its name, base model keys, event definitions, kernel
 * and RESULTS_VERSION. The seeds and the grid values are left out — they say which runs the study
 * has, not what a run computes — so a study can grow (or shrink) and keep every finished run; the
 * charts, checks, gaps, figures and effects are left out because they only read the results.
 */
export function studyHash(config: ResolvedStudyConfig, resultsVersion = RESULTS_VERSION): string {
  return configHash({ resultsVersion, name: config.name, base: config.base, events: config.events, kernel: config.kernel });
}

/** The earlier RESULTS_VERSION whose study hash `hash` is, or null. */
function earlierResultsVersion(config: ResolvedStudyConfig, hash: string): number | null {
  for (let version = RESULTS_VERSION - 1; version >= 1; version--) if (studyHash(config, version) === hash) return version;
  return null;
}

export function writeResolvedConfig(dir: string, config: ResolvedStudyConfig): void {
  const file: ResolvedConfigFile = { hash: studyHash(config), contentHash: configHash(config), config };
  writeFileAtomic(join(dir, RESOLVED_CONFIG_FILE), JSON.stringify(file, null, 2) + "\n");
}

/**
 * config.resolved.json: the study hash (which runs belong together, see studyHash) and the content
 * hash, SHA-256 of the whole config — grid, seeds, charts and checks included — so that an edit to
 * anything a command reads shows, not only an edit to what a run computes.
 */
interface ResolvedConfigFile {
  hash: string;
  contentHash: string;
  config: ResolvedStudyConfig;
}

/** Longest config.resolved.json: a million seeds and the largest grid take a few MB. */
const MAX_RESOLVED_CONFIG_BYTES = 64 * MiB;

export interface ReadOptions {
  /**
   * Accept a file written before it carried a content hash (its study hash still verified): for the
   * commands that rewrite it under the lock (study, report, merge). The others refuse it and say so.
   */
  upgrade?: boolean;
}

/** `<dir>/config.resolved.json`, checked (see readResolvedConfig), or null when there is none. */
export function readResolvedConfigIfAny(dir: string, opts: ReadOptions = {}): { hash: string; config: ResolvedStudyConfig } | null {
  return existsSync(join(dir, RESOLVED_CONFIG_FILE)) ? readResolvedConfig(dir, opts) : null;
}

/**
 * Reads `<dir>/config.resolved.json` and verifies it: its content hash (any edit since the study
 * wrote it — a threshold, a check, a grid value — is refused, since the runs were made with the
 * config that hash names), its study hash, then every key as a study config is validated, with the
 * same bounds (at most MAX_CONDITIONS conditions, MAX_SEED_COUNT seeds) and the same messages.
 * Files written before the kernel was recorded carry the hash of the whole config and are accepted
 * by that rule.
 */
export function readResolvedConfig(dir: string, opts: ReadOptions = {}): { hash: string; config: ResolvedStudyConfig } {
  const file = join(dir, RESOLVED_CONFIG_FILE);
  const bytes = readOwnFile(file, MAX_RESOLVED_CONFIG_BYTES, RESOLVED_CONFIG_FILE);
  if (bytes === null) throw new InputError(`${file}: no such file (is this a results directory?)`, { file });
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new InputError(`${file}: not JSON (${(err as Error).message})`, { file });
  }
  checkNestingDepth(parsed, file);
  if (!isPlainObject(parsed) || typeof parsed.hash !== "string" || !isPlainObject(parsed.config)) {
    throw new InputError(`${file}: not a config.resolved.json written by shortcut-bench (needs 'hash' and 'config')`, { file });
  }
  const config = parsed.config;
  const edited = () =>
    new InputError(
      `${file}: the config does not match its hash (the file was edited after the study wrote it); its runs were made with the config that hash names — restore the file, or run the study again with --fresh`,
      { file },
    );
  const legacy = config.kernel === undefined && configHash(config) === parsed.hash;
  if (!legacy) {
    if (parsed.contentHash === undefined && !opts.upgrade) {
      throw new InputError(
        `${file}: written by an earlier shortcut-bench, before the file carried a content hash; run 'shortcut-bench report ${dir}' once to rewrite it (from runs.jsonl)`,
        { file, key: "contentHash" },
      );
    }
    if (parsed.contentHash !== undefined && parsed.contentHash !== configHash(config)) throw edited();
    if (studyHash(config as unknown as ResolvedStudyConfig) !== parsed.hash) {
      const version = earlierResultsVersion(config as unknown as ResolvedStudyConfig, parsed.hash);
      if (version === null) throw edited();
      throw new InputError(
        `${file}: written by an earlier shortcut-bench whose runs compute results version ${version}; this one computes version ${RESULTS_VERSION} (the numbers differ), so its runs can be neither extended nor compared — run the study again with --fresh`,
        { file, key: "hash" },
      );
    }
  }
  const { name, description, base, grid, seeds, events, gaps, charts, checks, figures, effects, kernel, expressionValues, ...unknown } = config;
  for (const key of Object.keys(unknown)) throw new InputError(`${file}: config.${key}: not a key of a resolved config`, { file, key: `config.${key}` });
  if (kernel !== undefined && !(KERNELS as readonly unknown[]).includes(kernel)) {
    throw new InputError(`${file}: config.kernel must be one of ${KERNELS.join(", ")}, got ${show(kernel)}`, { file, key: "config.kernel" });
  }
  // The same validation as a config file's: the file passed it when the study began.
  const valid = parseStudyConfig({ name, ...(description !== undefined ? { description } : {}), base: withoutNull(base), grid, seeds, events, gaps, charts, checks, figures, ...(effects !== undefined ? { effects } : {}) }, file);
  const checked: ResolvedStudyConfig = { name: valid.name, base: base as Record<string, unknown>, grid: valid.grid, seeds: valid.seeds, events: valid.events, charts: valid.charts, checks: valid.checks };
  if (kernel !== undefined) checked.kernel = kernel as string;
  if (valid.description !== undefined) checked.description = valid.description;
  if (gaps !== undefined) checked.gaps = valid.gaps;
  if (figures !== undefined) checked.figures = valid.figures;
  if (effects !== undefined) checked.effects = valid.effects;
  // Derived from base and grid: it must be what they give.
  const derived = resolvedConfigOf(valid, kernel as string).expressionValues;
  if (canonicalJson(expressionValues ?? null) !== canonicalJson(derived ?? null)) {
    throw new InputError(`${file}: config.expressionValues: not the values base and grid give`, { file, key: "config.expressionValues" });
  }
  if (derived !== undefined) checked.expressionValues = derived;
  return { hash: parsed.hash, config: checked };
}

/** A resolved base writes `null` for keys left at a default (trainSize: online; initA per width). */
function withoutNull(base: unknown): unknown {
  if (!isPlainObject(base)) return base;
  return Object.fromEntries(Object.entries(base).filter(([, value]) => value !== null));
}
