// The resolved config of a study: the config with every default filled in, what its results were
// made from and what their hash identifies. Written to and read from config.resolved.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { resolveParams, type ModelParams } from "../config/modelKeys.js";
import type { StudyConfig } from "../config/studyConfig.js";
import type { StudySummary } from "../analysis/summary.js";

export interface ResolvedStudyConfig {
  name: string;
  base: Record<string, unknown>;
  grid: Record<string, unknown[]>;
  seeds: number[];
  events: StudySummary["events"];
  charts: string[][];
  checks: unknown[];
}

/** The config with every default filled in: what the results were made from (and hashed). */
export function resolvedConfigOf(config: StudyConfig): ResolvedStudyConfig {
  const { seed: _seed, ...base } = resolveParams(config.base) as ModelParams;
  return {
    name: config.name,
    base,
    grid: config.grid,
    seeds: config.seeds,
    events: config.events,
    charts: config.charts,
    checks: config.checks,
  };
}

export function readResolvedConfig(dir: string): { hash: string; config: ResolvedStudyConfig } {
  const file = join(dir, "config.resolved.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (is this a results directory?)" : (err as Error).message;
    throw new InputError(`${file}: ${why}`, { file });
  }
  const p = parsed as { hash?: unknown; config?: Partial<ResolvedStudyConfig> };
  if (typeof p.hash !== "string" || typeof p.config !== "object" || p.config === null || typeof p.config.name !== "string") {
    throw new InputError(`${file}: not a config.resolved.json written by shortcut-bench (needs 'hash' and 'config')`, { file });
  }
  return { hash: p.hash, config: p.config as ResolvedStudyConfig };
}
