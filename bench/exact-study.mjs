#!/usr/bin/env node
// Issue 23's check: on the 24-run study (λ ∈ {0, 0.5, 1}, 8 seeds, d = 128, 300 steps, the default
// events) every event step found at evalEvery 25 and 400 equals the step evalEvery 1 finds. Runs
// the study at evalEvery 1, then at 25 and 400 with eventSearch "exact" and with "bracket", and
// prints for each how many of the event steps differ from evalEvery 1's. Exit 1 if an exact one
// differs. tests/pool/certifiedEvents.test.ts (SB_SLOW=1) asserts the same. Needs dist/.
//   node bench/exact-study.mjs [--threads N]
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { Engine } = await dist("pool/engine.js");
const { resolveParams } = await dist("config/modelKeys.js");
const { DEFAULT_EVENTS } = await dist("kernel/events.js");

const { values } = parseArgs({ options: { threads: { type: "string", default: String(availableParallelism()) } } });
const engine = new Engine(Number(values.threads));
const jobs = [0, 0.5, 1].flatMap((lambda) => [0, 1, 2, 3, 4, 5, 6, 7].map((seed) => ({ params: resolveParams({ steps: 300, lambda, seed }), condition: { lambda } })));

async function eventSteps(over) {
  const steps = new Map();
  await engine.runMany(jobs.map((job) => ({ ...job, params: { ...job.params, ...over } })), {
    events: DEFAULT_EVENTS,
    shards: "auto",
    onRunDone: (r) => void steps.set(`${r.params.lambda}/${r.seed}`, r.events),
  });
  return steps;
}

const truth = await eventSteps({ evalEvery: 1, eventSearch: "bracket" });
const names = Object.keys(DEFAULT_EVENTS);
const reached = [...truth.values()].reduce((n, e) => n + names.filter((name) => e[name] !== null).length, 0);
console.log(`24 runs × 300 steps at d = 128: ${truth.size * names.length} event steps at evalEvery 1, ${reached} reached, the rest censored`);
let failed = false;
for (const eventSearch of ["exact", "bracket"]) {
  for (const evalEvery of [25, 400]) {
    const found = await eventSteps({ evalEvery, eventSearch });
    const differ = [];
    for (const [run, events] of truth) {
      for (const name of names) if (found.get(run)[name] !== events[name]) differ.push(`${run} ${name}: ${found.get(run)[name]} (evalEvery 1: ${events[name]})`);
    }
    console.log(`eventSearch ${eventSearch}, evalEvery ${evalEvery}: ${differ.length} of ${truth.size * names.length} event steps differ from evalEvery 1${differ.length ? ` — ${differ.join("; ")}` : ""}`);
    if (eventSearch === "exact" && differ.length > 0) failed = true;
  }
}
await engine.close();
process.exitCode = failed ? 1 : 0;
