// The Kaplan–Meier median and its CI against R's survival::survfit (summary(fit)$table, what
// print.survfit shows, conf.type "log"): on the event steps of the committed example studies and on
// seeded synthetic data full of ties, plateaus at ½ and all-reached samples. Where Rscript is absent
// the R comparison skips; the frozen values (printed by R 4.2, survival 3.5.3) always run.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kaplanMeierMedian, timesToEvent, type TimeToEvent } from "../../../src/analysis/statistics/index.js";
import { survfitMedians, type SurvfitCase, type SurvfitMedian } from "../../support/rReference.js";

/** The tool's reading of R's NA: +∞ for a median or upper limit, and for a lower limit when the median is ∞ too; NaN for a lower limit below a finite median. */
function fromR(r: SurvfitMedian): { median: number; lo: number; hi: number } {
  const median = r.median ?? Infinity;
  return { median, lo: r.lo ?? (median === Infinity ? Infinity : NaN), hi: r.hi ?? Infinity };
}

function caseOf(data: readonly TimeToEvent[]): SurvfitCase {
  return { time: data.map((d) => d.time), observed: data.map((d) => d.observed) };
}

/** Every condition × event of a committed study's event-steps.json, as time-to-event data. */
function studyCases(file: string): Record<string, TimeToEvent[]> {
  const steps = JSON.parse(readFileSync(file, "utf8")) as { events: string[]; runs: { condition: unknown; horizon: number; events: Record<string, number | null> }[] };
  const cases: Record<string, TimeToEvent[]> = {};
  for (const run of steps.runs) {
    for (const event of steps.events) {
      const name = `${file.split("/")[1]} ${JSON.stringify(run.condition)} ${event}`.replace(/\s+/g, "_");
      (cases[name] ??= []).push(...timesToEvent([run.events[event]], run.horizon));
    }
  }
  return cases;
}

/** Seeded samples of integer steps drawn from few values (ties, plateaus at ½), some censored. */
function syntheticCases(count: number): Record<string, TimeToEvent[]> {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const cases: Record<string, TimeToEvent[]> = {};
  for (let c = 0; c < count; c++) {
    const n = 2 + Math.floor(next() * 19);
    const spread = 1 + Math.floor(next() * 12);
    const censoring = [0, 0, 0.2, 0.5][c % 4]; // share censored, at the horizon or before it
    const horizon = 40;
    cases[`synthetic_${c}`] = Array.from({ length: n }, () => {
      const time = 10 + Math.floor(next() * spread);
      if (next() < censoring) return { time: next() < 0.5 ? horizon : time, observed: false };
      return { time, observed: true };
    });
  }
  return cases;
}

// Frozen: R's summary(survfit(Surv(time, status) ~ 1))$table[c("median", "0.95LCL", "0.95UCL")].
const FROZEN: { name: string; data: TimeToEvent[]; r: SurvfitMedian }[] = [
  // Ŝ = ½ on [5, 6): the midpoint; U(t) > ½ until Ŝ = 0 at 10, where the band is NA.
  { name: "1 … 10, all reached", data: timesToEvent([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 20), r: { median: 5.5, lo: 3, hi: null } },
  // Ŝ: 1 → 0 at one step: no band ever falls to ½.
  { name: "all 10 at step 250", data: timesToEvent(Array(10).fill(250), 1000), r: { median: 250, lo: null, hi: null } },
  // Ŝ ends on a plateau at ½ (5 censored at the horizon): print.survfit keeps the plateau's start.
  { name: "5 reached, 5 censored", data: timesToEvent([1, 2, 3, 4, 5, null, null, null, null, null], 20), r: { median: 5, lo: 3, hi: null } },
  { name: "1 … 20, all reached", data: timesToEvent(Array.from({ length: 20 }, (_, i) => i + 1), 40), r: { median: 10.5, lo: 7, hi: 16 } },
  { name: "ties and censoring", data: [10, 20, 20, 30, 30, 30, 45, 60, 60, 70].map((time, i) => ({ time, observed: ![2, 7].includes(i) })), r: { median: 30, lo: 30, hi: null } },
  { name: "none reached", data: timesToEvent(Array(8).fill(null), 100), r: { median: null, lo: null, hi: null } },
];

describe("kaplanMeierMedian as R's survfit prints it", () => {
  for (const { name, data, r } of FROZEN) {
    it(`frozen: ${name}`, () => {
      expect(kaplanMeierMedian(data)).toEqual(fromR(r));
    });
  }

  it("Ŝ that is ½ up to float rounding is ½: the plateau's midpoint, not one of its ends", () => {
    // n runs reaching the event at steps 1 … n: Ŝ(n/2) = Π (1 − 1/(n − i)) is ½ exactly in reals; in
    // floats 0.5 at n = 10, 0.5000000000000001 at n = 24, 0.4999999999999999 at n = 34.
    const steps = (n: number) => timesToEvent(Array.from({ length: n }, (_, i) => i + 1), 2 * n);
    expect(kaplanMeierMedian(steps(10)).median).toBe(5.5);
    expect(kaplanMeierMedian(steps(24)).median).toBe(12.5);
    expect(kaplanMeierMedian(steps(34)).median).toBe(17.5);
  });

  const cases = { ...studyCases("reports/quick/event-steps.json"), ...studyCases("reports/ci-baseline/event-steps.json"), ...syntheticCases(300) };
  const reference = survfitMedians(Object.fromEntries(Object.entries(cases).map(([name, data]) => [name, caseOf(data)])));
  it.skipIf(reference === null)("every median and CI limit of the example studies and 300 synthetic samples equals R's", () => {
    const mismatches = Object.entries(cases).flatMap(([name, data]) => {
      const ours = kaplanMeierMedian(data);
      const theirs = fromR(reference![name]);
      return Object.is(ours.median, theirs.median) && Object.is(ours.lo, theirs.lo) && Object.is(ours.hi, theirs.hi) ? [] : [{ name, ours, theirs }];
    });
    expect(mismatches).toEqual([]);
    // The data exercise the edges: plateaus at ½, R's NA upper limits, and NA lower limits.
    const all = Object.values(reference!);
    expect(all.filter((r) => r.median !== null && !Number.isInteger(r.median)).length).toBeGreaterThan(5);
    expect(all.filter((r) => r.median !== null && r.hi === null).length).toBeGreaterThan(5);
    expect(all.filter((r) => r.median !== null && r.lo === null).length).toBeGreaterThan(0);
  });
});
