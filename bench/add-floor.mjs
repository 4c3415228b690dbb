#!/usr/bin/env node
// The floor that the f32x4 adds put under a simd training step (issue 21, item 2): this core's peak
// rate of independent WebAssembly f32x4.add (12 chains, so no add waits on another), and for each
// size the adds a step of the simd kernel issues with its table widths (simdLayout.ts): one per
// table lookup and one per table entry built, per quad of 4 neurons, forward and backward. adds ÷
// peak is the least time a step can take; a step also loads, indexes and stores, so it takes more.
//   node bench/add-floor.mjs [--sizes "d,width,batch;…"]
import { parseArgs } from "node:util";
import wabtInit from "wabt";

const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { usesWideTables, usesWideBackward } = await dist("kernel/simd/simdLayout.js");

const { values } = parseArgs({ options: { sizes: { type: "string", default: "64,128,64;256,256,128;1024,1024,256;4096,128,64;8192,128,64;8192,512,256" } } });

const CHAINS = 12;
const wabt = await wabtInit();
const chain = (c) => `(local.set $a${c} (f32x4.add (local.get $a${c}) (local.get $d)))`;
let total = "(local.get $a0)";
for (let c = 1; c < CHAINS; c++) total = `(f32x4.add ${total} (local.get $a${c}))`;
const wat = `(module (func (export "run") (param $n i32) (result f32) (local $d v128)
  ${Array.from({ length: CHAINS }, (_, c) => `(local $a${c} v128)`).join(" ")}
  (local.set $d (f32x4.splat (f32.const 1e-7)))
  (loop $l ${Array.from({ length: CHAINS }, (_, c) => chain(c)).join(" ")}
    (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n)))
  (f32x4.extract_lane 0 ${total})))`;
const { instance } = await WebAssembly.instantiate(wabt.parseWat("peak.wat", wat).toBinary({}).buffer);
const iterations = 2e7;
let best = Infinity;
for (let r = 0; r < 7; r++) {
  const t = performance.now();
  instance.exports.run(iterations);
  best = Math.min(best, performance.now() - t);
}
const peak = (iterations * CHAINS) / (best / 1000); // adds per second
console.log(`peak: ${(peak / 1e9).toFixed(2)} G f32x4 adds/s (${CHAINS} independent chains, best of 7)`);

for (const size of values.sizes.split(";")) {
  const [d, width, batch] = size.split(",").map(Number);
  const quads = Math.ceil(width / 16) * 4;
  const dPad = Math.ceil(d / 32) * 32;
  const batchPad = Math.ceil(batch / 32) * 32;
  // forward: per group of k coordinates, 2^k entries built and one lookup per row
  const kf = usesWideTables(batch, d) ? 8 : 4;
  const forward = (dPad / kf) * (2 ** kf + batch);
  // backward: per group of k samples, 2^k entries built and one lookup per coordinate
  const kb = usesWideBackward(d, batch) ? 8 : 4;
  const backward = (batchPad / kb) * (2 ** kb + d);
  const adds = quads * (forward + backward);
  console.log(`${size}: ${(adds / 1e6).toFixed(2)} M adds a step (forward ${kf}-bit, backward ${kb}-bit tables): at least ${((1000 * adds) / peak).toFixed(3)} ms, at most ${(peak / adds).toFixed(0)} steps/s`);
}
