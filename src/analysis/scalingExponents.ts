// Scaling exponents along a numeric key (issue 18 item 3), one case of the effect models: b in
// time ∝ key^b is the coefficient of log(key) in the accelerated-failure-time model of an event's
// step — or of samples = step × batch — over the runs chosen (the other keys that vary among them
// enter as further terms), with its Wald CI. The local exponents between neighbouring values come
// from the same model with the key as levels, (β_b − β_a)/ln(b/a), each with its Wald CI: a power
// law has equal local exponents, curvature shows as a trend in them. The same model with the power
// fixed — time ∝ key·(ln key)^k, Glasgow's d·polylog d — compares laws by their likelihood.
import type { RunRecord } from "../store/runRecord.js";
import { canonicalJson } from "../store/configHash.js";
import { compareRunRecords } from "../store/runOrder.js";
import { designRow, effectDesign } from "./summary/effectDesign.js";
import { eventObservation, type Observation } from "./summary/effects.js";
import { aftContrast, fitAft, type AftDistribution, type AftFit, type WaldEstimate } from "./statistics/index.js";

/** The exponent between two neighbouring values of the key. */
export interface LocalExponent extends Omit<WaldEstimate, "z"> {
  from: number;
  to: number;
}

export interface ScalingExponent {
  key: string;
  event: string;
  response: "step" | "samples";
  /** The model as R fits it, on the runs chosen. */
  formula: string;
  n: number;
  events: number;
  /** The key's values among the runs chosen, ascending. */
  values: number[];
  /** Null when fitted; else why not (and the numbers below are null or empty). */
  reason: string | null;
  exponent: Omit<WaldEstimate, "z"> | null;
  /**
   * ln of the fitted median time at key = 1 (other terms at their first value): the fitted medians
   * are exp(medianIntercept)·key^exponent. The median of W is ln ln 2 (Weibull) or 0 (log-normal).
   */
  medianIntercept: number | null;
  /** The model's log-likelihood and its number of parameters (coefficients and the scale). */
  logLik: number | null;
  parameters: number;
  local: LocalExponent[];
}

/** Which runs, which response, which model (see scalingExponent). */
export interface ScalingOptions {
  key: string;
  event: string;
  response?: "step" | "samples";
  /** Only the runs whose condition has these values (e.g. { lambda: 0 }). */
  where?: Readonly<Record<string, unknown>>;
  /** Only the runs at these values of the key (all: absent): the exponent over a range. */
  values?: readonly number[];
  dist?: AftDistribution;
}

const MEDIAN_OF_W: Record<AftDistribution, number> = { weibull: Math.log(Math.LN2), lognormal: 0 };

/** The grid the chosen runs span: each condition key's distinct values, numbers ascending. */
function gridOf(records: readonly RunRecord[]): Record<string, unknown[]> {
  const grid: Record<string, unknown[]> = {};
  for (const r of records) {
    for (const [key, value] of Object.entries(r.condition)) {
      const values = (grid[key] ??= []);
      if (!values.some((v) => canonicalJson(v) === canonicalJson(value))) values.push(value);
    }
  }
  for (const values of Object.values(grid)) if (values.every((v) => typeof v === "number")) (values as number[]).sort((a, b) => a - b);
  return grid;
}

function withoutZ(w: WaldEstimate): Omit<WaldEstimate, "z"> {
  const { z: _z, ...rest } = w;
  return rest;
}

/** The runs `options` choose, in canonical order, with their observations and the grid they span (the `where` keys left out). */
function chooseRuns(records: readonly RunRecord[], options: ScalingOptions) {
  const { key, event } = options;
  const where = options.where ?? {};
  const chosen = records
    .filter((r) => Object.entries(where).every(([k, v]) => canonicalJson(r.condition[k] ?? null) === canonicalJson(v)))
    .filter((r) => options.values === undefined || options.values.includes(r.condition[key] as number))
    .sort(compareRunRecords);
  const grid = gridOf(chosen);
  for (const k of Object.keys(where)) delete grid[k];
  const observations: Observation[] = chosen.map((r) => {
    const o = eventObservation(r, event);
    return options.response === "samples" ? { condition: o.condition, time: { ...o.time, time: o.time.time * r.params.batch } } : o;
  });
  const time = options.response === "samples" ? samplesTerm(chosen, key) : "step";
  const conditions = [`event == "${event}"`, ...Object.entries(where).map(([k, v]) => `${k} == ${JSON.stringify(v)}`)];
  if (options.values !== undefined) conditions.push(`${key} %in% c(${options.values.join(", ")})`);
  return { grid, observations, time, subset: conditions.join(" & ") };
}

