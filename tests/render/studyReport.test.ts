// report.md and the headline table, rendered from a summary of small hand-made run records whose
// medians, censoring and divergences are known in advance.
import { describe, expect, it } from "vitest";
import { headlineTable, renderDetails, renderReport as renderShortReport, type ReportInput } from "../../src/render/studyReport.js";
import { gapsSection } from "../../src/render/report/gaps.js";
import { formatEventMedian, formatEventStep, formatPHolm, formatValue } from "../../src/render/format.js";
import { holmAdjust } from "../../src/analysis/statistics/index.js";
import { conditionCharts } from "../../src/render/asciiTrajectories.js";
import { summarizeStudy, type StudySummary } from "../../src/analysis/summary.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { SCALAR_METRICS, type Metrics, type TrajectoryPoint } from "../../src/kernel/metricNames.js";
import type { RunRecord } from "../../src/store/runRecord.js";

const STEPS = 200;
const EVAL_EVERY = 20;

/**
 * A plausible run: masses grow exponentially (spurious faster), the majority accuracy rises early,
 * the minority accuracy (and so wga) rises only if the signal event is reached. The trajectory ends
 * at the divergence step when there is one. `finalWga` sets wga at the last point.
 */
function makeRecord(opts: {
  lambda: number;
  seed: number;
  spurious: number | null;
  signal: number | null;
  finalWga: number;
  diverged?: number;
}): RunRecord {
  const lastStep = opts.diverged === undefined ? STEPS : opts.diverged - (opts.diverged % EVAL_EVERY || EVAL_EVERY);
  const trajectory: TrajectoryPoint[] = [];
  for (let step = 0; step <= lastStep; step += EVAL_EVERY) {
    const majority = Math.min(1, 0.5 + step / 100);
    const minority = opts.signal === null ? 0.1 : Math.min(1, 0.1 + Math.max(0, step - opts.signal + 40) / 50);
    const metrics = Object.fromEntries(SCALAR_METRICS.map((m) => [m, 0])) as Record<string, number>;
    Object.assign(metrics, {
      accMajority: majority,
      accMinority: minority,
      wga: Math.min(majority, minority),
      spuriousGap: majority - minority,
      massSpurious: Math.exp(0.05 * step) * (1 + opts.seed / 100),
      massSignal: Math.exp(0.01 * step),
      massNoise: 1,
      coefSpurious: 0.01 * step,
      coefSignal: opts.signal === null ? 0 : 0.005 * step,
    });
    trajectory.push({ step, ...(metrics as Omit<Metrics, "acc">), acc: [majority, majority, minority, minority] });
  }
  const last = trajectory[trajectory.length - 1];
  last.wga = opts.finalWga;
  const { step: _step, ...final } = last;
  return {
    condition: { lambda: opts.lambda },
    params: resolveParams({ lambda: opts.lambda, d: 16, width: 16, steps: STEPS, evalEvery: EVAL_EVERY, seed: opts.seed }),
    seed: opts.seed,
    events: { spurious: opts.spurious, signal: opts.signal },
    rates: { spuriousRate: 0.13 + opts.seed / 1000, signalRate: 0.03 },
    final,
    trajectory,
    diverged: opts.diverged ?? null,
    wallMs: 500,
    engine: { threads: 2, shards: 1, kernel: "bits", version: "0.1.0" },
  };
}

// λ = 0: spurious at 20/40/40/60 (KM Ŝ = 0.75, 0.25: median 40); signal at 100/120/140 and one never
// (Ŝ = 0.75, 0.5 on [120, 140), 0.25: median 130, the plateau's midpoint as in R's survfit). λ = 1: spurious
// 20/20/40/40 (Ŝ = 0.5 on [20, 40), then 0: median 30); signal never reached;
// seed 3 diverges at step 160.
const records: RunRecord[] = [
  makeRecord({ lambda: 0, seed: 0, spurious: 20, signal: 100, finalWga: 0.9 }),
  makeRecord({ lambda: 0, seed: 1, spurious: 40, signal: 120, finalWga: 0.95 }),
  makeRecord({ lambda: 0, seed: 2, spurious: 40, signal: 140, finalWga: 0.92 }),
  makeRecord({ lambda: 0, seed: 3, spurious: 60, signal: null, finalWga: 0.85 }),
  makeRecord({ lambda: 1, seed: 0, spurious: 20, signal: null, finalWga: 0 }),
  makeRecord({ lambda: 1, seed: 1, spurious: 20, signal: null, finalWga: 0.02 }),
  makeRecord({ lambda: 1, seed: 2, spurious: 40, signal: null, finalWga: 0.01 }),
  makeRecord({ lambda: 1, seed: 3, spurious: 40, signal: null, finalWga: 0.01, diverged: 160 }),
];

