// report.md (SPEC §5): a Markdown report of a study, built from its summary and run records alone,
// readable on GitHub and in a terminal (tables padded to aligned columns, charts in fenced blocks,
// no line of a chart wider than 100 columns). Also the plain-text headline table `study` prints.
import { VARIANT_KEY } from "../config/studyConfig.js";
import type { EventSpec } from "../kernel/events.js";
import { isScalarMetric } from "../kernel/metricNames.js";
import type { RunRecord } from "../store/runRecord.js";
import { canonicalJson } from "../store/configHash.js";
import { holmAdjust } from "../analysis/statistics/index.js";
import { valueDifference } from "../analysis/summaryPaths.js";
import type { Comparison, OrderSummary, StudySummary } from "../analysis/summaryTypes.js";
import { conditionCharts, OVERLAY_MAX_CONDITIONS, overlaidCharts } from "./asciiTrajectories.js";
import {
  conditionLabel,
  countOf,
  describeEvents,
  formatDiffCI,
  formatEventMedian,
  formatEventStep,
  formatInteger,
  formatMeanCI,
  formatParam,
  formatPHolm,
  formatSeconds,
  formatSignedStep,
  formatValue,
  SMALL_SAMPLE,
  SMALL_SAMPLE_NOTE,
} from "./format.js";
import { fittedMarkdownTable, markdownTable, textTable, TERMINAL_WIDTH, wrapWords, type Align, type TableLayout } from "./table.js";

interface ReportConfig {
  name: string;
  base: Record<string, unknown>;
  grid: Record<string, unknown[]>;
  seeds: number[];
  events: Record<string, EventSpec>;
  /** Extra charts: each a list of scalar metric names drawn together. */
  charts: string[][];
}

interface ReportMeta {
  /** ISO date the report was written. */
  date: string;
  version: string;
  gitCommit: string | null;
  cpu: string;
  cores: number;
  node: string;
  /** How long the study took; null when unknown (a report regenerated from runs.jsonl, a merge). */
  timing: StudyTiming | null;
}

/**
 * The wall time of the call that wrote the report, and the runs it computed in that time (a resumed
 * study computes only the missing ones).
 */
export interface StudyTiming {
  wallSeconds: number;
  computed: readonly RunRecord[];
}

export interface ReportInput {
  summary: StudySummary;
  records: RunRecord[];
  config: ReportConfig;
  /** The command line that reproduces the results. */
  command: string;
  meta: ReportMeta;
  /** SVG figures written beside the report: path relative to it, and caption. */
  figures?: { path: string; title: string }[];
  /** How complete the runs are; an incomplete study gets a banner at the top. */
  completeness?: { complete: boolean; expected: number; present: number; missing: number; setAside: number };
}

/** The banner of an incomplete study (or one with runs set aside); empty when there is nothing to say. */
function completenessBanner(c: ReportInput["completeness"]): string[] {
  if (c === undefined || (c.complete && c.setAside === 0)) return [];
  const lines: string[] = [];
  if (!c.complete) lines.push(`> **Incomplete study: ${c.present} of ${c.expected} runs present, ${c.missing} missing.** Every statistic below covers only the runs present; see \`completeness\` in summary.json for which.`);
  if (c.setAside > 0) lines.push(`> ${countOf(c.setAside, "run")} found in the results but not asked for by the config (kept in the runs file, not counted).`);
  return [...lines.flatMap((l, i) => (i === 0 ? [l] : [">", l])), ""];
}

/** Final metrics of the headline table (SPEC §5). */
export const HEADLINE_FINALS = ["wga", "coefSpurious", "coefSignal"] as const;

/** The † note, when some condition has fewer than SMALL_SAMPLE runs; "" otherwise. */
function smallSampleNote(summary: StudySummary): string {
  return summary.conditions.some((c) => c.runs < SMALL_SAMPLE) ? `\n\n**Warning:** ${SMALL_SAMPLE_NOTE}` : "";
}

// ---------------------------------------------------------------------------------------------
// Headline

