#!/usr/bin/env node
// A/B timing of the SIMD step kernel alone (one SimdInstance: the training forward, the SGD update
// and the block statistics, as pool/shardLoop.ts calls them on a step that is not an evaluation;
// one thread), a base build against this checkout's, alternated in one process, and whether the
// two compute bitwise the same outputs and weights (tests/kernel check the statistics). Rates are
// per second of this process's CPU time, not wall time: on a shared machine that is what stays
// comparable between the two.
//
//   mkdir /tmp/base && git archive <commit> | tar -x -C /tmp/base
//   ln -s "$PWD/node_modules" /tmp/base/node_modules && (cd /tmp/base && npm run build)
//   node bench/kernel-ab.mjs /tmp/base/dist ["d,width,batch;…"] [repeats] [seconds per repeat]
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [baseDist, sizeText, repeatText, secondText] = process.argv.slice(2);
if (baseDist === undefined) {
  console.error("usage: node bench/kernel-ab.mjs BASE_DIST [\"d,width,batch;…\"] [repeats] [seconds]");
  process.exit(2);
}
const load = async (dist) => (await import(pathToFileURL(resolve(dist, "kernel/simd/simdInstance.js")).href)).SimdInstance;
const Base = await load(baseDist);
const Mine = await load(new URL("../dist", import.meta.url).pathname);
const sizes = (sizeText || "64,128,64;256,256,128;1024,1024,256;4096,128,64;8192,128,64;8192,512,256")
  .split(";")
  .map((s) => s.split(",").map(Number));
const repeats = Number(repeatText ?? 5);
const seconds = Number(secondText ?? 0.3);

/** A small LCG: the same weights, rows and output gradients for both builds. */
function lcg(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

for (const [d, width, batch] of sizes) {
  const model = { d, slope: 0, spuriousScale: 1, lr: 0.5, weightDecay: 0, trainBias: false };
  const r = lcg(1);
  const W = Float32Array.from({ length: width * d }, () => (r() / 2 ** 32 - 0.5) / Math.sqrt(d));
  const A = Float32Array.from({ length: width }, () => (r() & 1 ? 1 : -1) / Math.sqrt(width));
  const B = new Float32Array(width);
  const words = Math.ceil(d / 32);
  const blocks = Math.ceil(width / 16);
  const kernel = (Instance) => {
    const instance = new Instance(model, width, batch, 32);
    instance.loadWeights({ W, A, B, first: 0 }, 0, width);
    const bits = new Int32Array(batch * words);
    const P = new Float64Array(blocks * batch);
    const G = new Float64Array(batch);
    const stats = new Float64Array(blocks * 8);
    const rows = lcg(7);
    const step = () => {
      for (let i = 0; i < bits.length; i++) bits[i] = rows() | 0;
      instance.forward(bits, batch, P, 0, true);
      // the logistic loss's gradient on random labels, as a step computes it (weights stay in range)
      for (let i = 0; i < batch; i++) {
        let f = 0;
        for (let b = 0; b < blocks; b++) f += P[b * batch + i];
        const y = rows() & 1 ? 1 : -1;
        G[i] = -y / (1 + Math.exp(y * f)) / batch;
      }
      instance.update(null, batch, G);
      instance.blockStats(stats, 0, false); // as on a step that is not an evaluation
    };
    const weights = () => {
      const out = { W: new Float32Array(width * d), A: new Float32Array(width), B: new Float32Array(width), first: 0 };
      instance.storeWeights(out);
      return [...out.W, ...out.A, ...out.B, ...P];
    };
    return { step, weights };
  };
  const base = kernel(Base);
  const mine = kernel(Mine);
  for (let s = 0; s < 6; s++) {
    base.step();
    mine.step();
  }
  const wa = base.weights();
  const wb = mine.weights();
  const same = wa.length === wb.length && wa.every((v, i) => Object.is(v, wb[i]));
  const rate = (k) => {
    let n = 0;
    const t0 = cpuSeconds();
    while (cpuSeconds() - t0 < seconds) {
      k.step();
      n++;
    }
    return n / (cpuSeconds() - t0);
  };
  const ratios = [];
  const rates = [[], []];
  for (let k = 0; k < repeats; k++) {
    const a = rate(base);
    const b = rate(mine);
    rates[0].push(a);
    rates[1].push(b);
    ratios.push(b / a);
  }
  ratios.sort((a, b) => a - b);
  console.log(
    `${d},${width},${batch}: steps per CPU second base ${median(rates[0]).toFixed(1)}, mine ${median(rates[1]).toFixed(1)}; ` +
      `mine/base ${median(ratios).toFixed(3)} (${ratios[0].toFixed(3)} … ${ratios.at(-1).toFixed(3)}); ` +
      `outputs and weights after 6 steps ${same ? "bitwise identical" : "DIFFER"}`,
  );
}