const config = {
  name: "tiny",
  base: { d: 16, width: 16, steps: STEPS, evalEvery: EVAL_EVERY },
  grid: { lambda: [0, 1] },
  seeds: [0, 1, 2, 3],
  events: { ...DEFAULT_EVENTS },
  charts: [["signAlign", "coefSpurious"]],
};

const summary: StudySummary = summarizeStudy({
  name: config.name,
  configHash: "abc123",
  events: config.events,
  grid: config.grid,
  conditions: [{ lambda: 0 }, { lambda: 1 }],
  records,
});

const input: ReportInput = {
  summary,
  records,
  config,
  command: "npx shortcut-bench study configs/tiny.json5",
  meta: { date: "2026-01-02T03:04:05.000Z", version: "0.1.0", gitCommit: "deadbee", cpu: "Test CPU", cores: 8, node: "v20.19.0", timing: { wallSeconds: 2, computed: records } },
};

/** report.md and details.md together: the per-condition sections below live in details.md. */
function renderReport(input: ReportInput): string {
  return renderShortReport(input) + renderDetails(input);
}

const report = renderReport(input);
const lines = report.split("\n");

const cells = (line: string) => line.split("|").slice(1, -1).map((cell) => cell.trim());

/**
 * The table row of the section `heading` whose first cell is `first`. A table split in parts (each
 * repeating its key columns) is read as one: the parts' other cells are appended in order.
 */
function tableRow(heading: string, first: string): string[] {
  const row = sectionRows(heading).find((r) => r[0] === first);
  expect(row).toBeDefined();
  return row!;
}

/** The rows (header first) of the table of the section `heading`, its parts joined as one table. */
function sectionRows(heading: string): string[][] {
  const start = lines.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line.startsWith("#"));
  const section = lines.slice(start + 1, end < 0 ? undefined : end);
  const tables: string[][][] = [];
  section.forEach((line, i) => {
    if (!line.startsWith("|")) return;
    if (i === 0 || !section[i - 1].startsWith("|")) tables.push([]);
    if (!/^\|[-:|]+\|$/.test(line)) tables[tables.length - 1].push(cells(line));
  });
  expect(tables.length).toBeGreaterThan(0);
  const header = tables[0][0];
  return tables[0].map((row, r) =>
    tables.slice(1).reduce((joined, table) => {
      const keys = table[0].findIndex((h, c) => h !== header[c]);
      return [...joined, ...table[r].slice(keys)];
    }, row),
  );
}

/** The fenced blocks of the report: [info string, body lines]. */
function fencedBlocks(): { info: string; body: string[] }[] {
  const blocks: { info: string; body: string[] }[] = [];
  let open: { info: string; body: string[] } | null = null;
  for (const line of lines) {
    if (line.startsWith("```")) {
      if (open === null) open = { info: line.slice(3), body: [] };
      else {
        blocks.push(open);
        open = null;
      }
    } else open?.body.push(line);
  }
  expect(open).toBeNull(); // every fence is closed
  return blocks;
}

describe("number formatting", () => {
  it("gives 3 significant digits compactly, integers for large values and ∞/— for the rest", () => {
    expect(formatValue(0.90512)).toBe("0.905");
    expect(formatValue(0.9)).toBe("0.9");
    expect(formatValue(12.345)).toBe("12.3");
    expect(formatValue(-0.0012345)).toBe("-0.00123");
    expect(formatValue(0.000012345)).toBe("1.23e-5");
    expect(formatValue(123456.7)).toBe("123457");
    expect(formatValue(0)).toBe("0");
    expect(formatValue(Infinity)).toBe("∞");
    expect(formatValue(null)).toBe("—");
  });
});

