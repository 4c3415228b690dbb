// The effects of every grid key at once (issue 18 item 2): per event, a censored accelerated-
// failure-time regression of the runs' event steps on the grid keys (effectDesign.ts), its terms
// with Wald CIs and p and their time ratios — summary.json's `effects`, the `effect.*` paths and the
// report's Answers. Each run is censored at its own horizon (its `steps`), as events.csv writes it,
// so the model is the one R's survreg fits on that file.
import type { RunRecord } from "../../store/runRecord.js";
import { compareRunRecords } from "../../store/runOrder.js";
import { gapOf, type GapPair } from "./gaps.js";
import { designRow, effectDesign, type EffectDesign, type TermUnit } from "./effectDesign.js";
import { aftTerms, fitAft, type AftDistribution, type TimeToEvent, type WaldEstimate } from "../statistics/index.js";
import { formatParam } from "../../render/format.js";
import { canonicalJson } from "../../store/configHash.js";

/** The `effects` block of a config: the distribution of the model and the interactions to add (none by default). */
export interface EffectsConfig {
  dist: AftDistribution;
  interactions: [string, string][];
}

export const DEFAULT_EFFECTS: EffectsConfig = { dist: "weibull", interactions: [] };

/** The fields of a term in summary paths (`effect.<event>.<term>.<field>`). */
export const EFFECT_TERM_FIELDS = ["coef", "se", "lo", "hi", "p", "timeRatio", "timeRatioLo", "timeRatioHi"] as const;
export type EffectTermField = (typeof EFFECT_TERM_FIELDS)[number];

/** One grid term of a fitted model: its coefficient on ln(step) and the time ratio exp(coef·perUnit). */
export interface EffectTerm extends Record<EffectTermField, number> {
  term: string;
  label: string;
  unit: TermUnit;
}

/** One model: a response (an event's step, or a gap) regressed on the grid. */
export interface EffectModel {
  /** The event ("signal") or the gap ("gap.spurious.signal") whose time is modelled. */
  response: string;
  /** The model as R fits it, e.g. survreg(Surv(step, reached) ~ log(width) + lambda, dist = "weibull"). */
  formula: string;
  /** The rows of the exported table the formula is fitted to. */
  data: string;
  dist: AftDistribution;
  /** Runs in the model and how many of them reached the event (the rest are censored). */
  n: number;
  events: number;
  /** Null when fitted; else why not, in words (and `terms` is empty). */
  reason: string | null;
  /** Keys left out of the model, and why. */
  notes: string[];
  terms: EffectTerm[];
  /** The intercept and ln σ (survreg's Log(scale)), for a reader refitting the model. */
  intercept: { coef: number; se: number } | null;
  logScale: { coef: number; se: number } | null;
  logLik: number | null;
}

/** summary.json's `effects`: the model settings and one model per event (and per gap). */
export interface StudyEffects {
  dist: AftDistribution;
  interactions: [string, string][];
  models: EffectModel[];
}

/** One run's time in a model: the run's condition and its censored time. */
export interface Observation {
  condition: Readonly<Record<string, unknown>>;
  time: TimeToEvent;
}

/**
 * The term's row from its Wald estimate: the coefficient's, and the time ratio exp(coef·perUnit)
 * with the CI exp(lo·perUnit), exp(hi·perUnit).
 *
 * @example effectTerm({ term: "width", label: "log(width)", unit: "doubling", perUnit: Math.LN2 }, { estimate: 0.4, se: 0.1, lo: 0.204, hi: 0.596, z: 4, p: 6.3e-5 }).timeRatio // 1.3195 (2^0.4)
 */
function effectTerm(column: { term: string; label: string; unit: TermUnit; perUnit: number }, w: WaldEstimate): EffectTerm {
  const ratio = (x: number) => Math.exp(x * column.perUnit);
  return {
    term: column.term,
    label: column.label,
    unit: column.unit,
    coef: w.estimate,
    se: w.se,
    lo: w.lo,
    hi: w.hi,
    p: w.p,
    timeRatio: ratio(w.estimate),
    timeRatioLo: ratio(w.lo),
    timeRatioHi: ratio(w.hi),
  };
}

/**
 * Where a model that did not converge most likely separates: the values of a key at which every run
 * is censored ("every run with width=64 is censored").
 */
function censoredValues(design: EffectDesign, observations: readonly Observation[]): string[] {
  const found: string[] = [];
  for (const key of Object.keys(design.codings)) {
    const byValue = new Map<string, { value: unknown; reached: number }>();
    for (const o of observations) {
      const id = canonicalJson(o.condition[key] ?? null);
      const entry = byValue.get(id) ?? { value: o.condition[key], reached: 0 };
      if (o.time.observed) entry.reached++;
      byValue.set(id, entry);
    }
    for (const { value, reached } of byValue.values()) if (reached === 0) found.push(`every run with ${key}=${formatParam(value)} is censored`);
  }
  return found;
}

/** The largest believable standard error of a coefficient times its column's range, in ln T (see fitEffectModel). */
const MAX_LOG_SPREAD = 20;

/**
 * Fits one model: ln T ~ the design's columns. Not fitted — with the reason — when no key varies,
 * when fitAft cannot (all censored, no convergence, …), or when a term's standard error shows
 * separation; the reason then names the key values at which every run is censored.
 */
