#!/usr/bin/env node
// What exact event steps cost: the runs of a study with (a) eventSearch "bracket" (the replay inside
// the interval where an event is first seen), (b) eventSearch "exact" (certified bounds between
// evaluations, pool/certifiedEvents.ts) and (c) evalEvery 1 (every step evaluated: what exact means),
// alternated round by round in one process on one engine so that all three see the same machine; the
// quick study and the same study at d = 1024. Prints each round's wall time, the medians and their
// ratios to the bracket search, per λ too, the exact search's extra work (steps it decided on the
// exact second-layer outputs, test rows it forwarded exactly, steps it refreshed, as shares of all
// steps), and whether (b) and (c) found the same event steps. Needs dist/.
//   node bench/exact-events.mjs [--config F] [--rounds N] [--threads N] [--seeds N] [--steps N] [--d LIST] [--variants LIST]
// --seeds / --steps shrink the studies (say so when quoting); --d: the dimensions (default 128,1024);
// --variants: which of bracket,exact,every to run (default all three; bracket is always run).
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { Engine } = await dist("pool/engine.js");
const { loadStudyConfig } = await dist("config/studyConfig.js");
const { planStudy } = await dist("study/plan.js");

const { values } = parseArgs({
  options: {
    config: { type: "string", default: new URL("../configs/quick.json5", import.meta.url).pathname },
    rounds: { type: "string", default: "3" },
    threads: { type: "string", default: String(availableParallelism()) },
    seeds: { type: "string" },
    steps: { type: "string" },
    d: { type: "string", default: "128,1024" },
    variants: { type: "string", default: "bracket,exact,every" },
  },
});
const rounds = Number(values.rounds);
const threads = Number(values.threads);
const config = loadStudyConfig(values.config);
const engine = new Engine(threads);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ALL_VARIANTS = {
  bracket: { eventSearch: "bracket" },
  exact: { eventSearch: "exact" },
  every: { evalEvery: 1, eventSearch: "bracket" },
};
const chosen = new Set(["bracket", ...values.variants.split(",")]);
const VARIANTS = Object.fromEntries(Object.entries(ALL_VARIANTS).filter(([name]) => chosen.has(name)));

for (const d of values.d.split(",").map(Number)) {
  const seeds = values.seeds === undefined ? config.seeds : config.seeds.slice(0, Number(values.seeds));
  const { jobs } = planStudy({ ...config, seeds }, null, new Set());
  const sized = jobs.map((job) => ({ ...job, params: { ...job.params, d, ...(values.steps ? { steps: Number(values.steps) } : {}) } }));
  const lambdas = [...new Set(sized.map((job) => job.params.lambda))];
  const seconds = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, []]));
  const perLambda = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, Object.fromEntries(lambdas.map((l) => [l, []]))]));
  const events = {};
  const work = { steps: 0, secondLayer: 0, openRows: 0, refreshes: 0, testRows: 0 };
  for (let round = 1; round <= rounds; round++) {
    for (const [name, over] of Object.entries(VARIANTS)) {
      const records = [];
      const started = performance.now();
      await engine.runMany(sized.map((job) => ({ ...job, params: { ...job.params, ...over } })), {
        events: config.events,
        shards: "auto",
        onRunDone: (r) => void records.push(r),
      });
      const s = (performance.now() - started) / 1000;
      seconds[name].push(s);
      // per λ: the summed wall time of its runs (runs overlap across threads, so these add up to more than s)
      for (const l of lambdas) perLambda[name][l].push(records.filter((r) => r.params.lambda === l).reduce((t, r) => t + r.wallMs / 1000, 0));
      if (round === 1) {
        events[name] = new Map(records.map((r) => [`${r.params.lambda}/${r.seed}`, JSON.stringify(r.events)]));
        if (name === "exact") {
          for (const r of records) {
            work.steps += r.params.steps;
            work.secondLayer += r.engine.exactSecondLayer ?? 0;
            work.openRows += r.engine.exactOpenRows ?? 0;
            work.refreshes += r.engine.exactRefreshes ?? 0;
            work.testRows = 4 * r.params.testPerGroup;
          }
        }
      }
      console.log(`d ${d} round ${round}: ${name.padEnd(7)} ${s.toFixed(2)} s wall`);
    }
  }
  const ran = (name) => seconds[name] !== undefined;
  const ratio = (name, xs, ys) => (ran(name) ? (median(xs) / median(ys)).toFixed(2) : "not run");
  const wall = (name) => (ran(name) ? `${median(seconds[name]).toFixed(2)} s` : "not run");
  const share = (n) => `${((100 * n) / work.steps).toFixed(1)}%`;
  const differ = ran("exact") && ran("every") ? `${[...events.exact].filter(([k, e]) => events.every.get(k) !== e).length} of ${sized.length}` : "not compared";
  console.log(
    `${config.name} at d = ${d}: ${sized.length} runs × ${sized[0].params.steps} steps, evalEvery ${sized[0].params.evalEvery}, ${threads} threads, ${rounds} rounds; ` +
      `median wall: bracket ${wall("bracket")}, exact ${wall("exact")}, evalEvery 1 ${wall("every")}; ` +
      `exact / bracket ${ratio("exact", seconds.exact, seconds.bracket)}, evalEvery 1 / bracket ${ratio("every", seconds.every, seconds.bracket)}`,
  );
  for (const l of lambdas) {
    const per = (name) => ratio(name, perLambda[name]?.[l], perLambda.bracket[l]);
    console.log(`  λ = ${l}: exact / bracket ${per("exact")}, evalEvery 1 / bracket ${per("every")} (summed run wall times)`);
  }
  if (ran("exact")) {
    console.log(
      `  exact search's extra work, of all steps: second-layer outputs ${share(work.secondLayer)}, ` +
        `open rows ${share(work.openRows / work.testRows)} (in whole test sets), refreshes ${share(work.refreshes)}; ` +
        `runs whose event steps differ from evalEvery 1: ${differ}`,
    );
  }
}
await engine.close();
