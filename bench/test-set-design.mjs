#!/usr/bin/env node
// What the test set's common noise (kernel/sampler.ts drawTestSample: the four groups' sample k share
// x0 and the noise coordinates) does to the test-set metrics' sampling noise: trains one network at
// the SPEC defaults (d = 128) for each λ, takes its weights at a few steps (--at: while it learns and
// at the end), then redraws the test set many times (test-stream seeds 1 … N) under the two designs — "independent": every row its own sample, as before RESULTS_VERSION
// 5; "common noise": today's — and prints each metric's mean and standard deviation over the redraws,
// side by side. The network's outputs are computed here in f64 (the same for both designs). Needs dist/.
//   node bench/test-set-design.mjs [--redraws N] [--lambda LIST] [--at LIST] [--d N]
import { parseArgs } from "node:util";

const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { Engine } = await dist("pool/engine.js");
const { resolveParams } = await dist("config/modelKeys.js");
const { drawSample, drawTestSample } = await dist("kernel/sampler.js");
const { Stream } = await dist("kernel/prng.js");
const { BLOCK_STATS, testMetrics } = await dist("kernel/metrics.js");

const { values } = parseArgs({
  options: {
    redraws: { type: "string", default: "200" },
    lambda: { type: "string", default: "1,0" },
    at: { type: "string", default: "4,60,2000" },
    d: { type: "string", default: "128" },
  },
});
const redraws = Number(values.redraws);
const METRICS = ["accAvg", "wga", "spuriousGap", "coefSpurious", "coefSignal"];
const TEST_GROUP_Y = [1, -1, 1, -1];
const TEST_GROUP_S = [1, -1, -1, 1];

/** Test row g·n + k as before the common noise: sample g·n + k of the test stream, then the group's x1, x2. */
function drawIndependent(p, index, target, row) {
  const g = Math.floor(index / p.testPerGroup);
  drawSample(p.seed, Stream.testSet, index, p.d, 0, p.spuriousScale, 0, target, row);
  target.x[row * p.d + 1] = TEST_GROUP_Y[g] * target.x[row * p.d];
  target.x[row * p.d + 2] = TEST_GROUP_S[g] * p.spuriousScale;
  target.y[row] = TEST_GROUP_Y[g];
  target.s[row] = TEST_GROUP_S[g];
}

/** f(x) of every row in f64: Σ_j a_j σ(w_j·x + b_j). */
function outputs(p, net, target, F) {
  const { d, width } = p;
  const slope = p.activation === "leaky" ? p.leakySlope : 0;
  for (let i = 0; i < F.length; i++) {
    let f = 0;
    for (let j = 0; j < width; j++) {
      let z = net.B[j];
      for (let k = 0, w = j * d, x = i * d; k < d; k++) z += net.W[w + k] * target.x[x + k];
      f += net.A[j] * (z > 0 ? z : slope * z);
    }
    F[i] = f;
  }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

const engine = new Engine(1);
for (const lambda of values.lambda.split(",").map(Number)) {
  const at = values.at.split(",").map(Number);
  const p = resolveParams({ d: Number(values.d), lambda, seed: 1, steps: Math.max(...at) });
  const nets = new Map();
  await engine.runMany([{ params: p, condition: {} }], {
    events: {},
    shards: 1,
    checkpointSteps: at,
    onRunDone: (_r, _j, weights, checkpoints) => {
      for (const c of checkpoints) nets.set(c.step, c.weights);
      nets.set(p.steps, weights);
    },
  });
  const n = 4 * p.testPerGroup;
  const target = { x: new Float32Array(n * p.d), y: new Float32Array(n), s: new Float32Array(n) };
  const F = new Float64Array(n);
  const stats = new Float64Array(BLOCK_STATS * Math.ceil(p.width / 16));
  const designs = { independent: drawIndependent, "common noise": drawTestSample };
  for (const step of at) {
    const net = nets.get(step);
    const samples = {};
    for (const [name, draw] of Object.entries(designs)) {
      samples[name] = Object.fromEntries(METRICS.map((m) => [m, []]));
      for (let seed = 1; seed <= redraws; seed++) {
        const q = { ...p, seed };
        for (let i = 0; i < n; i++) draw(q, i, target, i);
        outputs(p, net, target, F);
        const m = { acc: new Float64Array(4) };
        testMetrics(F, target.y, target.s, p.testPerGroup, stats, stats.length / BLOCK_STATS, p.width, m);
        for (const metric of METRICS) samples[name][metric].push(m[metric]);
      }
    }
    console.log(`λ = ${lambda}, step ${step} (d ${p.d}, width ${p.width}, training seed 1): the test set redrawn ${redraws} times (testPerGroup ${p.testPerGroup})`);
    console.log(`  metric        independent: mean, sd         common noise: mean, sd        sd ratio (common / independent)`);
    for (const metric of METRICS) {
      const a = samples.independent[metric];
      const b = samples["common noise"][metric];
      const ratio = sd(a) > 0 ? (sd(b) / sd(a)).toFixed(3) : "—";
      console.log(
        `  ${metric.padEnd(13)} ${mean(a).toFixed(5).padStart(9)}  ${sd(a).toExponential(2).padStart(9)}         ${mean(b).toFixed(5).padStart(9)}  ${sd(b).toExponential(2).padStart(9)}         ${ratio}`,
      );
    }
  }
}
await engine.close();