/** The per-condition headline: events (median [CI], reached k/n) and finals, with the layout to split it by. */
function headlineColumns(summary: StudySummary, style: "report" | "terminal" | "wide"): { header: string[]; rows: string[][]; layout: TableLayout } {
  const gridKeys = Object.keys(summary.grid);
  const eventNames = Object.keys(summary.events);
  // The terminal's headers stack over two lines, so that the table fits 100 columns.
  const head = (top: string, bottom: string) => (style === "terminal" ? `${top}\n${bottom}` : `${top} ${bottom}`);
  const keys = gridKeys.length > 0 ? gridKeys : ["condition"];
  const header = [
    ...keys,
    "runs",
    ...eventNames.flatMap((e) => [head(e, style === "report" ? "step [95% CI]" : "step [CI]"), head(e, "reached")]),
    ...HEADLINE_FINALS.map((m) => (style === "report" ? `final ${m} [95% CI]` : head("final", m))),
  ];
  const rows = summary.conditions.map((c) => [
    ...(gridKeys.length > 0 ? gridKeys.map((k) => formatParam(c.condition[k])) : [conditionLabel(c.condition)]),
    String(c.runs),
    ...eventNames.flatMap((e) => {
      const event = c.events[e];
      return event === undefined ? ["—", "—"] : [formatEventMedian(event), `${event.reached}/${event.n}`];
    }),
    ...HEADLINE_FINALS.map((m) => (style === "report" ? formatMeanCI(c.final[m]) : formatValue(c.final[m]?.mean ?? null))),
  ]);
  // Split after the keys and runs; an event's step and reached columns stay together.
  const layout: TableLayout = { keyColumns: keys.length, groups: [1, ...eventNames.map(() => 2)] };
  return { header, rows, layout };
}

/**
 * The headline table for the terminal after a study: per condition, each event's median step with
 * its 95% CI and how many runs reached it, and the mean final wga / coefSpurious / coefSignal. Fits
 * 100 columns (headers over two lines, split in parts if still wider); `wide` gives one table.
 */
