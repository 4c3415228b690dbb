#!/usr/bin/env node
// Coverage of every interval a study summary prints (SPEC §4: 93–97% at n = 10 and 20): one study of
// configs/ci.json5 with many seeds (bench/ciPool.mjs) is the population; each draw takes n of its
// seeds (the same seeds in every condition, as a study runs them), computes each interval as
// src/analysis/summary.ts does, and counts whether it holds the population's value.
//   node bench/calibration.mjs [--pool 400] [--draws 1000] [--threads N]
// Draws are without replacement from a finite pool, so at n = 20 of 400 the true coverage of an exact
// 95% interval is a little above 95% (variance × (1 − 19/399)). A row whose value sits where every
// interval holds it (a fraction of 0 or 1, a median never reached) is marked "degenerate".
// Prints Markdown (reports/statistics.md keeps it). Needs dist/ (npm run build).
import { ciPool, dist, numberFlag, sampleDistinct, sortedSeeds } from "./ciPool.mjs";

const poolSeeds = numberFlag("pool", 400);
const draws = numberFlag("draws", 1000);
const threads = numberFlag("threads", undefined);
// --transform plain|log|loglog: the pointwise bands the median CI is read from (default: the summary's, log).
const transformAt = process.argv.indexOf("--transform");
const transform = transformAt < 0 ? "log" : process.argv[transformAt + 1];
const SIZES = [10, 20];

const stats = await dist("analysis/statistics/index.js");
const { horizonOf, timeToEvent } = await dist("analysis/summary.js");
const { stepDifference } = await dist("analysis/summary/pairedEvents.js");
const { eventRestrictedMeanDifference } = await dist("analysis/summary/comparisons.js");
const { gapOf } = await dist("analysis/summary/gaps.js");
const { readResults } = await dist("study/readResults.js");
const { StreamRandom, Stream, uniform } = await dist("kernel/prng.js");
const { markdownTable } = await dist("render/table.js");
const { metricRange } = await dist("kernel/metricNames.js");

const { dir, seconds } = ciPool(0.5, poolSeeds, threads);
const { records } = readResults(dir);
process.stderr.write(`pool: ${records.length} runs in ${seconds.toFixed(1)} s\n`);
const lambdas = [0, 0.5, 1];
const bySeed = new Map(lambdas.map((lambda) => [lambda, new Map(records.filter((r) => r.condition.lambda === lambda).map((r) => [r.seed, r]))]));
const seeds = sortedSeeds(records).filter((s) => lambdas.every((l) => bySeed.get(l).has(s)));
const runsOf = (lambda, chosen) => chosen.map((s) => bySeed.get(lambda).get(s));
const EVENTS = ["spurious", "signal"];
const FINALS = ["wga", "coefSpurious", "coefSignal", "accAvg", "marginMajority", "signAlign", "trainLoss"];
// Bounded metrics mid-training, where their values spread inside the range and pile up against a bound.
const CHECKPOINTS = [50, 100];
const CHECKPOINT_METRICS = ["wga", "accMinority", "spuriousGap", "signAlign"];
const RATES = ["spuriousRate", "signalRate"];

const times = (runs, event) => {
  const horizon = horizonOf(runs);
  return { data: runs.map((r) => timeToEvent(r, event, horizon)), horizon };
};
const finite = (xs) => xs.filter((x) => x !== null && Number.isFinite(x));
const stepOf = (r, event, horizon) => {
  const t = timeToEvent(r, event, horizon);
  return t.observed ? t.time : Infinity;
};
// Ties broken: an event first seen at step t happened somewhere in (t − 1, t]. Moving each observed
// step to t − u, u uniform in [0, 1) and fixed per run and event (seeded), makes the steps continuous;
// coverage then shows what the interval itself does, apart from the steps being integers.
const tieBreak = (r, event) => uniform(r.seed, 50 + lambdas.indexOf(r.condition.lambda) * EVENTS.length + EVENTS.indexOf(event), 0);
const continuousTimes = (runs, event) => {
  const horizon = horizonOf(runs);
  return runs.map((r) => {
    const t = timeToEvent(r, event, horizon);
    return t.observed ? { time: t.time - tieBreak(r, event), observed: true } : t;
  });
};
/** The share of runs whose step is exactly `step`: how much of the distribution sits on that atom. */
const atomShare = (runs, event, step) => runs.filter((r) => stepOf(r, event, horizonOf(runs)) === step).length / runs.length;

