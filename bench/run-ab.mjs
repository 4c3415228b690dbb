#!/usr/bin/env node
// A/B timing of whole runs (training, evaluations and, with events, the exact event search): one
// shard on this thread (pool/runShard.ts, as a worker runs it), a base build against this
// checkout's, alternated round by round in one process, and whether both record the same
// trajectory and event steps. Default model keys but d and λ; the default events with
// eventSearch "exact" unless --no-events. Needs dist/ in both.
//
//   mkdir /tmp/base && git archive <commit> | tar -x -C /tmp/base
//   ln -s "$PWD/node_modules" /tmp/base/node_modules && (cd /tmp/base && npm run build)
//   node bench/run-ab.mjs /tmp/base [--d 128] [--lambda 0,1] [--rounds 5] [--no-events]
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    d: { type: "string", default: "128" },
    lambda: { type: "string", default: "0,1" },
    rounds: { type: "string", default: "5" },
    "no-events": { type: "boolean", default: false },
  },
});
if (positionals.length !== 1) {
  console.error("usage: node bench/run-ab.mjs BASE_ROOT [--d LIST] [--lambda LIST] [--rounds N] [--no-events]");
  process.exit(2);
}

/** The modules of one build (its root holds dist/). */
async function build(root) {
  const dist = (path) => import(pathToFileURL(resolve(root, "dist", path)).href);
  const { runShard } = await dist("pool/runShard.js");
  const { allocateRunBuffers, viewRunBuffers } = await dist("pool/layout.js");
  const { resolveParams } = await dist("config/modelKeys.js");
  const { DEFAULT_EVENTS } = await dist("kernel/events.js");
  return { runShard, allocateRunBuffers, viewRunBuffers, resolveParams, DEFAULT_EVENTS };
}

/** One run: its steps' wall time (ms) and what it recorded (trajectory and event steps). */
function timedRun(b, d, lambda) {
  const events = values["no-events"] ? [] : Object.entries(b.DEFAULT_EVENTS).map(([name, spec]) => ({ name, ...spec }));
  const params = b.resolveParams({ d, lambda, seed: 1 });
  const buffers = b.allocateRunBuffers(params, false, events.length, 0);
  const timing = b.runShard({ params, buffers, shard: 0, shards: 1, kernel: "simd", events, exactEvents: true, checkpointSteps: [], stopAfter: [] });
  const view = b.viewRunBuffers(buffers);
  return { ms: timing.stepsMs, recorded: [...view.trajectory, ...view.events].map(String).join(",") };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const builds = { base: await build(positionals[0]), mine: await build(new URL("..", import.meta.url).pathname) };
for (const d of values.d.split(",").map(Number)) {
  for (const lambda of values.lambda.split(",").map(Number)) {
    const ms = { base: [], mine: [] };
    const recorded = {};
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const [name, b] of Object.entries(builds)) {
        const run = timedRun(b, d, lambda);
        ms[name].push(run.ms);
        recorded[name] = run.recorded;
      }
    }
    const [base, mine] = [median(ms.base), median(ms.mine)];
    console.log(
      `d ${d}, λ ${lambda}, ${values["no-events"] ? "no events" : "default events (exact)"}: median run ${base.toFixed(1)} ms (base) → ` +
        `${mine.toFixed(1)} ms, base/mine ${(base / mine).toFixed(3)} over ${values.rounds} rounds; ` +
        `trajectory and event steps ${recorded.base === recorded.mine ? "identical" : "DIFFER"}`,
    );
  }
}