/**
 * samples = step × batch as R computes it from events.csv, which has no batch column: the batch as
 * a number when the runs share one, or as the key times a constant (batch = d/8), else `batch`
 * (each run's own, from its params: the reader has to join it).
 *
 * @example samplesTerm(runsWithBatch64, "d") // "step * 64"; with batch = d/8: "step * d / 8"
 */
function samplesTerm(chosen: readonly RunRecord[], key: string): string {
  const same = (values: number[]) => values.every((v) => v === values[0]);
  const batches = chosen.map((r) => r.params.batch);
  if (same(batches)) return `step * ${batches[0]}`;
  const ratios = chosen.map((r) => r.params.batch / (r.condition[key] as number));
  if (!same(ratios) || !(ratios[0] > 0)) return "step * batch";
  return Number.isInteger(1 / ratios[0]) ? `step * ${key} / ${1 / ratios[0]}` : `step * ${key} * ${ratios[0]}`;
}

type Design = ReturnType<typeof effectDesign>;

/** The AFT fit of `observations` (times as given) on `design`, or why there is none. */
function fitDesign(design: Design, observations: readonly Observation[], times: readonly Observation["time"][], dist: AftDistribution): AftFit | string {
  const result = fitAft({ columns: ["(Intercept)", ...design.columns.map((c) => c.label)], rows: observations.map((o) => designRow(design, o.condition)), times }, dist);
  return result.fitted ? result.fit : result.reason;
}

/**
 * ln of the fitted median time where every term but `skip` (a column index, −1: none) is at the
 * grid's first value and the skipped column at `at` of `key`.
 */
function medianAtFirst(fit: AftFit, design: Design, grid: Record<string, unknown[]>, key: string, skip: number): number {
  const first = Object.fromEntries(Object.entries(grid).map(([k, vs]) => [k, vs[0]]));
  const offset = designRow(design, { ...first, [key]: 1 }).reduce((s, x, j) => (j === skip ? s : s + x * fit.coef[j]), 0);
  return offset + fit.scale * MEDIAN_OF_W[fit.dist];
}

/**
 * The exponent of `event`'s step (or samples) in `key` over the runs matching `where` (and `values`),
 * and its local exponents. Not fitted — with the reason — when the key is not numeric and positive
 * with two or more values among those runs, or when the model cannot be fitted (all censored,
 * separation, …).
 *
 * @example scalingExponent(records, { key: "d", event: "signal", response: "samples", where: { lambda: 0 } }) // { exponent: { estimate: 0.69, lo: 0.65, hi: 0.73, … }, local: [{ from: 32, to: 64, … }, …] }
 */
export function scalingExponent(records: readonly RunRecord[], options: ScalingOptions): ScalingExponent {
  const { key, event } = options;
  const response = options.response ?? "step";
  const dist = options.dist ?? "weibull";
  const { grid, observations, time, subset } = chooseRuns(records, options);
  const times = observations.map((o) => o.time);
  const events = observations.filter((o) => o.time.observed).length;
  const values = grid[key] ?? [];
  const global = effectDesign(grid, [], { [key]: "log" });
  const formula = `survreg(Surv(${time}, reached) ~ ${global.formulaTerms || "1"}, data = subset(events, ${subset}), dist = "${dist}")`;
  const numeric = values.filter((v): v is number => typeof v === "number");
  const base = { key, event, response, formula, n: observations.length, events, values: numeric, parameters: global.columns.length + 2 };
  const unfitted = (reason: string): ScalingExponent => ({ ...base, reason, exponent: null, medianIntercept: null, logLik: null, local: [] });
  if (values.length < 2 || !values.every((v) => typeof v === "number" && v > 0)) {
    const chosen = options.where !== undefined || options.values !== undefined ? " chosen" : "";
    return unfitted(`${key} needs two or more positive numeric values among the runs${chosen}, has ${values.length === 0 ? "none" : values.map(String).join(", ")}`);
  }
  const globalFit = fitDesign(global, observations, times, dist);
  if (typeof globalFit === "string") return unfitted(globalFit);
  const column = 1 + global.columns.findIndex((c) => c.term === key);
  const exponent = withoutZ(aftContrast(globalFit, globalFit.coef.map((_, j) => (j === column ? 1 : 0))));
  // the other terms at their first value (a log or linear key's column is then not 0: add it in)
  const medianIntercept = medianAtFirst(globalFit, global, grid, key, column);
  const levels = effectDesign(grid, [], { [key]: "levels" });
  const levelFit = fitDesign(levels, observations, times, dist);
  const local: LocalExponent[] =
    typeof levelFit === "string"
      ? []
      : numeric.slice(1).map((to, i) => {
          const from = numeric[i];
          // the reference level (the first value) has coefficient 0; column j + 1 holds level j + 1
          const weights = levelFit.coef.map(() => 0);
          const at = (v: number) => 1 + levels.columns.findIndex((c) => c.term === `${key}=${v}`);
          weights[at(to)] += 1;
          if (i > 0) weights[at(from)] -= 1;
          const scale = 1 / Math.log(to / from);
          return { from, to, ...withoutZ(aftContrast(levelFit, weights.map((w) => w * scale))) };
        });
  return { ...base, reason: null, exponent, medianIntercept, logLik: globalFit.logLik, local };
}

