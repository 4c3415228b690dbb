#!/usr/bin/env node
// What share of a default run's time its evaluations take (issue 21: at most 15% at any d): one run
// at the SPEC defaults (evalEvery 25) against the same run evaluated only at step 0 and at the end
// (evalEvery = steps), alternated round by round in one process on one engine thread, so both see
// the same machine. share = 1 − (wall with evalEvery = steps) / (wall with evalEvery 25), medians
// over the rounds. The runs' own wall times (engine.wallMs), not the process's. The runs watch no
// events: an event search would replay (bracket) or bound (exact) between evaluations, which is the
// cost of locating events, not of evaluating (bench/exact-events.mjs measures that). Needs dist/.
//   node bench/eval-share.mjs [--d LIST] [--rounds N] [--steps N] [--kernel simd|bits|f32]
// --steps shrinks the runs (say so when quoting); --d: the dimensions (default 128,4096).
import { parseArgs } from "node:util";

const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { Engine } = await dist("pool/engine.js");
const { resolveParams } = await dist("config/modelKeys.js");

const { values } = parseArgs({
  options: {
    d: { type: "string", default: "128,4096" },
    rounds: { type: "string", default: "3" },
    steps: { type: "string" },
    kernel: { type: "string", default: "simd" },
  },
});
const rounds = Number(values.rounds);
const engine = new Engine(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

for (const d of values.d.split(",").map(Number)) {
  const base = resolveParams({ d, seed: 1, ...(values.steps ? { steps: Number(values.steps) } : {}) });
  const variants = { evalEvery: base, endsOnly: { ...base, evalEvery: base.steps } };
  const wall = { evalEvery: [], endsOnly: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const [name, params] of Object.entries(variants)) {
      let ms = NaN;
      await engine.runMany([{ params, condition: {} }], { events: {}, shards: 1, kernel: values.kernel, onRunDone: (r) => void (ms = r.wallMs) });
      wall[name].push(ms);
    }
  }
  const a = median(wall.evalEvery);
  const b = median(wall.endsOnly);
  const evaluations = Math.floor(base.steps / base.evalEvery) + 1 + (base.steps % base.evalEvery === 0 ? 0 : 1);
  console.log(
    `d ${d}: width ${base.width}, batch ${base.batch}, ${base.steps} steps, testPerGroup ${base.testPerGroup}, kernel ${values.kernel}, no events, ${rounds} rounds, 1 thread; ` +
      `median run wall: evalEvery ${base.evalEvery} ${(a / 1000).toFixed(2)} s, evalEvery ${base.steps} ${(b / 1000).toFixed(2)} s; ` +
      `evaluation share ${((100 * (a - b)) / a).toFixed(1)}% (${evaluations} evaluations, ${((a - b) / (evaluations - 2)).toFixed(2)} ms each)`,
  );
}
await engine.close();
