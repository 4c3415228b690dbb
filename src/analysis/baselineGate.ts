// The baseline rule of `check --baseline` (SPEC §5): ONE pre-declared test per study of whether
// learning got slower than the baseline, so that a study's many conditions and events do not make
// many chances to raise a false alarm.
//
// The test: a one-sided stratified log-rank test, strata = (shared condition, shared event), each
// run's event step right-censored at the common horizon. Statistic Z = −Σ U / √Σ V, with U the
// observed − expected events of the current study (U < 0: its events come later) and V the
// hypergeometric variance, summed over strata. Its p-value is a permutation p over seeds, a seed
// carrying all its runs (they share the initialisation, so its strata are not independent):
// - unpaired (the seed sets differ): relabel which seeds are "current" among the pooled seeds;
// - paired (every shared condition ran the same seeds on both sides: a deterministic engine re-running
//   the baseline's seeds): swap the two sides of each seed or not (sign flips).
// Every relabelling when there are at most 20 000 (8 + 8 unpaired seeds: 12 870; 8 paired: 256),
// else 9 999 seeded random ones. FAIL when p < alpha.
//
// --tolerance τ is a practical margin on the time scale: the null hypothesis is "the current study is
// at most τ slower", tested by stretching the baseline's event steps by (1 + τ) before the test
// (default 0: any slowdown counts). The per-condition effects (KM medians, restricted means) are
// printed unstretched as notes.
import { describeCondition } from "../config/studyConfig.js";
import { canonicalJson } from "../store/configHash.js";
import { formatCheckNumber, type CheckResult } from "./check.js";
import { differenceDegenerateReason } from "../render/format.js";
import { missingRuns, type EventSteps, type EventStepsRun } from "./eventSteps.js";
import {
  kaplanMeierMedian,
  logRankScore,
  poolTimes,
  restrictedMean,
  restrictedMeanDifference,
  signFlipPermutationTest,
  subsetPermutationTest,
  type PermutationResult,
  type TimeToEvent,
} from "./statistics/index.js";
import { sameSeeds, statisticSeed } from "./summary.js";

export interface GateOptions {
  /** Level of the one-sided test. */
  alpha: number;
  /** Non-inferiority margin: a slowdown by at most this factor (0.1 = 10%) is not a regression. */
  tolerance: number;
  /** Go on when a side has runs missing against its config or the two share no condition. */
  allowPartial: boolean;
}

/** What the gate's test found (bench/gate-power.mjs reads it too). */
export interface GateTest {
  z: number;
  pValue: number;
  paired: boolean;
  relabelings: number;
  exact: boolean;
  strata: number;
  /** Shared conditions (canonical JSON) and events the test ran over. */
  shared: string[];
  events: string[];
}

/** One run's time to an event, censored at `horizon`, its step stretched by `stretch`. */
function timeOf(run: EventStepsRun, event: string, horizon: number, stretch: number): TimeToEvent {
  const step = run.events[event] ?? null;
  if (step === null) return { time: horizon, observed: false };
  const time = step * stretch;
  return time > horizon ? { time: horizon, observed: false } : { time, observed: true };
}

