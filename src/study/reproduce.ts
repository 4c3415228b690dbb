// `study --from DIR` (or `study DIR/config.resolved.json`): the study a results directory was made
// from, as a config to run again — its config.resolved.json less what the tool added to it (the
// kernel goes to the engine; the expression values are derived), so that the same (condition,
// seed) runs are computed, with the same hash.
import { basename, dirname, join } from "node:path";
import { keySpec } from "../config/modelKeys.js";
import type { StudyConfig } from "../config/studyConfig.js";
import { loadStudyConfigWithOverrides, type ConfigOverrides } from "../config/overrides.js";
import { RESOLVED_CONFIG_FILE } from "../store/resultsDir.js";
import { readResolvedConfig } from "./resolvedConfig.js";

/** The results directory a `study` config argument names by its config.resolved.json, or null. */
export function resultsDirOfConfigFile(file: string): string | null {
  return basename(file) === RESOLVED_CONFIG_FILE ? dirname(file) : null;
}

/** The config of the study in `dir`, with `overrides` applied, and the kernel its runs were made with. */
export function studyConfigFromResults(dir: string, overrides: ConfigOverrides): { config: StudyConfig; kernel: string | undefined } {
  const { config: resolved } = readResolvedConfig(dir);
  const { kernel, expressionValues: _derived, base, ...rest } = resolved;
  // Resolved keys a config may not write as null (initA's per-condition default) are left to resolve again.
  const configBase = Object.fromEntries(Object.entries(base).filter(([key, value]) => value !== null || keySpec(key)?.nullable === true));
  const config = loadStudyConfigWithOverrides(join(dir, RESOLVED_CONFIG_FILE), overrides, { ...rest, base: configBase });
  return { config, kernel };
}