/** Each interval: name, condition label, population value from all runs, interval from a subsample. */
const intervals = [];
/**
 * The mean of a metric's values as the summary computes it (Student t, on the logit or log scale of a
 * bounded metric's range), and for a bounded metric a diagnostic row with the plain t interval on the same draws.
 */
function meanRows(name, where, metric, valueOf, lambda) {
  const range = metricRange(metric);
  const values = (chosen) => finite(runsOf(lambda, chosen).map(valueOf));
  const bounded = Number.isFinite(range.lo) || Number.isFinite(range.hi);
  intervals.push({
    name: `${name}: mean (Student t${bounded ? `, ${Number.isFinite(range.hi) ? "logit" : "log"} scale` : ""})`,
    where,
    value: (chosen) => stats.meanInterval(values(chosen)).mean,
    interval: (chosen) => stats.meanInterval(values(chosen), stats.LEVEL_95, range),
  });
  if (bounded) {
    intervals.push({
      name: `${name}: mean (plain Student t)`,
      where,
      diagnostic: true,
      value: (chosen) => stats.meanInterval(values(chosen)).mean,
      interval: (chosen) => stats.meanInterval(values(chosen)),
    });
  }
}
for (const lambda of lambdas) {
  for (const event of EVENTS) {
    intervals.push({
      name: `${event}: reached fraction (Wilson)`,
      where: `λ = ${lambda}`,
      value: (chosen) => times(runsOf(lambda, chosen), event).data.filter((d) => d.observed).length / chosen.length,
      interval: (chosen) => {
        const { data } = times(runsOf(lambda, chosen), event);
        return stats.wilsonInterval(data.filter((d) => d.observed).length, data.length);
      },
    });
    intervals.push({
      name: `${event}: KM median (Brookmeyer–Crowley)`,
      where: `λ = ${lambda}`,
      value: (chosen) => stats.kaplanMeierMedian(times(runsOf(lambda, chosen), event).data).median,
      interval: (chosen) => stats.kaplanMeierMedian(times(runsOf(lambda, chosen), event).data, { transform }),
      atom: (chosen, value) => atomShare(runsOf(lambda, chosen), event, value),
    });
    intervals.push({
      name: `${event}: KM median, ties broken (t − U[0, 1))`,
      where: `λ = ${lambda}`,
      diagnostic: true,
      value: (chosen) => stats.kaplanMeierMedian(continuousTimes(runsOf(lambda, chosen), event)).median,
      interval: (chosen) => stats.kaplanMeierMedian(continuousTimes(runsOf(lambda, chosen), event), { transform }),
    });
    intervals.push({
      name: `${event}: restricted mean (t)`,
      where: `λ = ${lambda}`,
      value: (chosen) => {
        const { data, horizon } = times(runsOf(lambda, chosen), event);
        return stats.restrictedMean(data, horizon).rmst;
      },
      interval: (chosen) => {
        const { data, horizon } = times(runsOf(lambda, chosen), event);
        return stats.restrictedMean(data, horizon);
      },
    });
  }
  // The lead spurious → signal (gap.spurious.signal): over the runs that reached spurious, each gap
  // censored at its own follow-up. Its restricted mean is left out: τ is the longest follow-up of the
  // runs drawn, so each draw would estimate a restricted mean to another τ.
  const gaps = (chosen) => {
    const runs = runsOf(lambda, chosen);
    const horizon = horizonOf(runs);
    return runs.map((r) => gapOf(r, "spurious", "signal", horizon)).filter((g) => g !== null);
  };
  intervals.push({
    name: "gap spurious → signal: closed fraction (Wilson)",
    where: `λ = ${lambda}`,
    value: (chosen) => gaps(chosen).filter((g) => g.observed).length / gaps(chosen).length,
    interval: (chosen) => {
      const data = gaps(chosen);
      return data.length === 0 ? null : stats.wilsonInterval(data.filter((g) => g.observed).length, data.length);
    },
  });
  intervals.push({
    name: "gap spurious → signal: KM median (Brookmeyer–Crowley)",
    where: `λ = ${lambda}`,
    value: (chosen) => stats.kaplanMeierMedian(gaps(chosen)).median,
    interval: (chosen) => (gaps(chosen).length === 0 ? null : stats.kaplanMeierMedian(gaps(chosen), { transform })),
  });
  for (const metric of FINALS) meanRows(`final ${metric}`, `λ = ${lambda}`, metric, (r) => r.final[metric], lambda);
  for (const step of CHECKPOINTS) {
    for (const metric of CHECKPOINT_METRICS) meanRows(`at${step} ${metric}`, `λ = ${lambda}`, metric, (r) => r.trajectory.find((p) => p.step === step)?.[metric], lambda);
  }
  for (const rate of RATES) {
    intervals.push({
      name: `${rate}: mean (Student t)`,
      where: `λ = ${lambda}`,
      value: (chosen) => stats.meanInterval(finite(runsOf(lambda, chosen).map((r) => r.rates[rate]))).mean,
      interval: (chosen) => stats.meanInterval(finite(runsOf(lambda, chosen).map((r) => r.rates[rate]))),
    });
  }
}
for (const [from, to] of [[0, 0.5], [0.5, 1]]) {
  const where = `λ ${from} → ${to}`;
  for (const metric of ["wga", "coefSignal"]) {
    const summary = (lambda, chosen) => stats.meanInterval(finite(runsOf(lambda, chosen).map((r) => r.final[metric])));
    intervals.push({
      name: `final ${metric}: difference of means (paired t: same seeds)`,
      where,
      value: (chosen) => summary(to, chosen).mean - summary(from, chosen).mean,
      interval: (chosen) => stats.pairedDifference(runsOf(from, chosen).map((r, i) => runsOf(to, chosen)[i].final[metric] - r.final[metric]), stats.LEVEL_95, stats.differenceRange(metricRange(metric))),
    });
  }
  for (const event of EVENTS) {
    const rmst = (lambda, chosen) => {
      const a = runsOf(from, chosen);
      const b = runsOf(to, chosen);
      const horizon = Math.min(horizonOf(a), horizonOf(b));
      return stats.restrictedMean(runsOf(lambda, chosen).map((r) => timeToEvent(r, event, horizon)), horizon);
    };
    intervals.push({
      name: `${event}: difference of restricted means (paired t: same seeds)`,
      where,
      value: (chosen) => rmst(to, chosen).rmst - rmst(from, chosen).rmst,
      interval: (chosen) => eventRestrictedMeanDifference(runsOf(from, chosen), runsOf(to, chosen), event),
    });
    const diffs = (chosen) => {
      const a = runsOf(from, chosen);
      const b = runsOf(to, chosen);
      const horizon = Math.min(horizonOf(a), horizonOf(b));
      return a.map((r, i) => stepDifference(stepOf(r, event, horizon), stepOf(b[i], event, horizon)));
    };
    const continuousDiffs = (chosen) => {
      const a = runsOf(from, chosen);
      const b = runsOf(to, chosen);
      const horizon = Math.min(horizonOf(a), horizonOf(b));
      return a.map((r, i) => stepDifference(stepOf(r, event, horizon) - tieBreak(r, event), stepOf(b[i], event, horizon) - tieBreak(b[i], event)));
    };
    intervals.push({
      name: `${event}: paired median Δ (interpolated order statistics)`,
      where,
      value: (chosen) => stats.median(diffs(chosen)),
      interval: (chosen) => stats.medianInterpolatedInterval(diffs(chosen)),
      atom: (chosen, value) => diffs(chosen).filter((x) => x === value).length / chosen.length,
      atomOf: "seeds' differences",
    });
    intervals.push({
      name: `${event}: paired median Δ, ties broken (t − U[0, 1))`,
      where,
      diagnostic: true,
      value: (chosen) => stats.median(continuousDiffs(chosen)),
      interval: (chosen) => stats.medianInterpolatedInterval(continuousDiffs(chosen)),
    });
  }
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
console.log(
  `Coverage of nominal 95% intervals: ${draws} seeded draws of n seeds from a ${seeds.length}-seed study of configs/ci.json5 ` +
    `(the same seeds in every condition); the value to cover is the statistic of all ${seeds.length} seeds. ` +
    `A cell's Monte Carlo standard error at 95% is √(0.95 · 0.05 / ${draws}) = ${pct(Math.sqrt((0.95 * 0.05) / draws))}.\n`,
);
const tableRows = [];
const misses = [];
const diagnostics = [];
let scored = 0;
// Each scored row draws its own seeded subsamples (numbered in order); a diagnostic row reuses the
// draws of the row before it, so the two see the very same seeds.
let drawKey = -1;
for (const spec of intervals) {
  if (!spec.diagnostic) drawKey++;
  const truth = spec.value(seeds);
  const cells = [];
  const coverages = [];
  let everyIntervalIsThePoint = true; // e.g. a restricted mean of runs that all stay censored
  for (const n of SIZES) {
    const rng = new StreamRandom(7000 + drawKey * 10 + n, Stream.permutation);
    let covered = 0;
    let counted = 0;
    for (let d = 0; d < draws; d++) {
      const chosen = sampleDistinct(seeds, n, rng);
      const ci = spec.interval(chosen);
      if (ci === null || Number.isNaN(ci.lo) || Number.isNaN(ci.hi)) continue;
      counted++;
      everyIntervalIsThePoint &&= ci.lo === truth && ci.hi === truth;
      if (ci.lo <= truth && truth <= ci.hi) covered++;
    }
    const coverage = counted > 0 ? covered / counted : NaN;
    if (counted > 0) coverages.push(coverage);
    cells.push(counted === 0 ? "—" : `${pct(coverage)}${counted < draws ? ` (of ${counted})` : ""}`);
  }
  const degenerate = !Number.isFinite(truth) || (spec.name.includes("fraction") && (truth === 0 || truth === 1)) || everyIntervalIsThePoint;
  const cellsOf = () => coverages.map((c, j) => `n = ${SIZES[j]}: ${pct(c)}`).join(", ");
  if (spec.diagnostic && !degenerate) diagnostics.push(`${spec.name}, ${spec.where}: ${cellsOf()}`);
  else if (!degenerate) {
    scored += coverages.length;
    const atom = spec.atom === undefined ? "" : ` (${pct(spec.atom(seeds, truth))} of the ${spec.atomOf ?? "runs"} sit at it)`;
    for (const [j, coverage] of coverages.entries()) if (coverage < 0.93 || coverage > 0.97) misses.push(`${spec.name}, ${spec.where}, n = ${SIZES[j]}: ${pct(coverage)}${atom}`);
  }
  const value = Number.isFinite(truth) ? String(Number(truth.toPrecision(4))) : String(truth);
  tableRows.push([spec.name, spec.where, `${value}${degenerate ? " (degenerate)" : ""}`, ...cells]);
}
console.log(markdownTable(["interval", "where", "value (all seeds)", ...SIZES.map((n) => `n = ${n}`)], tableRows, ["left", "left", "right", ...SIZES.map(() => "right")]));
console.log(`\nMedian CIs read from ${transform} bands. Outside 93–97%, of the ${scored} cells of rows that are not degenerate: ${misses.length}${misses.length > 0 ? ":" : "."}`);
for (const miss of misses) console.log(`- ${miss}`);
console.log(`\nDiagnostic rows (not scored; degenerate ones left out): the same intervals on the steps with ties broken, and the plain Student t interval of each bounded mean on the same draws:`);
for (const line of diagnostics) console.log(`- ${line}`);