function byCondition(steps: EventSteps): Map<string, EventStepsRun[]> {
  const groups = new Map<string, EventStepsRun[]>();
  for (const run of steps.runs) {
    const key = canonicalJson(run.condition);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return groups;
}

const horizonOf = (runs: readonly EventStepsRun[]) => runs.reduce((h, r) => Math.min(h, r.horizon), Infinity);

/** A list of missing runs, shortened: "… and 12 more". */
function listMissing(missing: readonly string[]): string {
  const shown = missing.slice(0, 8).join(", ");
  return missing.length > 8 ? `${shown} … and ${missing.length - 8} more` : shown;
}

/** The decision alone: the stratified one-sided log-rank permutation test (see the file comment). */
export function baselineTest(current: EventSteps, baseline: EventSteps, tolerance: number): GateTest {
  const cur = byCondition(current);
  const base = byCondition(baseline);
  const shared = [...cur.keys()].filter((key) => base.has(key));
  const events = current.events.filter((e) => baseline.events.includes(e));
  const paired = shared.length > 0 && shared.every((key) => sameSeeds(cur.get(key)!, base.get(key)!));

  // Units: paired → one per seed; unpaired → one per (side, seed). entryUnit/entrySide per stratum.
  const seeds = [...new Set(shared.flatMap((key) => [...cur.get(key)!, ...base.get(key)!].map((r) => r.seed)))].sort((x, y) => x - y);
  const unitOf = new Map<string, number>();
  const unit = (side: number, seed: number): number => {
    const id = paired ? `${seed}` : `${side}#${seed}`;
    if (!unitOf.has(id)) unitOf.set(id, unitOf.size);
    return unitOf.get(id)!;
  };
  if (paired) for (const seed of seeds) unit(1, seed);
  const strata = shared.flatMap((key) => {
    const curRuns = cur.get(key)!;
    const baseRuns = base.get(key)!;
    const horizon = Math.min(horizonOf(curRuns), horizonOf(baseRuns) * (1 + tolerance));
    return events.map((event) => {
      const entries = [
        ...curRuns.map((r) => ({ side: 1, unit: unit(1, r.seed), t: timeOf(r, event, horizon, 1) })),
        ...baseRuns.map((r) => ({ side: 0, unit: unit(0, r.seed), t: timeOf(r, event, horizon, 1 + tolerance) })),
      ];
      const pooled = poolTimes(entries.map((e) => e.t));
      return {
        pooled,
        unit: Int32Array.from(pooled.origin, (i) => entries[i].unit),
        side: Uint8Array.from(pooled.origin, (i) => entries[i].side),
        labels: new Uint8Array(entries.length),
      };
    });
  });

  // Z for one assignment of units: `current(unitLabel, side)` says whether an entry counts as current.
  const score = (isCurrent: (unitLabel: number, side: number) => number, unitLabels: Uint8Array): number => {
    let u = 0;
    let v = 0;
    for (const s of strata) {
      for (let i = 0; i < s.labels.length; i++) s.labels[i] = isCurrent(unitLabels[s.unit[i]], s.side[i]);
      const one = logRankScore(s.pooled, s.labels);
      u += one.u;
      v += one.v;
    }
    return v > 0 && u !== 0 ? -u / Math.sqrt(v) : 0;
  };
  const seed = statisticSeed("baseline gate");
  let result: PermutationResult;
  let z: number;
  if (paired) {
    const flipped = (flip: number, side: number) => side ^ flip;
    z = score(flipped, new Uint8Array(unitOf.size));
    result = signFlipPermutationTest(unitOf.size, (flips) => score(flipped, flips), seed);
  } else {
    const observed = new Uint8Array(unitOf.size);
    for (const [id, index] of unitOf) observed[index] = id.startsWith("1#") ? 1 : 0;
    const asLabelled = (label: number) => label;
    z = score(asLabelled, observed);
    result = subsetPermutationTest(observed, (labels) => score(asLabelled, labels), seed);
  }
  return { z, pValue: result.pValue, paired, relabelings: result.relabelings, exact: result.exact, strata: strata.length, shared, events };
}

/**
 * Per shared condition and event: KM medians and the restricted-mean difference (current − baseline),
 * a paired t over the seeds when both sides ran the same seeds (as the gate pairs them), else
 * Welch–Satterthwaite.
 */
function effectLines(current: EventSteps, baseline: EventSteps, shared: readonly string[], events: readonly string[]): CheckResult[] {
  const cur = byCondition(current);
  const base = byCondition(baseline);
  const lines: CheckResult[] = [];
  for (const key of shared) {
    const curRuns = cur.get(key)!;
    const baseRuns = base.get(key)!;
    const horizon = Math.min(horizonOf(curRuns), horizonOf(baseRuns));
    for (const event of events) {
      const units = (runs: readonly EventStepsRun[]) => runs.map((r) => ({ unit: r.seed, time: timeOf(r, event, horizon, 1) }));
      const baseTimes = units(baseRuns);
      const curTimes = units(curRuns);
      const a = baseTimes.map((x) => x.time);
      const b = curTimes.map((x) => x.time);
      const ma = kaplanMeierMedian(a).median;
      const mb = kaplanMeierMedian(b).median;
      const ra = restrictedMean(a, horizon);
      const rb = restrictedMean(b, horizon);
      const ratio = Number.isFinite(ma) && Number.isFinite(mb) && ma > 0 ? ` (${mb >= ma ? "+" : ""}${formatCheckNumber(Math.round((mb / ma - 1) * 1000) / 10)}%)` : "";
      const d = restrictedMeanDifference(baseTimes, curTimes, horizon);
      // an interval with no width says why (every seed moved by the same amount, or both sides constant)
      const degenerate = d === null ? null : differenceDegenerateReason(d, d.paired);
      const interval = d === null ? "" : degenerate !== null ? `, no interval: ${degenerate};` : ` [95% CI ${formatCheckNumber(d.lo)}, ${formatCheckNumber(d.hi)}],`;
      const rmst = d === null
        ? ""
        : `, restricted mean ${formatCheckNumber(ra.rmst)} → ${formatCheckNumber(rb.rmst)} (Δ ${formatCheckNumber(d.diff)}${interval} ${d.paired ? "paired t" : "Welch"})`;
      const reached = `${b.filter((t) => t.observed).length}/${b.length} vs ${a.filter((t) => t.observed).length}/${a.length} reached`;
      lines.push({
        pass: true,
        note: true,
        line: `NOTE ${describeCondition(curRuns[0].condition)} events.${event}: KM median ${formatCheckNumber(mb)} vs baseline ${formatCheckNumber(ma)}${ratio}${rmst}, ${reached}`,
      });
    }
  }
  return lines;
}

/**
 * The baseline rule's lines: completeness (FAIL when a side has runs missing against its config or
 * the two share no condition, unless allowPartial), the per-condition effects (notes), and the one
 * verdict line of the stratified log-rank test.
 */
export function runBaselineGate(current: EventSteps, baseline: EventSteps, opts: GateOptions, baselineName = "the baseline"): CheckResult[] {
  const results: CheckResult[] = [];
  for (const [side, steps] of [["study", current], ["baseline", baseline]] as const) {
    const missing = missingRuns(steps);
    if (missing.length === 0) continue;
    const line = `${missing.length} run${missing.length === 1 ? "" : "s"} of the ${side}'s config missing: ${listMissing(missing)}`;
    results.push(opts.allowPartial ? { pass: true, note: true, line: `NOTE ${line} (--allow-partial)` } : { pass: false, line: `FAIL ${line}; finish them or pass --allow-partial` });
  }
  const test = baselineTest(current, baseline, opts.tolerance);
  if (test.shared.length === 0 || test.events.length === 0) {
    const line = test.shared.length === 0 ? `the study and ${baselineName} share no condition` : `the study and ${baselineName} share no event`;
    results.push(opts.allowPartial ? { pass: true, note: true, line: `NOTE ${line}: nothing compared (--allow-partial)` } : { pass: false, line: `FAIL ${line}: nothing to compare` });
    return results;
  }
  const onlyCurrent = new Set(current.runs.map((r) => canonicalJson(r.condition)));
  const onlyBaseline = new Set(baseline.runs.map((r) => canonicalJson(r.condition)));
  for (const key of test.shared) {
    onlyCurrent.delete(key);
    onlyBaseline.delete(key);
  }
  for (const key of onlyCurrent) results.push({ pass: true, note: true, line: `NOTE ${describeCondition(JSON.parse(key))}: not in ${baselineName}, not compared` });
  for (const key of onlyBaseline) results.push({ pass: true, note: true, line: `NOTE ${describeCondition(JSON.parse(key))}: only in ${baselineName}, not compared` });
  results.push(...effectLines(current, baseline, test.shared, test.events));
  const slower = test.pValue < opts.alpha;
  const how = `${test.paired ? "paired (same seeds): sign flips" : "unpaired: seed relabelings"}, ${test.exact ? "all" : "seeded random"} ${test.relabelings}`;
  const margin = opts.tolerance > 0 ? `, H0: at most ${formatCheckNumber(opts.tolerance * 100)}% slower` : "";
  results.push({
    pass: !slower,
    line:
      `${slower ? "FAIL" : "PASS"} learning ${slower ? "slower than" : "not slower than"} ${baselineName}: one-sided stratified log-rank over ` +
      `${test.strata} condition×event strata (${how}${margin}): Z = ${formatCheckNumber(Number(test.z.toFixed(3)))}, ` +
      `p = ${formatCheckNumber(Number(test.pValue.toPrecision(3)))} ${slower ? "<" : "≥"} alpha ${formatCheckNumber(opts.alpha)}`,
  });
  return results;
}
