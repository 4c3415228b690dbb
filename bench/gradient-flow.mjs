#!/usr/bin/env node
// Is full-batch gradient descent at a config's lr close enough to gradient flow? Runs one condition
// of the config twice — at lr for `steps`, and at lr/2 for 2·steps, evaluated at the same times
// t = lr·step — and prints, for each metric, the largest difference between the two over the matched
// times, with the metric's range for scale. Gradient flow is the limit lr → 0, so a small difference
// at halving says the config's curves are those of gradient flow to that tolerance. Needs dist/.
//   node bench/gradient-flow.mjs [config (default configs/paper/max-margin.json5)] [condition index (default 0)] [steps]
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { Engine } = await dist("pool/engine.js");
const { loadStudyConfig } = await dist("config/studyConfig.js");
const { planStudy } = await dist("study/plan.js");

const configFile = process.argv[2] ?? new URL("../configs/paper/max-margin.json5", import.meta.url).pathname;
const config = loadStudyConfig(configFile);
const { jobs } = planStudy(config, null, new Set());
const job = jobs[Number(process.argv[3] ?? 0)];
const steps = Number(process.argv[4] ?? job.params.steps);
const engine = new Engine(2);
const base = { ...job.params, steps };
const halved = { ...base, lr: base.lr / 2, steps: 2 * steps, evalEvery: 2 * base.evalEvery };
const [a, b] = await Promise.all([base, halved].map((params) => engine.runOne({ params, condition: job.condition }, { events: config.events, shards: 1 })));
await engine.close();

const atTime = new Map(b.record.trajectory.map((p) => [p.step / 2, p]));
const metrics = ["trainLoss", "accAvg", "trainAcc", "normalizedMargin", "linearity", "cosMaxMargin", "shortcutShareNet", "unitsAligned"];
console.log(`${configFile}: condition ${JSON.stringify(job.condition)}, seed ${base.seed}; lr ${base.lr} for ${steps} steps vs lr ${halved.lr} for ${halved.steps} steps, matched at t = lr·step`);
console.log("metric             max |Δ| at matched t   range of the metric   at step (lr run)");
for (const metric of metrics) {
  let worst = { diff: 0, step: null };
  const values = [];
  for (const p of a.record.trajectory) {
    const q = atTime.get(p.step);
    if (q === undefined || typeof p[metric] !== "number" || typeof q[metric] !== "number") continue;
    values.push(p[metric]);
    const diff = Math.abs(p[metric] - q[metric]);
    if (diff > worst.diff) worst = { diff, step: p.step };
  }
  if (values.length === 0) continue;
  const range = Math.max(...values) - Math.min(...values);
  console.log(`${metric.padEnd(18)} ${worst.diff.toPrecision(3).padStart(20)}   ${range.toPrecision(3).padStart(19)}   ${String(worst.step ?? "—").padStart(16)}`);
}