function fitEffectModel(
  design: EffectDesign,
  observations: readonly Observation[],
  options: { response: string; formula: string; data: string; dist: AftDistribution },
): EffectModel {
  const events = observations.filter((o) => o.time.observed).length;
  const base = { response: options.response, formula: options.formula, data: options.data, dist: options.dist, n: observations.length, events, notes: design.notes };
  const unfitted = (reason: string): EffectModel => ({ ...base, reason, terms: [], intercept: null, logScale: null, logLik: null });
  if (design.columns.length === 0) return unfitted("no grid key has two or more values: there is no effect to estimate");
  const rows = observations.map((o) => designRow(design, o.condition));
  const result = fitAft({ columns: ["(Intercept)", ...design.columns.map((c) => c.label)], rows, times: observations.map((o) => o.time) }, options.dist);
  const separation = (why: string) => {
    const where = censoredValues(design, observations);
    return unfitted(where.length === 0 ? why : `${why} (${where.join("; ")})`);
  };
  if (!result.fitted) return result.reason.startsWith("did not converge") ? separation(result.reason) : unfitted(result.reason);
  const table = aftTerms(result.fit);
  // Where the likelihood's supremum is at infinity (separation) Newton can still stop — the terms
  // that run off no longer move the likelihood — with a standard error no data could give: over
  // the range of its column, ln T would be unknown to ±MAX_LOG_SPREAD (a factor e^20 in time).
  const runaway = design.columns.filter((column, j) => {
    const values = rows.map((row) => row[j + 1]);
    return table[j + 1].se * (Math.max(...values) - Math.min(...values)) > MAX_LOG_SPREAD;
  });
  if (runaway.length > 0) {
    return separation(`${runaway.map((c) => c.label).join(", ")} cannot be estimated: the likelihood keeps rising as ${runaway.length === 1 ? "its coefficient grows" : "their coefficients grow"} without bound — separation`);
  }
  const last = table.length - 1;
  return {
    ...base,
    reason: null,
    terms: design.columns.map((column, j) => effectTerm(column, table[j + 1])),
    intercept: { coef: table[0].estimate, se: table[0].se },
    logScale: { coef: table[last].estimate, se: table[last].se },
    logLik: result.fit.logLik,
  };
}

/** survreg(Surv(<time>, <status>) ~ <terms>, dist = "<dist>"): the call that refits a model in R. */
function survregFormula(time: string, status: string, design: EffectDesign, dist: AftDistribution): string {
  return `survreg(Surv(${time}, ${status}) ~ ${design.formulaTerms === "" ? "1" : design.formulaTerms}, dist = "${dist}")`;
}

/**
 * A run's time to `event`, censored at its own horizon (its `steps`): the event's step, or `steps`
 * when it never reached it (or diverged first) — events.csv's (step, reached).
 *
 * @example eventObservation(record, "signal") // { condition: { width: 32 }, time: { time: 87, observed: true } }
 */
export function eventObservation(record: RunRecord, event: string): Observation {
  const step = record.events[event] ?? null;
  const horizon = record.params.steps;
  return { condition: record.condition, time: step === null || step > horizon ? { time: horizon, observed: false } : { time: step, observed: true } };
}

/**
 * The grid's values that some observation has, in grid order: a gap exists only in the runs that
 * reached its first event, which may all share one value of a key (no gap at λ = 0).
 */
function presentGrid(grid: Readonly<Record<string, readonly unknown[]>>, observations: readonly Observation[]): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(grid).map(([key, values]) => {
      const present = new Set(observations.map((o) => canonicalJson(o.condition[key] ?? null)));
      return [key, values.filter((v) => present.has(canonicalJson(v)))];
    }),
  );
}

/**
 * A run's gap from `first` to `second` in a model (gapOf at the run's own horizon, as events.csv
 * writes its `gap.<first>.<second>` rows); null when the run never reached `first`.
 */
function gapObservation(record: RunRecord, [first, second]: GapPair): Observation | null {
  const time = gapOf(record, first, second, record.params.steps);
  return time === null ? null : { condition: record.condition, time };
}

/**
 * summary.json's `effects`: the model of each event, its steps regressed on every grid key (and the
 * configured interactions), and of each gap over the runs that have one. A gap of 0 or less (the
 * second event no later than the first) has no logarithm, so such a gap's model is not fitted.
 */
export function studyEffects(args: {
  grid: Readonly<Record<string, readonly unknown[]>>;
  events: readonly string[];
  gaps: readonly GapPair[];
  records: readonly RunRecord[];
  config: EffectsConfig;
}): StudyEffects {
  const { config } = args;
  // one order whatever order the runs finished in, so the sums (and the last digits) never change
  const records = [...args.records].sort(compareRunRecords);
  const fitted = (response: string, observations: readonly Observation[]) => {
    const grid = presentGrid(args.grid, observations);
    const design = effectDesign(grid, config.interactions.filter((pair) => pair.every((key) => (grid[key]?.length ?? 0) >= 2)));
    return fitEffectModel(design, observations, { response, formula: survregFormula("step", "reached", design, config.dist), data: `events.csv rows with event == "${response}"`, dist: config.dist });
  };
  const eventModels = args.events.map((event) => fitted(event, records.map((r) => eventObservation(r, event))));
  const gapModels = args.gaps.map((pair) => {
    const response = `gap.${pair[0]}.${pair[1]}`;
    const observations = records.map((r) => gapObservation(r, pair)).filter((o): o is Observation => o !== null);
    const model = fitted(response, observations);
    const notPositive = observations.filter((o) => o.time.time <= 0).length;
    if (notPositive === 0) return model;
    const reason = `in ${notPositive} of ${observations.length} runs ${pair[1]} came no later than ${pair[0]} (a gap ≤ 0 has no logarithm); the ratio and the per-condition gap statistics still describe them`;
    return { ...model, reason, terms: [], intercept: null, logScale: null, logLik: null };
  });
  return { dist: config.dist, interactions: config.interactions, models: [...eventModels, ...gapModels] };
}