describe("renderReport", () => {
  it("opens with the title and the command that reproduces it, in a code block", () => {
    expect(lines[0]).toBe("# Study tiny");
    const at = lines.indexOf("```sh");
    expect(lines[at + 1]).toBe("npx shortcut-bench study configs/tiny.json5");
    expect(lines[at + 2]).toBe("```");
  });

  it("has the metadata: date, version, commit, CPU, cores, Node, wall time, runs and steps/s", () => {
    expect(tableRow("## Machine and run", "date")[1]).toBe("2026-01-02T03:04:05.000Z");
    expect(tableRow("## Machine and run", "tool version")[1]).toBe("shortcut-bench 0.1.0");
    expect(tableRow("## Machine and run", "git commit")[1]).toBe("deadbee");
    expect(tableRow("## Machine and run", "CPU")[1]).toBe("Test CPU");
    expect(tableRow("## Machine and run", "cores")[1]).toBe("8");
    expect(tableRow("## Machine and run", "Node")[1]).toBe("v20.19.0");
    expect(tableRow("## Machine and run", "wall time")[1]).toBe("2.0 s");
    expect(tableRow("## Machine and run", "runs")[1]).toBe("8 (2 conditions)");
    // 7 runs × 200 steps + 160 steps of the diverged run = 1560 steps; 8 runs × 0.5 s = 4 s summed
    expect(tableRow("## Machine and run", "total steps")[1]).toBe("1,560");
    expect(tableRow("## Machine and run", "steps/s per run")[1]).toMatch(/^390 \(total steps ÷ summed wall time/);
    expect(tableRow("## Machine and run", "steps/s, study")[1]).toMatch(/^780 \(/);
  });

  it("gives a resumed study's speed from the runs it computed, not from all of them", () => {
    // 3 of the 8 runs computed in 2 s: 3 × 200 steps = 600 → 300 steps/s (not 1560 / 2 = 780)
    const resumed = renderReport({ ...input, meta: { ...input.meta, timing: { wallSeconds: 2, computed: records.slice(0, 3) } } });
    const row = (name: string) => resumed.split("\n").find((l) => l.startsWith(`| ${name} `))!.split("|").map((c) => c.trim())[2];
    expect(records.slice(0, 3).every((r) => r.diverged === null)).toBe(true);
    expect(row("wall time")).toBe("2.0 s (computing 3 runs; 5 were already done)");
    expect(row("steps/s, study")).toMatch(/^300 \(steps of the runs computed ÷ study wall time/);
  });

  it("says the wall time is unknown when it is", () => {
    const regenerated = renderReport({ ...input, meta: { ...input.meta, timing: null, gitCommit: null } });
    expect(regenerated).toMatch(/\| wall time +\| unknown \(report regenerated from runs\.jsonl\)/);
    expect(regenerated).toMatch(/\| git commit +\| unknown/);
    expect(regenerated).not.toContain("steps/s, study");
  });

  it("lists the base params, the grid, the seeds and the events", () => {
    expect(tableRow("### Base params", "steps")[1]).toBe("200");
    expect(tableRow("### Base params", "width")[1]).toBe("16");
    expect(tableRow("### Grid", "lambda")[1]).toBe("0, 1");
    const variants = renderReport({ ...input, config: { ...config, grid: { lambda: [0, 1], variant: [{}, { activation: "leaky", leakySlope: 0.1 }] } } }).split("\n");
    const at = variants.indexOf("### Grid");
    expect(variants.slice(at + 4, at + 7).map((l) => l.split("|").slice(1, 3).map((c) => c.trim()))).toEqual([
      ["lambda", "0, 1"], ["variant", "(base)"], ["", "activation=leaky, leakySlope=0.1"],
    ]);
    expect(report).toContain("Seeds: 4 (0 … 3).");
    expect(tableRow("### Events", "signal")[1]).toBe("wga >= 0.9");
  });

  it("has a headline row per condition with event medians, CIs, reached k/n and final means with CIs", () => {
    const header = tableRow("## Headline", "lambda");
    expect(header).toEqual([
      "lambda", "runs", "diverged",
      "spurious step [95% CI]", "spurious reached", "signal step [95% CI]", "signal reached",
      "final wga [95% CI]", "final coefSpurious [95% CI]", "final coefSignal [95% CI]",
    ]);
    const [c0, c1] = summary.conditions;
    expect(c0.events.spurious.medianStep).toBe(40);
    expect(c0.events.signal.medianStep).toBe(130);
    const row0 = tableRow("## Headline", "0");
    expect(row0[1]).toBe("4");
    expect(row0[2]).toBe("0/4"); // diverged
    // every λ = 0 run reached the spurious event: U is undefined once Ŝ = 0, so the upper limit is ∞ (R: NA)
    expect(c0.events.spurious.medianHi).toBeNull();
    expect(row0[3]).toBe(`40 [${c0.events.spurious.medianLo}, ∞]`);
    expect(row0[4]).toBe("4/4");
    // the signal CI's upper bound is ∞: the upper band of Ŝ never falls to 1/2 within the horizon
    expect(c0.events.signal.medianHi).toBeNull();
    expect(row0[5]).toBe(`130 [${c0.events.signal.medianLo}, ∞]`);
    expect(row0[6]).toBe("3/4");
    // mean of 0.9, 0.95, 0.92, 0.85 = 0.905; 4 seeds, so the Student t CI carries the small-sample mark
    expect(row0[7]).toBe(`0.905 [${formatValue(c0.final.wga.lo)}, ${formatValue(c0.final.wga.hi)}]†`);
    expect(c0.final.wga.lo!).toBeLessThan(0.905);
    expect(c0.final.wga.hi!).toBeGreaterThan(0.905);
    // coefSpurious at step 200 is 2 in every λ = 0 run
    expect(row0[8]).toBe("2 (constant across 4 runs)"); // no zero-width [2, 2]: the reason instead

    const row1 = tableRow("## Headline", "1");
    expect(row1[3]).toBe(`${c1.events.spurious.medianStep} [${c1.events.spurious.medianLo}, ∞]`);
    expect(c1.events.spurious.medianStep).toBe(30);
    expect(row1[5]).toBe("∞ [∞, ∞]"); // never reached: censored median
    expect(row1[6]).toBe("0/4");
    // one of the four diverged (at step 160): its final metrics are left out, 2 in the three others
    expect(row1[2]).toBe("1/4");
    expect(row1[8]).toBe("2 (constant across 3 runs)");
  });

  it("has the rates with CIs", () => {
    const row = tableRow("## Rates", "lambda=0");
    // seeds 0..3: 0.130, 0.131, 0.132, 0.133 → mean 0.1315 → 0.132 (3 significant digits)
    expect(row[1]).toMatch(/^0\.132 \[0\.1\d*, 0\.13\d*\]†$/);
    expect(row[2]).toBe("4/4");
    expect(row[3]).toBe("0.03 (constant across 4 runs)");
  });

  it("has the paired rate gap", () => {
    const header = tableRow("## Rates", "condition");
    expect(header.slice(5)).toEqual(["rateGap [95% CI]", "rateGap runs"]);
    // signalRate 0.03 in every run: gaps 0.100 … 0.103, mean 0.1015 → "0.102" (3 significant digits)
    expect(tableRow("## Rates", "lambda=0").slice(5)).toEqual([expect.stringMatching(/^0\.102 \[0\.\d*, 0\.10\d*\]†$/), "4/4"]);
  });

  it("has the order of the events per condition", () => {
    expect(tableRow("## Event order", "condition")).toEqual([
      "condition", "order", "runs with both: first earlier", "fraction [95% CI]", "only first", "only second", "neither",
    ]);
    // λ = 0: seeds 0–2 reach both (spurious at 20/40/40, signal at 100/120/140); seed 3 only the spurious event
    const o = summary.conditions[0].order.spurious.signal;
    expect(tableRow("## Event order", "lambda=0")).toEqual([
      "lambda=0", "spurious before signal", "3/3", `1 [${formatValue(o.lo)}, 1]`, "1", "0", "0",
    ]);
    expect(tableRow("## Event order", "lambda=1")).toEqual(["lambda=1", "spurious before signal", "0/0", "—", "4", "0", "0"]);
  });

  it("has the headline metrics and the charted ones at the checkpoint steps", () => {
    // evaluated every 20 steps to 200: checkpoints 0, 20, 100, 200; coefSpurious = 0.01·step in every run
    expect(tableRow("### coefSpurious", "condition")).toEqual(["condition", "step 0", "step 20", "step 100", "step 200"]); // 40 … is not one
    expect(tableRow("### coefSpurious", "lambda=0")).toEqual(["lambda=0", "0 (constant across 4 runs)", "0.2 (constant across 4 runs)", "1 (constant across 4 runs)", "2 (constant across 4 runs)"]);
    // λ = 1: the run that diverged at 160 has no point at 200 (the others: 2)
    expect(tableRow("### coefSpurious", "lambda=1")[3]).toBe("1 (constant across 4 runs)");
    expect(summary.conditions[1].at["200"].coefSpurious.n).toBe(3);
    expect(lines).toContain("### signAlign"); // from the config's extra chart
    expect(lines).toContain("### wga");
  });

  it("draws fenced charts per metric group with the conditions overlaid, legends included, ≤ 100 columns", () => {
    const charts = fencedBlocks().filter((b) => b.info === "text");
    expect(charts).toHaveLength(3); // masses, accuracies, the config's extra chart
    for (const block of charts) {
      for (const line of block.body) expect(Array.from(line).length).toBeLessThanOrEqual(100);
      for (const legend of block.body.filter((l) => l.startsWith("legend: "))) expect(legend).toContain("── lambda=0   ++ lambda=1   ·· 10–90% of seeds");
    }
    const titles = charts.flatMap((b) => b.body.filter((l) => l.includes("conditions overlaid")));
    expect(titles).toEqual([
      "massSpurious — median across seeds, conditions overlaid (log scale)",
      "massSignal — median across seeds, conditions overlaid (log scale)",
      "accMajority — median across seeds, conditions overlaid",
      "accMinority — median across seeds, conditions overlaid",
      "wga — median across seeds, conditions overlaid",
      "signAlign — median across seeds, conditions overlaid",
      "coefSpurious — median across seeds, conditions overlaid",
    ]);
    expect(lines).toContain("### massSpurious, massSignal");
    expect(lines).toContain("### signAlign, coefSpurious");
  });

  it("keeps a chart within 100 columns even with a long caption and many series", () => {
    const long = conditionCharts(summary.conditions[0], "x".repeat(120), [["accAvg", "signAlign", "marginMajority", "marginMinority", "coefSignal", "massNoise"]]);
    expect(long).toHaveLength(3);
    for (const line of long.join("\n").split("\n")) expect(Array.from(line).length).toBeLessThanOrEqual(100);
  });

  it("samples a long trajectory down to the chart width", () => {
    const steps = Array.from({ length: 2001 }, (_, i) => i);
    const band = (f: (step: number) => number) => ({ steps, median: steps.map(f), p10: steps.map(f), p90: steps.map(f) });
    const condition = {
      ...summary.conditions[0],
      trajectories: {
        massSpurious: band((s) => Math.exp(s / 200)),
        massSignal: band((s) => 1 + s / 1000),
        accMajority: band((s) => Math.min(1, 0.5 + s / 400)),
        accMinority: band((s) => Math.min(1, s / 2000)),
        wga: band((s) => Math.min(1, s / 2000)),
      },
    };
    const charts = conditionCharts(condition, "long run");
    expect(charts).toHaveLength(2);
    const widths = charts.join("\n").split("\n").map((line) => Array.from(line).length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(100);
    expect(Math.max(...widths)).toBeGreaterThan(90); // uses the width it has
    expect(charts[0]).toContain("step (symlog scale: early steps stretched)");
    const ticks = charts[0].split("\n").find((line) => /^\s+0\s+1\s+2\s+5\s+10\b/.test(line));
    expect(ticks?.trim().split(/\s+/).at(-1)).toBe("2000");
  });

  it("shows both medians in the comparisons, with Δ infinite when one side never reached the event", () => {
    // two tables: unpaired (key, from → to, event, median steps, log-rank p (Holm), Δ median, Δ RMST [CI], Fisher p (Holm)),
    // then paired (key, from → to, event, paired Δ [CI], later/earlier/tied, sign-test p (Holm)); the log-rank p comes first
    const unpaired = sectionRows("### Event steps").slice(1);
    const pairedRows = sectionRows("### Event steps, seed by seed").slice(1);
    expect(unpaired[0]).toHaveLength(8);
    expect(pairedRows[0]).toHaveLength(6);
    const spuriousUnpaired = unpaired.find((c) => c[2] === "spurious")!;
    const spurious = [...spuriousUnpaired.slice(0, 4), spuriousUnpaired[5], spuriousUnpaired[6], spuriousUnpaired[4], spuriousUnpaired[7], ...pairedRows.find((c) => c[2] === "spurious")!.slice(3)];
    expect(spurious.slice(0, 5)).toEqual(["lambda", "0 → 1", "spurious", "40 → 30", "-10"]);
    const [c0, c1] = summary.conditions;
    const spuriousComparison = summary.comparisons.find((c) => c.event === "spurious")!;
    expect(spuriousComparison.diff).toBe(-10);
    // RMST: λ = 0 is the mean of 20, 40, 40, 60 = 40; λ = 1 of 20, 20, 40, 40 = 30
    expect(spuriousComparison.rmstDiff).toBeCloseTo(-10, 12);
    expect(spurious[5]).toBe(`-10 [${formatValue(spuriousComparison.rmstLo)}, ${formatValue(spuriousComparison.rmstHi)}]`);
    expect(spurious[6]).toBe(`${formatValue(spuriousComparison.pValue)} (${formatValue(spuriousComparison.pHolm)})`);
    expect(spurious[7]).toBe("1 (1)"); // Fisher: 4/4 vs 4/4
    // paired by seed, λ = 0 → 1: 20 → 20, 40 → 20, 40 → 40, 60 → 40: d = 0, −20, 0, −20, median −10
    const paired = spuriousComparison.paired;
    expect(paired).toMatchObject({ pairs: 4, later: 0, earlier: 2, tied: 2, diff: -10 });
    expect(spurious.slice(8)).toEqual(["-10 [-∞, +∞]", "0/2/2", `${formatValue(paired.pValue)} (${formatValue(paired.pHolm)})`]);
    // signal: 130 → ∞, so Δ = +∞ (stored as null)
    const signalUnpaired = unpaired.find((c) => c[2] === "signal")!;
    const signal = [...signalUnpaired.slice(0, 4), signalUnpaired[5]];
    expect(c0.events.signal.medianStep).toBe(130);
    expect(c1.events.signal.medianStep).toBeNull();
    const signalComparison = summary.comparisons.find((c) => c.event === "signal")!;
    expect(signalComparison.diff).toBeNull();
    expect(signalComparison.infinite).toEqual({ diff: 1 });
    expect(signal.slice(0, 5)).toEqual(["lambda", "0 → 1", "signal", "130 → ∞", "+∞"]);
    expect(lines.join("\n")).toContain("Holm-adjusted value over the 2 comparisons");
  });

  it("gives the differences of the headline final means between compared conditions, paired over the seeds, Holm-adjusted", () => {
    const rows = sectionRows("### Final metrics");
    expect(rows[0]).toEqual(["key", "from → to", "final", "Δ mean [95% CI]", "test", "p (Holm)"]);
    expect(rows.slice(1).map((r) => r[2])).toEqual(["wga", "coefSpurious", "coefSignal"]);
    const [from, to] = summary.conditions;
    const byMetric = (metric: string) => rows.find((r) => r[2] === metric)!;
    for (const metric of ["wga", "coefSpurious", "coefSignal"]) {
      const expected = summary.valueComparisons!.find((c) => c.from.lambda === from.condition.lambda && c.to.lambda === to.condition.lambda)!.values[`final.${metric}`];
      // the 3 seeds that did not diverge at λ = 1 differ by the same amount in some metrics: a zero-width
      // difference, printed with its reason instead of an interval
      const d = formatValue(expected.diff);
      const cell = expected.lo === expected.hi ? `${d} (every seed: ${d})` : `${d} [${formatValue(expected.lo)}, ${formatValue(expected.hi)}]`;
      expect(byMetric(metric).slice(3, 5)).toEqual([cell, "paired t"]);
    }
    const ps = ["wga", "coefSpurious", "coefSignal"].map((m) => summary.valueComparisons![0].values[`final.${m}`].pValue);
    const holm = holmAdjust(ps);
    ["wga", "coefSpurious", "coefSignal"].forEach((m, i) => {
      const { lo, hi } = summary.valueComparisons![0].values[`final.${m}`];
      expect(byMetric(m)[5]).toBe(lo === hi ? "—" : formatPHolm(ps[i], holm[i])); // no test of a constant difference
    });
    expect(lines.join("\n")).toContain("Holm-adjusted over the 3 tests of this table");
  });

  it("does not depend on the order of the records (they come in the order the runs finished)", () => {
    const reversed = [...records].reverse();
    const summaryOf = (rs: RunRecord[]) => summarizeStudy({ name: "tiny", configHash: "abc", events: DEFAULT_EVENTS, grid: config.grid, conditions: [{ lambda: 0 }, { lambda: 1 }], records: rs });
    expect(renderReport({ ...input, summary: summaryOf(reversed), records: reversed })).toBe(renderReport({ ...input, summary: summaryOf(records), records }));
  });

  it("gives each compared grid key its own comparisons tables, so long variant labels widen only theirs", () => {
    const variants = [{}, { activation: "leaky", leakySlope: 0.1 }];
    const twoKeys = records.flatMap((r) => variants.map((variant) => ({ ...r, condition: { lambda: r.condition.lambda, variant } })));
    const grid = { lambda: [0, 1], variant: variants };
    const conditions = [0, 1].flatMap((lambda) => variants.map((variant) => ({ lambda, variant })));
    const twoKeySummary = summarizeStudy({ name: "tiny", configHash: "abc", events: config.events, grid, conditions, records: twoKeys });
    const text = renderReport({ ...input, summary: twoKeySummary, records: twoKeys, config: { ...config, grid } });
    const section = text.slice(text.indexOf("## Comparisons"), text.indexOf("## Divergences"));
    // every table (header, rule, rows) holds the comparisons of one key only
    const tables = section.split("\n\n").filter((block) => block.startsWith("| key"));
    expect(tables.length).toBeGreaterThanOrEqual(6); // 3 sections × 2 keys, at least
    for (const table of tables) {
      const keys = new Set(table.split("\n").slice(2).map((row) => row.split("|")[1].trim()));
      expect(keys.size, table).toBe(1);
    }
    for (const line of section.split("\n").filter((l) => l.startsWith("|"))) expect(Array.from(line).length, line).toBeLessThanOrEqual(110);
  });

  it("keeps every table row within 110 characters", () => {
    for (const line of lines.filter((l) => l.startsWith("|"))) expect(Array.from(line).length, line).toBeLessThanOrEqual(110);
  });

  it("has a time-to-event table with the reached fraction, KM median and restricted mean", () => {
    const e = summary.conditions[0].events.signal;
    expect(tableRow("## Time to event", "condition")).toEqual(["condition", "event", "reached", "fraction [95% CI]", "KM median [95% CI]", "RMST [95% CI]", "horizon"]);
    const row = tableRow("## Time to event", "lambda=0");
    expect(row.slice(0, 3)).toEqual(["lambda=0", "spurious", "4/4"]);
    const signalRow = lines.slice(lines.indexOf("## Time to event")).find((l) => l.startsWith("| lambda=0") && l.includes("signal"))!;
    expect(signalRow).toContain(`130 [${e.medianLo}, ∞]`);
    expect(signalRow).toContain(`${formatValue(e.rmst)} [`); // (100 + 120 + 140 + 200)/4 = 140
    expect(e.rmst).toBeCloseTo(140, 12);
    expect(report).toContain("**Warning:** † fewer than 10 values");
  });

  it("has the lead of the signal event over the spurious one per condition, and compared", () => {
    // λ = 0: gaps 80, 80, 100 and one censored at 200 − 60; λ = 1: 4 gaps all censored (180, 180, 160, 160).
    const g = summary.conditions[0].gap!.spurious.signal;
    expect(g).toMatchObject({ n: 4, reached: 3, noGap: 0, horizon: 180 });
    const row = tableRow("## Lead between events", "lambda=0");
    expect(row.slice(0, 5)).toEqual(["lambda=0", "spurious → signal", "4/4", `3/4: 0.75 [${formatValue(g.reachedLo)}, ${formatValue(g.reachedHi)}]`, formatEventMedian(g)]);
    expect(row[5]).toBe(`${formatValue(g.rmst)} [${formatValue(g.rmstLo)}, ${formatValue(g.rmstHi)}] to 180`);
    expect(tableRow("## Lead between events", "lambda=1").slice(2, 5)).toEqual(["4/4", "0/4: 0 [0, 0.49]", "∞ [∞, ∞]"]);
    const compared = tableRow("### Gaps between neighbouring conditions", "lambda");
    expect(compared.slice(0, 4)).toEqual(["lambda", "0 → 1", "spurious → signal", `${formatEventStep(g.medianStep, g.n)} → ∞`]);
  });

  it("names the conditions without a gap instead of giving them empty rows", () => {
    const noSpurious = records.map((r) => (r.condition.lambda === 1 ? { ...r, events: { ...r.events, spurious: null } } : r));
    const section = gapsSection(summarizeStudy({ name: "tiny", configHash: "abc", events: DEFAULT_EVENTS, grid: config.grid, conditions: [{ lambda: 0 }, { lambda: 1 }], records: noSpurious }));
    expect(section).toContain("No run reached the first event, so there is no gap, in: lambda=1 (spurious → signal).");
    expect(section.split("\n").filter((line) => line.startsWith("| lambda=1"))).toEqual([]);
    expect(section.split("\n").filter((line) => line.startsWith("| lambda=0")).length).toBeGreaterThan(0);
  });

  it("spells out divergences and censoring per condition", () => {
    const section = report.slice(report.indexOf("## Divergences and censoring"));
    expect(section).toContain(
      ["**lambda=0**", "", "- diverged: none of 4 runs", "- spurious: reached by all 4 runs", "- signal: never reached by 1 of 4 runs (1 censored at step 200)"].join("\n"),
    );
    expect(section).toContain(
      [
        "**lambda=1**",
        "",
        "- diverged: 1 of 4 runs: seed 3 at step 160",
        "- spurious: reached by all 4 runs",
        "- signal: never reached by 4 of 4 runs (3 censored at step 200, 1 stopped by divergence, counted as censored at the horizon)",
      ].join("\n"),
    );
  });

  it("is deterministic", () => {
    expect(renderReport(input)).toBe(report);
  });
});

describe("headlineTable", () => {
  const table = headlineTable(summary);
  const rows = table.split("\n");

  it("has a two-line header, a rule and one aligned row per condition, within 100 columns", () => {
    expect(rows[0].trim().split(/ {2,}/)).toEqual(["spurious", "spurious", "signal", "signal", "final", "final", "final"]);
    expect(rows[1].split(/ {2,}/)).toEqual(["lambda", "runs", "diverged", "step [CI]", "reached", "step [CI]", "reached", "wga", "coefSpurious", "coefSignal"]);
    expect(rows[2]).toMatch(/^[- ]+$/);
    // every column is right-aligned after the first, so all table lines are as wide as the rule
    for (const row of rows.slice(1, 5)) expect(Array.from(row).length).toBe(rows[2].length);
    expect(rows[3].split(/ {2,}/)).toEqual(["0", "4", "0/4", expect.stringMatching(/^40 \[/), "4/4", expect.stringMatching(/^130 \[\d+, ∞\]$/), "3/4", "0.905", "2", "0.75"]);
    expect(rows[4].split(/ {2,}/)).toEqual(["1", "4", "1/4", expect.stringMatching(/^30 \[/), "4/4", "∞ [∞, ∞]", "0/4", "0.01", "2", "0"]);
    for (const row of rows) expect(Array.from(row).length).toBeLessThanOrEqual(100);
  });

  it("--wide: one header line, one table", () => {
    const wide = headlineTable(summary, { wide: true }).split("\n");
    expect(wide[0].split(/ {2,}/)).toEqual([
      "lambda", "runs", "diverged", "spurious step [CI]", "spurious reached", "signal step [CI]", "signal reached",
      "final wga", "final coefSpurious", "final coefSignal",
    ]);
    expect(wide[1]).toMatch(/^[- ]+$/);
  });

  it("splits into parts repeating the grid keys when even two header lines do not fit 100 columns", () => {
    const many = { ...summary, events: { ...summary.events, third: summary.events.signal, fourth: summary.events.signal } };
    const conditions = summary.conditions.map((c) => ({ ...c, events: { ...c.events, third: c.events.signal, fourth: c.events.signal } }));
    const split = headlineTable({ ...many, conditions }).split("\n");
    for (const row of split) expect(Array.from(row).length).toBeLessThanOrEqual(100);
    expect(split.filter((l) => l.startsWith("lambda"))).toHaveLength(2); // two parts, each with the key column
    expect(split.filter((l) => l.startsWith("1 "))).toHaveLength(2);
  });

  it("explains the events and ∞", () => {
    expect(table).toContain("spurious = first step with spuriousGap >= 0.5, signal = first step with wga >= 0.9");
    expect(table).toContain("steps are Kaplan–Meier medians (∞: fewer than half the runs reached the event)");
  });
});
