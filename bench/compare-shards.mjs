#!/usr/bin/env node
// Seeds in parallel or neurons in parallel? On 2 threads, times two single-shard runs side by side
// against one run split over two shards, per size (best of two), to place `--shards auto`'s threshold
// (src/pool/chooseShards.ts). Needs dist/ (npm run build).   node bench/compare-shards.mjs
import { dist } from "./ciPool.mjs";

const { Engine } = await dist("pool/engine.js");
const { resolveParams } = await dist("config/modelKeys.js");
const { DEFAULT_EVENTS } = await dist("kernel/events.js");

const engine = new Engine(2);
for (const [d, width, batch, steps] of [[128, 128, 64, 3000], [256, 256, 128, 800], [512, 512, 256, 120], [1024, 1024, 256, 30]]) {
  const job = (seed) => ({ params: resolveParams({ d, width, batch, steps, evalEvery: steps, testPerGroup: 8, seed }), condition: {} });
  const best = { seeds: 0, neurons: 0 };
  for (const mode of ["seeds", "neurons", "seeds", "neurons"]) {
    const started = performance.now();
    if (mode === "seeds") await engine.runMany([job(0), job(1)], { events: DEFAULT_EVENTS, eventSteps: "grid", shards: 1 });
    else await engine.runMany([job(0)], { events: DEFAULT_EVENTS, eventSteps: "grid", shards: 2 });
    const stepsPerSec = (mode === "seeds" ? 2 * steps : steps) / ((performance.now() - started) / 1000);
    best[mode] = Math.max(best[mode], stepsPerSec);
  }
  console.log(`${d},${width},${batch}: 2 seeds × 1 shard ${best.seeds.toFixed(0)} steps/s, 1 run × 2 shards ${best.neurons.toFixed(0)} steps/s`);
}
await engine.close();
