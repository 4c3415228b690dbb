#!/usr/bin/env node
// What exact event steps cost: the runs of a study with events located to one step (the default)
// against the same runs with events left on the evaluation grid, alternated in one process on one
// engine (grid, exact, grid, exact, …) so that both see the same machine. Prints each round's wall
// and CPU time (the process's user + system time: all worker threads; robust to other load on the
// machine, which the wall time is not), the medians and their ratios exact / grid. Needs dist/.
//   node bench/exact-events.mjs [config (default configs/quick.json5)] [rounds (default 3)] [threads]
import { availableParallelism } from "node:os";

const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { Engine } = await dist("pool/engine.js");
const { loadStudyConfig } = await dist("config/studyConfig.js");
const { planStudy } = await dist("study/plan.js");

const configFile = process.argv[2] ?? new URL("../configs/quick.json5", import.meta.url).pathname;
const rounds = Number(process.argv[3] ?? 3);
const threads = Number(process.argv[4] ?? availableParallelism());
const config = loadStudyConfig(configFile);
const { jobs } = planStudy(config, null, new Set());
const engine = new Engine(threads);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const seconds = { grid: [], exact: [] };
const cpuSeconds = { grid: [], exact: [] };
const moved = { n: 0, of: 0 };
for (let round = 1; round <= rounds; round++) {
  for (const eventSteps of ["grid", "exact"]) {
    const records = [];
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await engine.runMany(jobs, { events: config.events, shards: "auto", eventSteps, onRunDone: (r) => void records.push(r) });
    const s = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    seconds[eventSteps].push(s);
    cpuSeconds[eventSteps].push(cpuS);
    if (eventSteps === "exact" && round === 1) {
      for (const r of records) for (const [name, step] of Object.entries(r.events)) {
        if (step === null) continue;
        moved.of++;
        if (step !== r.eventsBracket[name].grid) moved.n++;
      }
    }
    console.log(`round ${round}: ${eventSteps.padEnd(5)} ${s.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU`);
  }
}
await engine.close();
const ratio = (xs) => (median(xs.exact) / median(xs.grid)).toFixed(3);
console.log(`${config.name}: ${jobs.length} runs on ${threads} threads, ${rounds} rounds; median wall grid ${median(seconds.grid).toFixed(2)} s, ` +
  `exact ${median(seconds.exact).toFixed(2)} s: exact / grid = ${ratio(seconds)}; median CPU grid ${median(cpuSeconds.grid).toFixed(2)} s, ` +
  `exact ${median(cpuSeconds.exact).toFixed(2)} s: exact / grid = ${ratio(cpuSeconds)}`);
console.log(`events reached: ${moved.of}; located before their grid step: ${moved.n}`);
