#!/usr/bin/env node
// False alarms and power of `check --baseline` (src/analysis/baselineGate.ts) on configs/ci.json5 with
// 8 seeds a side, as SPEC §5 asks (≤ 5% false alarms, ≥ 90% power for a 20% slowdown): many seeds of
// each model run once as one study each (bench/ciPool.mjs), then the gate's own test is applied to
// seeded random draws of seed sets from those pools.
//   node bench/gate-power.mjs [--trials 1000] [--pool 400] [--seeds 8] [--alpha 0.05] [--threads N]
// - unchanged model, disjoint seeds: baseline and current are two disjoint 8-seed sets at lr 0.5;
// - lr 0.5 → 0.45 and 0.5 → 0.4 (a step size 20% smaller: every phase ~25% more steps), disjoint seeds;
// - the same seeds on both sides (what CI does: the deterministic engine re-runs the baseline's seeds).
// Prints a Markdown table (reports/statistics.md keeps it). Needs dist/ (npm run build).
import { ciPool, dist, numberFlag, sampleDistinct, sortedSeeds } from "./ciPool.mjs";

const trials = numberFlag("trials", 1000);
const poolSeeds = numberFlag("pool", 400);
const k = numberFlag("seeds", 8);
const alpha = numberFlag("alpha", 0.05);
const threads = numberFlag("threads", undefined);

const { baselineTest } = await dist("analysis/baselineGate.js");
const { eventStepsOf } = await dist("analysis/eventSteps.js");
const { readResults } = await dist("study/readResults.js");
const { StreamRandom, Stream } = await dist("kernel/prng.js");
const { wilsonInterval } = await dist("analysis/statistics/index.js");
const { markdownTable } = await dist("render/table.js");

const pools = {};
for (const lr of [0.5, 0.45, 0.4]) {
  const seeds = lr === 0.5 ? poolSeeds : Math.ceil(poolSeeds / 2);
  const { dir, seconds } = ciPool(lr, seeds, threads);
  const { records } = readResults(dir);
  pools[lr] = records;
  process.stderr.write(`pool lr ${lr}: ${records.length} runs (${seeds} seeds × 3 conditions) in ${seconds.toFixed(1)} s\n`);
}

/** EventSteps of the runs of `records` whose seed is in `seeds` (a complete study of those seeds). */
function study(records, seeds) {
  const wanted = new Set(seeds);
  const runs = records.filter((r) => wanted.has(r.seed));
  const grid = { lambda: [0, 0.5, 1] };
  return eventStepsOf(runs, { name: "ci", grid, seeds: [...seeds].sort((a, b) => a - b), events: { spurious: {}, signal: {} } }, "gate-power");
}

const seedIds = (lr) => sortedSeeds(pools[lr]);
const scenarios = [
  { name: "unchanged model (lr 0.5), disjoint seeds", current: 0.5, paired: false },
  { name: "lr 0.5 → 0.45, disjoint seeds", current: 0.45, paired: false },
  { name: "lr 0.5 → 0.4, disjoint seeds", current: 0.4, paired: false },
  { name: "unchanged model, same seeds", current: 0.5, paired: true },
  { name: "lr 0.5 → 0.45, same seeds", current: 0.45, paired: true },
  { name: "lr 0.5 → 0.4, same seeds", current: 0.4, paired: true },
];
const rows = [];
for (const [index, scenario] of scenarios.entries()) {
  const rng = new StreamRandom(1000 + index, Stream.permutation);
  let failed = 0;
  for (let t = 0; t < trials; t++) {
    let baseSeeds;
    let currentSeeds;
    if (scenario.paired) {
      baseSeeds = sampleDistinct(seedIds(scenario.current), k, rng);
      currentSeeds = baseSeeds;
    } else {
      // Disjoint: 2k distinct seeds that both pools ran, split k / k.
      const baseline = new Set(seedIds(0.5));
      const both = seedIds(scenario.current).filter((s) => baseline.has(s));
      const drawn = sampleDistinct(both, 2 * k, rng);
      baseSeeds = drawn.slice(0, k);
      currentSeeds = drawn.slice(k);
    }
    const test = baselineTest(study(pools[scenario.current], currentSeeds), study(pools[0.5], baseSeeds), 0);
    if (test.pValue < alpha) failed++;
  }
  const ci = wilsonInterval(failed, trials);
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  rows.push([scenario.name, scenario.current === 0.5 ? "false alarms" : "power", `${failed}/${trials} = ${pct(failed / trials)} [${pct(ci.lo)}, ${pct(ci.hi)}]`]);
}
console.log(`Gate: one-sided stratified log-rank, seed permutation, alpha ${alpha}, tolerance 0; ${k} seeds a side, ${trials} seeded random draws per row from pools of ${poolSeeds} seeds (lr 0.5) and ${Math.ceil(poolSeeds / 2)} (lr 0.45, 0.4).\n`);
console.log(markdownTable(["scenario", "rate of", "FAIL verdicts [Wilson 95% CI]"], rows, ["left", "left", "right"]));