export function headlineTable(summary: StudySummary, options: { wide?: boolean } = {}): string {
  const { header, rows, layout } = headlineColumns(summary, options.wide ? "wide" : "terminal");
  return [
    textTable(header, rows, { ...layout, maxWidth: options.wide ? Infinity : TERMINAL_WIDTH }),
    "",
    ...wrapWords(`events: ${describeEvents(summary.events)}`, TERMINAL_WIDTH),
    "steps are Kaplan–Meier medians (∞: fewer than half the runs reached the event);",
    "finals are means over seeds (their CIs are in report.md)",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// The report

/** Steps a run trained for: up to its divergence, else its horizon. */
function stepsTrained(record: RunRecord): number {
  return record.diverged ?? record.params.steps;
}

function wallTimeText(timing: StudyTiming | null, runs: number): string {
  if (timing === null) return "unknown (report regenerated from runs.jsonl)";
  const resumed = runs - timing.computed.length;
  return formatSeconds(timing.wallSeconds) + (resumed > 0 ? ` (computing ${countOf(timing.computed.length, "run")}; ${resumed} ${resumed === 1 ? "was" : "were"} already done)` : "");
}

function metadataSection(input: ReportInput): string {
  const { meta, records } = input;
  const totalSteps = records.reduce((sum, r) => sum + stepsTrained(r), 0);
  const summedRunSeconds = records.reduce((sum, r) => sum + r.wallMs, 0) / 1000;
  const engines = [...new Set(records.map((r) => `kernel ${r.engine.kernel}, ${countOf(r.engine.shards, "shard")} per run, ${r.engine.threads} threads`))];
  const rows: string[][] = [
    ["date", meta.date],
    ["tool version", `shortcut-bench ${meta.version}`],
    ["git commit", meta.gitCommit ?? "unknown"],
    ["CPU", meta.cpu],
    ["cores", String(meta.cores)],
    ["Node", meta.node],
    ["wall time", wallTimeText(meta.timing, records.length)],
    ["runs", `${records.length} (${input.summary.conditions.length} conditions)`],
    ["engine", engines.length > 0 ? engines.join("; ") : "—"],
    ["total steps", formatInteger(totalSteps)],
    [
      "steps/s per run",
      summedRunSeconds > 0
        ? `${formatInteger(totalSteps / summedRunSeconds)} (total steps ÷ summed wall time of the runs)`
        : "—",
    ],
  ];
  const timing = meta.timing;
  if (timing !== null && timing.wallSeconds > 0 && timing.computed.length > 0) {
    const computedSteps = timing.computed.reduce((sum, r) => sum + stepsTrained(r), 0);
    const of = timing.computed.length === records.length ? "total steps" : "steps of the runs computed";
    rows.push(["steps/s, study", `${formatInteger(computedSteps / timing.wallSeconds)} (${of} ÷ study wall time; runs go in parallel)`]);
  }
  return markdownTable(["", "value"], rows, ["left", "left"]);
}

function seedsText(seeds: readonly number[]): string {
  const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  if (seeds.length > 3 && consecutive) return `${seeds.length} (${seeds[0]} … ${seeds[seeds.length - 1]})`;
  return `${seeds.length} (${seeds.join(", ")})`;
}

function paramsSection(config: ReportConfig): string {
  // A grid key's base value is never used: say so rather than show a value no run had.
  const base = markdownTable(
    ["key", "value"],
    Object.entries(config.base).map(([key, value]) => [key, key in config.grid ? "(from the grid)" : value === null ? "none" : formatParam(value)]),
    ["left", "left"],
  );
  const gridEntries = Object.entries(config.grid);
  const grid =
    gridEntries.length === 0
      ? "No grid: a single condition at the base params."
      : markdownTable(
          ["key", "values"],
          // a variant may list several keys itself, so each variant gets a row of its own
          gridEntries.flatMap(([key, values]) =>
            key === VARIANT_KEY ? values.map((v, i) => [i === 0 ? key : "", formatParam(v)]) : [[key, values.map(formatParam).join(", ")]],
          ),
          ["left", "left"],
        );
  const events = markdownTable(
    ["event", "first step with (located to one step)"],
    Object.entries(config.events).map(([name, spec]) => [name, `${spec.metric} ${spec.op} ${spec.value}`]),
    ["left", "left"],
  );
  return [
    "### Base params",
    "",
    "Every run uses these, with its condition's grid values and its seed.",
    "",
    base,
    "",
    "### Grid",
    "",
    grid,
    "",
    `Seeds: ${seedsText(config.seeds)}.`,
    "",
    "### Events",
    "",
    events,
  ].join("\n");
}

function ratesTable(summary: StudySummary): string {
  const rates = ["spuriousRate", "signalRate", "rateGap"];
  const rows = summary.conditions.map((c) => [
    conditionLabel(c.condition),
    ...rates.flatMap((rate) => [formatMeanCI(c.rates[rate]), `${c.rates[rate]?.n ?? 0}/${c.runs}`]),
  ]);
  return fittedMarkdownTable(["condition", ...rates.flatMap((rate) => [`${rate} [95% CI]`, `${rate} runs`])], rows, { groups: rates.map(() => 2) });
}

/** Per condition and pair of events (in the order the study lists them): how often the first came first. */
function orderTable(summary: StudySummary): string {
  const events = Object.keys(summary.events);
  const pairs = events.flatMap((first, i) => events.slice(i + 1).map((second) => [first, second] as const));
  if (pairs.length === 0) return "Only one event: nothing to order.";
  const rows = summary.conditions.flatMap((c) =>
    pairs.map(([first, second]) => {
      const o: OrderSummary | undefined = c.order?.[first]?.[second];
      if (o === undefined) return [conditionLabel(c.condition), `${first} before ${second}`, "—", "—", "—", "—", "—"];
      const fraction = o.fraction === null ? "—" : `${formatValue(o.fraction)} [${formatValue(o.lo)}, ${formatValue(o.hi)}]`;
      return [
        conditionLabel(c.condition),
        `${first} before ${second}`,
        `${o.before}/${o.both}`,
        fraction,
        String(o.onlyFirst),
        String(o.onlySecond),
        String(o.neither),
      ];
    }),
  );
  return [
    fittedMarkdownTable(["condition", "order", "runs with both: first earlier", "fraction [95% CI]", `only first`, `only second`, "neither"], rows, { align: ["left", "left"], keyColumns: 2 }),
    "",
    "Among the runs that reached both events, how many reached the first at an earlier evaluated step (Wilson 95% CI); " +
      "runs that reached only one of them, or neither, are counted apart.",
  ].join("\n");
}

/** Metrics shown at the checkpoints: the headline finals, then the metrics of the config's extra charts. */
function checkpointMetrics(config: ReportConfig): string[] {
  const metrics: string[] = [...HEADLINE_FINALS];
  for (const chart of config.charts) for (const m of chart) if (isScalarMetric(m) && !metrics.includes(m)) metrics.push(m);
  return metrics;
}

/** One table per metric: a row per condition, a column per checkpoint step (at most a dozen), cells mean [95% CI]. */
function checkpointsSection(summary: StudySummary, config: ReportConfig): string {
  const steps = [...new Set(summary.conditions.flatMap((c) => Object.keys(c.at ?? {}).map(Number)))].sort((a, b) => a - b);
  if (steps.length === 0) return "No checkpoint steps were evaluated.";
  const tables = checkpointMetrics(config).map((metric) => {
    const rows = summary.conditions.map((c) => [conditionLabel(c.condition), ...steps.map((step) => formatMeanCI(c.at?.[step]?.[metric]))]);
    return [`### ${metric}`, "", fittedMarkdownTable(["condition", ...steps.map((step) => `step ${step}`)], rows)].join("\n");
  });
  return [
    "Mean across seeds at the checkpoint steps (0 and 1, 2, 5, 10, 20, 50, 100, … where evaluated) with a 95% Student t CI; " +
      "check rules read every metric here as `at<step>.<metric>.<field>`, and its change since step 0 as `change<step>.<metric>.<field>`.",
    "",
    tables.join("\n\n"),
  ].join("\n");
}

/**
 * One comparisons table per grid key compared (the key is each row's first cell): a variant's labels
 * make the key columns of its rows wide, and the other keys' rows need not share that width.
 */
function tablesByKey(header: readonly string[], rows: readonly string[][], layout: TableLayout): string {
  const keys = [...new Set(rows.map((r) => r[0]))];
  return keys.map((key) => fittedMarkdownTable(header, rows.filter((r) => r[0] === key), layout)).join("\n\n");
}

/** The leading cells of a comparison row: the key, from → to, the other grid keys' values (when there are others), then `what` (an event or a metric). */
function comparisonKeyCells(gridKeys: readonly string[], key: string, from: Record<string, unknown>, to: Record<string, unknown>, what: string): string[] {
  const others = gridKeys.filter((k) => k !== key).map((k) => `${k}=${formatParam(from[k])}`).join(", ");
  return [key, `${formatParam(from[key])} → ${formatParam(to[key])}`, ...(gridKeys.length > 1 ? [others] : []), what];
}

/** The header of those leading columns (`what` names the last) and a layout that keeps them, left-aligned, in every part of a split table. */
function comparisonKeyColumns(gridKeys: readonly string[], what: string): { header: string[]; layout: TableLayout } {
  const header = ["key", "from → to", ...(gridKeys.length > 1 ? ["at"] : []), what];
  return { header, layout: { align: header.map((): Align => "left"), keyColumns: header.length } };
}

function comparisonsSection(summary: StudySummary): string {
  if (summary.comparisons.length === 0) {
    return "No comparisons: no grid key has two or more values.";
  }
  const byKey = new Map(summary.conditions.map((c) => [canonicalJson(c.condition), c]));
  const gridKeys = Object.keys(summary.grid);
  const rows = summary.comparisons.map((cmp: Comparison) => {
    const from = byKey.get(canonicalJson(cmp.from))?.events[cmp.event];
    const to = byKey.get(canonicalJson(cmp.to))?.events[cmp.event];
    const fromMedian = from === undefined ? "—" : formatEventStep(from.medianStep, from.n);
    const toMedian = to === undefined ? "—" : formatEventStep(to.medianStep, to.n);
    // Δ is null only when exactly one median is ∞ (∞ − ∞ is stored as 0): its sign says which.
    const diffSign = cmp.infinite?.diff ?? (from?.medianStep === null ? -1 : 1);
    const p = cmp.paired;
    const paired =
      p.pairs === 0
        ? ["—", "—", "—"]
        : [
            formatDiffCI(p.diff, p.lo, p.hi, p.infinite?.diff ?? Math.sign(p.diff ?? 0), p.infinite),
            `${p.later}/${p.earlier}/${p.tied}`,
            formatPHolm(p.pValue, p.pHolm),
          ];
    const rmst = cmp.rmstDiff === null ? "—" : `${formatValue(cmp.rmstDiff)} [${formatValue(cmp.rmstLo)}, ${formatValue(cmp.rmstHi)}]`;
    const keys = comparisonKeyCells(gridKeys, cmp.key, cmp.from, cmp.to, cmp.event);
    return {
      unpaired: [...keys, `${fromMedian} → ${toMedian}`, formatPHolm(cmp.pValue, cmp.pHolm), formatSignedStep(cmp.diff, diffSign), rmst, formatPHolm(cmp.fisherP, cmp.fisherHolm)],
      paired: [...keys, ...paired],
    };
  });
  const { header: keyHeader, layout } = comparisonKeyColumns(gridKeys, "event");
  return [
    "### Event steps",
    "",
    tablesByKey([...keyHeader, "median steps", "log-rank p (Holm)", "Δ median", "Δ RMST [95% CI]", "Fisher p (Holm)"], rows.map((r) => r.unpaired), layout),
    "",
    "### Event steps, seed by seed",
    "",
    tablesByKey([...keyHeader, "paired Δ [95% CI]", "later/earlier/tied", "sign-test p (Holm)"], rows.map((r) => r.paired), layout),
    "",
    "Median steps are Kaplan–Meier medians (∞: fewer than half the runs reached the event within the horizon); " +
      "Δ median = median(to) − median(from) (∞ − ∞ = 0). Δ RMST is the difference of restricted mean times to the event " +
      "(the area under the Kaplan–Meier curve up to the horizon, so censored runs count for their whole horizon) with a " +
      "95% t CI: paired over the seeds when both conditions ran the same seeds (each seed's runs are correlated " +
      "across conditions), Welch–Satterthwaite otherwise. The log-rank p is two-sided, from relabelling the runs of the two conditions " +
      "(every relabelling when there are at most 20 000, else 9 999 seeded random ones); Fisher's exact test compares " +
      "the reached fractions.",
    "",
    "Paired: the same seed in both conditions shares its initialisation, training stream and test set, so per seed " +
      "d = step(to) − step(from) (a run that never reached the event counts as +∞); paired Δ is the median of d with the " +
      "interpolated order-statistic 95% CI (Hettmansperger–Sheather), later/earlier/tied count the seeds with d > 0, d < 0, d = 0, and the " +
      "p-value is a two-sided exact sign test (ties dropped).",
    "",
    `Multiplicity: each p-value is followed by its Holm-adjusted value over the ${summary.comparisons.length} comparisons ` +
      "of these tables (one family per test).",
    "",
    ...finalDifferences(summary),
  ].join("\n");
}

/**
 * "### Final metrics": per compared pair of conditions and headline final metric, mean(to) − mean(from)
 * with its 95% CI and p (valueDifference: a paired t over the seeds when both ran the same seeds, else
 * Welch–Satterthwaite), Holm-adjusted over the table.
 */
function finalDifferences(summary: StudySummary): string[] {
  const byKey = new Map(summary.conditions.map((c) => [canonicalJson(c.condition), c]));
  const gridKeys = Object.keys(summary.grid);
  const pairs = new Map<string, { key: string; from: Record<string, unknown>; to: Record<string, unknown> }>();
  for (const c of summary.comparisons) pairs.set(canonicalJson([c.key, c.from, c.to]), { key: c.key, from: c.from, to: c.to });
  const tests = [...pairs.values()].flatMap(({ key, from, to }) => {
    const a = byKey.get(canonicalJson(from));
    const b = byKey.get(canonicalJson(to));
    return HEADLINE_FINALS.map((metric) => ({
      key,
      from,
      to,
      metric,
      difference: a === undefined || b === undefined ? null : valueDifference(summary, a, b, key, { section: "final", step: null, name: metric }),
    }));
  });
  if (tests.length === 0) return [];
  const holm = holmAdjust(tests.map((t) => t.difference?.pValue ?? null));
  const rows = tests.map((t, i) => {
    const d = t.difference;
    return [
      ...comparisonKeyCells(gridKeys, t.key, t.from, t.to, t.metric),
      d === null ? "—" : `${formatValue(d.diff)} [${formatValue(d.lo)}, ${formatValue(d.hi)}]`,
      d === null ? "—" : d.method,
      d === null ? "—" : formatPHolm(d.pValue, holm[i]),
    ];
  });
  const { header: keyHeader, layout } = comparisonKeyColumns(gridKeys, "final");
  return [
    "### Final metrics",
    "",
    tablesByKey([...keyHeader, "Δ mean [95% CI]", "test", "p (Holm)"], rows, layout),
    "",
    "Δ mean = mean(to) − mean(from) of the runs' final values, with a 95% t CI and a two-sided p: a paired t over the seeds " +
      "when both conditions ran the same seeds, Welch–Satterthwaite otherwise. " +
      `Holm-adjusted over the ${tests.length} tests of this table.`,
  ];
}

/** Per condition and event: reached fraction, Kaplan–Meier median and restricted mean time to the event. */
function timeToEventTable(summary: StudySummary): string {
  const eventNames = Object.keys(summary.events);
  const rows = summary.conditions.flatMap((c) =>
    eventNames.map((name) => {
      const e = c.events[name];
      if (e === undefined) return [conditionLabel(c.condition), name, "—", "—", "—", "—", "—"];
      return [
        conditionLabel(c.condition),
        name,
        `${e.reached}/${e.n}`,
        `${formatValue(e.reachedFraction)} [${formatValue(e.reachedLo)}, ${formatValue(e.reachedHi)}]`,
        formatEventMedian(e),
        e.rmst === null ? "—" : `${formatValue(e.rmst)} [${formatValue(e.rmstLo)}, ${formatValue(e.rmstHi)}]`,
        String(e.horizon),
      ];
    }),
  );
  return [
    fittedMarkdownTable(["condition", "event", "reached", "fraction [95% CI]", "KM median [95% CI]", "RMST [95% CI]", "horizon"], rows, { align: ["left", "left"], keyColumns: 2 }),
    "",
    "Event steps are right-censored at the horizon (the runs' last step); a run that diverged before reaching an event " +
      "counts as never reaching it. Fraction: Wilson 95% CI. KM median: the first step at which the Kaplan–Meier " +
      "estimate of the share of runs yet to reach the event is ≤ 1/2, with the Brookmeyer–Crowley 95% CI (log " +
      "bands; ∞: not bounded within the horizon). RMST: the restricted mean step of the event, ∫₀^horizon Ŝ(t) dt, " +
      "with a 95% t CI (n − 1 degrees of freedom; the Student t CI of mean(min(step, horizon)) when every run reached it).",
  ].join("\n");
}

/** "seed 3 at step 40, seed 7 at step 110" */
function listSeedsAtSteps(entries: { seed: number; step: number }[]): string {
  return entries.map((e) => `seed ${e.seed} at step ${e.step}`).join(", ");
}

function divergenceSection(summary: StudySummary, records: readonly RunRecord[]): string {
  const recordsByCondition = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = canonicalJson(r.condition);
    recordsByCondition.set(key, [...(recordsByCondition.get(key) ?? []), r]);
  }
  const eventNames = Object.keys(summary.events);
  const blocks = summary.conditions.map((c) => {
    const runs = [...(recordsByCondition.get(canonicalJson(c.condition)) ?? [])].sort((a, b) => a.seed - b.seed);
    const lines: string[] = [];
    const diverged = runs.filter((r) => r.diverged !== null);
    lines.push(
      diverged.length === 0
        ? `- diverged: none of ${runs.length} runs`
        : `- diverged: ${diverged.length} of ${runs.length} runs (${listSeedsAtSteps(diverged.map((r) => ({ seed: r.seed, step: r.diverged as number })))})`,
    );
    for (const e of eventNames) {
      const neverReached = runs.filter((r) => (r.events[e] ?? null) === null);
      if (neverReached.length === 0) {
        lines.push(`- ${e}: reached by all ${runs.length} runs`);
        continue;
      }
      // A run is censored at its horizon, or earlier at its divergence.
      const horizons = new Map<number, number>();
      let censoredByDivergence = 0;
      for (const r of neverReached) {
        if (r.diverged !== null) censoredByDivergence++;
        else horizons.set(r.params.steps, (horizons.get(r.params.steps) ?? 0) + 1);
      }
      const parts = [...horizons].sort((a, b) => a[0] - b[0]).map(([steps, count]) => `${count} censored at step ${steps}`);
      if (censoredByDivergence > 0) parts.push(`${censoredByDivergence} stopped by divergence, counted as censored at the horizon`);
      lines.push(`- ${e}: never reached by ${neverReached.length} of ${runs.length} runs (${parts.join(", ")})`);
    }
    return [`**${conditionLabel(c.condition)}**`, "", ...lines].join("\n");
  });
  return [
    "A run that never reaches an event within its steps is censored at its horizon, so a median or a CI bound shown " +
      "as ∞ means too few runs reached the event. A run that diverged (non-finite loss or weight) stops at that step; " +
      "for an event it had not reached it counts as never reaching it (censored at the horizon), since it no longer can.",
    "",
    blocks.join("\n\n"),
  ].join("\n");
}

/**
 * The fenced ASCII charts: with few conditions, per metric group a block of one chart per metric
 * with the conditions overlaid; with more, per condition a block of its groups' charts.
 */
function asciiChartBlocks(summary: StudySummary, extraCharts: readonly (readonly string[])[]): string[] {
  const fence = (heading: string, charts: string[]) =>
    [`### ${heading}`, "", "```text", charts.length === 0 ? "(no trajectories to plot)" : charts.join("\n\n"), "```"].join("\n");
  if (summary.conditions.length <= OVERLAY_MAX_CONDITIONS) {
    const labels = summary.conditions.map((c) => conditionLabel(c.condition));
    return overlaidCharts(summary, labels, extraCharts).map((group) => fence(group.metrics.join(", "), group.charts));
  }
  return summary.conditions.map((c) => {
    const caption = `${conditionLabel(c.condition)}, median of ${countOf(c.runs, "seed")}`;
    return fence(conditionLabel(c.condition), conditionCharts(c, caption, extraCharts));
  });
}

/** The figures as Markdown images with relative links, so GitHub shows them inline. */
function figuresSection(figures: readonly { path: string; title: string }[]): string {
  if (figures.length === 0) return "(no figures)";
  return figures.map((f) => `![${f.title}](${f.path})`).join("\n\n");
}

/** The Markdown report of a study (SPEC §5). */
export function renderReport(input: ReportInput): string {
  const { summary, config } = input;
  const eventNames = Object.keys(summary.events);
  const headline = headlineColumns(summary, "report");
  const chartBlocks = asciiChartBlocks(summary, config.charts);
  const sections = [
    `# Study ${summary.name}`,
    "",
    ...completenessBanner(input.completeness),
    "Reproduce with:",
    "",
    "```sh",
    input.command,
    "```",
    "",
    `Config hash \`${summary.configHash}\`.`,
    "",
    "## Machine and run",
    "",
    metadataSection(input),
    "",
    "## Parameters",
    "",
    paramsSection(config),
    "",
    "## Headline",
    "",
    fittedMarkdownTable(headline.header, headline.rows, headline.layout),
    "",
    `Per condition: for each event (${eventNames.join(", ")}), the Kaplan–Meier median step with its Brookmeyer–Crowley ` +
      "95% CI (∞: fewer than half the runs reached it within the horizon) and how many runs reached it; final metrics " +
      "are means over seeds at the last step with a 95% Student t CI." + smallSampleNote(summary),
    "",
    "## Time to event",
    "",
    timeToEventTable(summary),
    "",
    "## Rates",
    "",
    ratesTable(summary),
    "",
    "Least-squares slope of ln mass against step over phase 1 (step 0 to the spurious event), mean over the runs " +
      "that have one (a run reaching the event in fewer than 3 steps, or not at all, has none). rateGap is the paired " +
      "difference spuriousRate − signalRate of each run that has both.",
    "",
    "## Event order",
    "",
    orderTable(summary),
    "",
    "## Checkpoints",
    "",
    checkpointsSection(summary, config),
    "",
    "## Figures",
    "",
    figuresSection(input.figures ?? []),
    "",
    "## Median trajectories",
    "",
    "Per evaluated step, the median across seeds (lines) and the 10th–90th percentiles (· bands); a step axis " +
      "of 100 steps or more is symlog (early steps stretched, so phase 1 is visible).",
    "",
    chartBlocks.join("\n\n"),
    "",
    "## Comparisons",
    "",
    comparisonsSection(summary),
    "",
    "## Divergences and censoring",
    "",
    divergenceSection(summary, input.records),
    "",
  ];
  return sections.join("\n");
}
