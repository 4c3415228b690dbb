// The paper's claims in small: each configs/paper/ study with fewer seeds (and, where it says so, fewer
// dimensions, λ values or steps), run on the real engine, must pass its own checks — so a change to
// the model, the engine or the statistics that breaks a claim fails the test suite. The full studies
// (`npm run paper`, reports/paper/README.md) decide the claims with margin; these subsets keep the
// settings where the effects are large, so that 10–12 seeds decide them too.
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runThresholdChecks } from "../src/analysis/check.js";
import { loadStudyConfig, paramsFor, validateCheckRules, type StudyConfig } from "../src/config/studyConfig.js";
import type { ModelParams } from "../src/config/modelKeys.js";
import { Engine } from "../src/pool/engine.js";
import { runStudy } from "../src/study/runStudy.js";

/** What each quick subset changes in its study; the checks stay the study's own. */
const SUBSETS: Record<string, { seeds: number; grid?: Record<string, unknown[]>; base?: Partial<ModelParams>; why: string }> = {
  "spurious-first": { seeds: 10, why: "all four λ, 10 seeds" },
  suppression: {
    seeds: 12,
    grid: { lambda: [0.5, 0.75, 0.9, 1] },
    why: "λ ≥ 0.5, where each step of λ delays XOR by tens of steps; λ = 0 → 0.25 → 0.5 needs the full study's seeds",
  },
  "maximal-correlation": {
    seeds: 10,
    grid: { d: [32, 64], lambda: [0, 1] },
    base: { steps: 1000 },
    why: "d ∈ {32, 64}, 1000 steps (still ≥ 10× XOR's own signal step there)",
  },
  "constant-correlation": { seeds: 10, base: { steps: 1000 }, why: "1000 steps instead of 10 000" },
};

const engine = new Engine(2);
afterAll(() => engine.close());

async function runSubset(name: string): Promise<{ config: StudyConfig; lines: string[]; failed: string[] }> {
  const subset = SUBSETS[name];
  const config = loadStudyConfig(fileURLToPath(new URL(`../configs/paper/${name}.json5`, import.meta.url)));
  config.seeds = Array.from({ length: subset.seeds }, (_, i) => i);
  if (subset.grid !== undefined) config.grid = { ...config.grid, ...subset.grid };
  if (subset.base !== undefined) config.base = { ...config.base, ...subset.base };
  // The study's own rules, re-validated against the smaller grid.
  const rules = validateCheckRules(config.checks, `${name} (quick subset): checks`, config.events, config.grid);
  const { summary } = await runStudy({ config, out: null, threads: engine.threads, shards: 1, engine, command: "paper.test.ts" });
  if (summary === null) throw new Error("an unsharded study has a summary");
  const results = runThresholdChecks(summary, rules, (condition) => ({ ...paramsFor(config, condition, 0) }));
  const counted = results.filter((r) => !r.note);
  return { config, lines: counted.map((r) => r.line), failed: counted.filter((r) => !r.pass).map((r) => r.line) };
}

describe("the paper's claims, quick subsets of configs/paper/", () => {
  for (const [name, subset] of Object.entries(SUBSETS)) {
    it(`${name} (${subset.why}) passes its own checks`, async () => {
      const { config, lines, failed } = await runSubset(name);
      expect(config.checks.length).toBeGreaterThan(0);
      expect(lines.length).toBeGreaterThanOrEqual(config.checks.length); // every rule was applied
      expect(failed).toEqual([]);
    });
  }
});