/** time ∝ key·(ln key)^k fitted with the power fixed: its constant and how well it fits. */
interface PolylogFit {
  k: number;
  /** ln C of the fitted median, C·key·(ln key)^k (other terms at their first value). */
  logC: number;
  logLik: number;
  /** Akaike's criterion −2·logLik + 2·(parameters); lower fits better for its size. */
  aic: number;
}

/** The laws time ∝ key·(ln key)^k for each k, and the free power key^b, on the same runs. */
export interface PolylogComparison {
  /** Null when fitted; else why not (fits empty, free null). */
  reason: string | null;
  fits: PolylogFit[];
  free: { exponent: number; logLik: number; aic: number } | null;
}

/**
 * Compares time ∝ key·(ln key)^k (k = 0: linear in the key) with the free power law key^b, by the
 * likelihood of the same AFT model: with the power fixed, time / (key·(ln key)^k) is fitted on the
 * other terms and its log-likelihood taken back to the scale of time (−Σ δᵢ ln(keyᵢ·(ln keyᵢ)^k), the
 * Jacobian), so all are likelihoods of the same observations. The fixed laws have one parameter
 * fewer than the free one; AIC weighs that.
 *
 * @example polylogComparison(records, { key: "d", event: "signal", response: "samples", where: { lambda: 0 } }) // { fits: [{ k: 0, logC: 3.9, logLik: -210.4, aic: 424.8 }, …], free: { exponent: 1.38, … } }
 */
export function polylogComparison(records: readonly RunRecord[], options: ScalingOptions, powers: readonly number[] = [0, 1, 2]): PolylogComparison {
  const free = scalingExponent(records, options);
  if (free.reason !== null) return { reason: free.reason, fits: [], free: null };
  if (free.values[0] <= 1 && powers.some((k) => k !== 0)) return { reason: `${options.key}·(ln ${options.key})^k needs every ${options.key} > 1, has ${free.values[0]}`, fits: [], free: null };
  const dist = options.dist ?? "weibull";
  const { grid, observations } = chooseRuns(records, options);
  const rest = effectDesign(Object.fromEntries(Object.entries(grid).filter(([k]) => k !== options.key)), [], {});
  const fits: PolylogFit[] = [];
  for (const k of powers) {
    const law = observations.map((o) => {
      const x = o.condition[options.key] as number;
      return x * Math.log(x) ** k;
    });
    const fit = fitDesign(rest, observations, observations.map((o, i) => ({ ...o.time, time: o.time.time / law[i] })), dist);
    if (typeof fit === "string") return { reason: `${options.key}·(ln ${options.key})^${k}: ${fit}`, fits: [], free: null };
    const logLik = fit.logLik - observations.reduce((s, o, i) => s + (o.time.observed ? Math.log(law[i]) : 0), 0);
    fits.push({ k, logC: medianAtFirst(fit, rest, grid, options.key, -1), logLik, aic: -2 * logLik + 2 * (rest.columns.length + 2) });
  }
  return { reason: null, fits, free: { exponent: free.exponent!.estimate, logLik: free.logLik!, aic: -2 * free.logLik! + 2 * free.parameters } };
}
