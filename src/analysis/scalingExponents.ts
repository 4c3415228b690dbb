// Scaling exponents along a numeric key (issue 18 item 3), one case of the effect models: b in
// time ∝ key^b is the coefficient of log(key) in the accelerated-failure-time model of an event's
// step — or of samples = step × batch — over the runs chosen (the other keys that vary among them
// enter as further terms), with its Wald CI. The local exponents between neighbouring values come
// from the same model with the key as levels, (β_b − β_a)/ln(b/a), each with its Wald CI: a power
// law has equal local exponents, curvature shows as a trend in them.
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
  local: LocalExponent[];
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

/**
 * The exponent of `event`'s step (or samples) in `key` over the runs matching `where`, and its local
 * exponents. Not fitted — with the reason — when the key is not numeric and positive with two or more
 * values among those runs, or when the model cannot be fitted (all censored, separation, …).
 *
 * @example scalingExponent(records, { key: "d", event: "signal", response: "samples", where: { lambda: 0 } }) // { exponent: { estimate: 0.69, lo: 0.65, hi: 0.73, … }, local: [{ from: 32, to: 64, … }, …] }
 */
export function scalingExponent(
  records: readonly RunRecord[],
  options: { key: string; event: string; response?: "step" | "samples"; where?: Readonly<Record<string, unknown>>; dist?: AftDistribution },
): ScalingExponent {
  const { key, event } = options;
  const response = options.response ?? "step";
  const dist = options.dist ?? "weibull";
  const where = options.where ?? {};
  const chosen = records
    .filter((r) => Object.entries(where).every(([k, v]) => canonicalJson(r.condition[k] ?? null) === canonicalJson(v)))
    .sort(compareRunRecords);
  const grid = gridOf(chosen);
  for (const k of Object.keys(where)) delete grid[k];
  const observations: Observation[] = chosen.map((r) => {
    const o = eventObservation(r, event);
    return response === "samples" ? { condition: o.condition, time: { ...o.time, time: o.time.time * r.params.batch } } : o;
  });
  const events = observations.filter((o) => o.time.observed).length;
  const values = grid[key] ?? [];
  const global = effectDesign(grid, [], { [key]: "log" });
  const time = response === "samples" ? "step * batch" : "step";
  const subset = [`event == "${event}"`, ...Object.entries(where).map(([k, v]) => `${k} == ${JSON.stringify(v)}`)].join(" & ");
  const formula = `survreg(Surv(${time}, reached) ~ ${global.formulaTerms || "1"}, data = subset(events, ${subset}), dist = "${dist}")`;
  const numeric = values.filter((v): v is number => typeof v === "number");
  const base = { key, event, response, formula, n: observations.length, events, values: numeric };
  const unfitted = (reason: string): ScalingExponent => ({ ...base, reason, exponent: null, medianIntercept: null, local: [] });
  if (values.length < 2 || !values.every((v) => typeof v === "number" && v > 0)) {
    return unfitted(`${key} needs two or more positive numeric values among the runs${Object.keys(where).length > 0 ? " chosen" : ""}, has ${values.length === 0 ? "none" : values.map(String).join(", ")}`);
  }
  const fit = (design: ReturnType<typeof effectDesign>): AftFit | string => {
    const result = fitAft({ columns: ["(Intercept)", ...design.columns.map((c) => c.label)], rows: observations.map((o) => designRow(design, o.condition)), times: observations.map((o) => o.time) }, dist);
    return result.fitted ? result.fit : result.reason;
  };
  const globalFit = fit(global);
  if (typeof globalFit === "string") return unfitted(globalFit);
  const column = 1 + global.columns.findIndex((c) => c.term === key);
  const exponent = withoutZ(aftContrast(globalFit, globalFit.coef.map((_, j) => (j === column ? 1 : 0))));
  // the other terms at their first value (a log or linear key's column is then not 0: add it in)
  const first = Object.fromEntries(Object.entries(grid).map(([k, vs]) => [k, vs[0]]));
  const offset = designRow(global, { ...first, [key]: 1 }).reduce((s, x, j) => (j === column ? s : s + x * globalFit.coef[j]), 0);
  const medianIntercept = offset + globalFit.scale * MEDIAN_OF_W[dist];
  const levels = effectDesign(grid, [], { [key]: "levels" });
  const levelFit = fit(levels);
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
  return { ...base, reason: null, exponent, medianIntercept, local };
}
