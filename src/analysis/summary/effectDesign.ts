// The design matrix of a study's effect models (issue 18 item 2): how each grid key enters the
// regression of an event step on the grid. A numeric key whose values are all positive and span a
// factor ≥ 4 enters as ln(key), so its coefficient is an exponent (time ∝ key^coef) and 2^coef the
// time ratio per doubling; other numeric keys enter linearly (time ratio per unit); strings,
// booleans and variants enter as levels against the first value of the grid. A key with one value
// has no effect to estimate and is left out, with a note. The same design is written as an R
// formula so a reader can refit it from events.csv.
import { VARIANT_KEY } from "../../config/modelKeys.js";
import { formatParam } from "../../render/format.js";
import { canonicalJson } from "../../store/configHash.js";

/** How a grid key enters the model. */
export type KeyCoding = "log" | "linear" | "levels";

/** What a coefficient's time ratio is per: a doubling of a log key, a unit of a linear key, a level against the first. */
export type TermUnit = "doubling" | "unit" | "level";

/** One column of the design matrix (besides the intercept). */
interface DesignColumn {
  /** The name in summary paths: the key, `key=value` for a level (`variant=<i>` for the i-th variant), `a:b` for an interaction. */
  term: string;
  /** How a table shows it: "log(width)", "lambda", "activation = leaky", "log(width):lambda". */
  label: string;
  /** The grid keys it is made of (two for an interaction). */
  keys: string[];
  /** Per doubling / per unit / level (an interaction: of its first factor, per unit of the other). */
  unit: TermUnit;
  /** exp(coef·perUnit) is the time ratio: ln 2 per doubling of a log key, 1 otherwise (multiplied over an interaction's factors). */
  perUnit: number;
  /** The column's value in a condition. */
  value: (condition: Readonly<Record<string, unknown>>) => number;
}

/** The design of one study: its columns, its R formula's right-hand side, and the keys left out. */
export interface EffectDesign {
  columns: DesignColumn[];
  /** "log(width) + lambda + factor(activation, levels = c("relu", "leaky"))". */
  formulaTerms: string;
  /** How each grid key with two or more values entered. */
  codings: Record<string, KeyCoding>;
  /** Keys left out, in words ("lr has one value (0.5): no effect to estimate"). */
  notes: string[];
}

/**
 * How a key with these grid values enters: "log" for numbers all > 0 with max/min ≥ 4, "linear" for
 * other numbers, "levels" for anything else (strings, booleans, variants, a mix).
 *
 * @example keyCoding([16, 32, 64]) // "log"; keyCoding([0, 0.5]) // "linear"; keyCoding(["relu", "leaky"]) // "levels"
 */
export function keyCoding(values: readonly unknown[]): KeyCoding {
  if (!values.every((v) => typeof v === "number")) return "levels";
  const numbers = values as number[];
  const min = Math.min(...numbers);
  return min > 0 && Math.max(...numbers) / min >= 4 ? "log" : "linear";
}

/** A level's value as an R literal: "relu" → "\"relu\"", true → "TRUE". */
function rLiteral(value: unknown): string {
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return String(value);
  return JSON.stringify(formatParam(value));
}

/** The columns of one key: one for a log or linear key, one per level after the first for a levels key. */
function keyColumns(key: string, values: readonly unknown[], coding: KeyCoding): DesignColumn[] {
  if (coding === "log") return [{ term: key, label: `log(${key})`, keys: [key], unit: "doubling", perUnit: Math.LN2, value: (c) => Math.log(Number(c[key])) }];
  if (coding === "linear") return [{ term: key, label: key, keys: [key], unit: "unit", perUnit: 1, value: (c) => Number(c[key]) }];
  return values.slice(1).map((level, i) => {
    const id = canonicalJson(level);
    // a variant is an object of model keys: named by its index in the grid, shown by its keys
    const term = key === VARIANT_KEY ? `${key}=${i + 1}` : `${key}=${formatParam(level)}`;
    return { term, label: `${key} = ${formatParam(level)}`, keys: [key], unit: "level" as const, perUnit: 1, value: (c: Readonly<Record<string, unknown>>) => (canonicalJson(c[key] ?? null) === id ? 1 : 0) };
  });
}

/** The R formula term of a key: "log(width)", "lambda", "factor(activation, levels = c(\"relu\", \"leaky\"))". */
function formulaTerm(key: string, values: readonly unknown[], coding: KeyCoding): string {
  if (coding === "log") return `log(${key})`;
  if (coding === "linear") return key;
  return `factor(${key}, levels = c(${values.map(rLiteral).join(", ")}))`;
}

/**
 * The design of a study with this grid: every key with two or more values, coded by keyCoding, and
 * the interactions asked for (each a pair of such keys: the products of their columns); `overrides`
 * replaces keyCoding for the keys it names (a scaling exponent wants log(key) whatever its span). Throws a
 * RangeError for an interaction of a key that is not in the model (the config checks this first).
 *
 * @example effectDesign({ width: [16, 32, 64], lambda: [0, 0.5], lr: [0.5] }).formulaTerms // "log(width) + lambda"
 */
export function effectDesign(
  grid: Readonly<Record<string, readonly unknown[]>>,
  interactions: readonly (readonly [string, string])[] = [],
  overrides: Readonly<Record<string, KeyCoding>> = {},
): EffectDesign {
  const columns: DesignColumn[] = [];
  const terms: string[] = [];
  const codings: Record<string, KeyCoding> = {};
  const notes: string[] = [];
  const byKey = new Map<string, DesignColumn[]>();
  for (const [key, values] of Object.entries(grid)) {
    if (values.length === 0) continue; // a key no run of the model has (cannot happen with a grid)
    if (values.length < 2) {
      notes.push(`${key} has one value among the runs (${formatParam(values[0])}): no effect to estimate`);
      continue;
    }
    const coding = overrides[key] ?? keyCoding(values);
    codings[key] = coding;
    const own = keyColumns(key, values, coding);
    byKey.set(key, own);
    columns.push(...own);
    terms.push(formulaTerm(key, values, coding));
  }
  for (const [a, b] of interactions) {
    const [left, right] = [byKey.get(a), byKey.get(b)];
    if (left === undefined || right === undefined) throw new RangeError(`interaction ${a}:${b}: ${left === undefined ? a : b} is not a grid key with two or more values`);
    for (const x of left) {
      for (const y of right) {
        columns.push({ term: `${x.term}:${y.term}`, label: `${x.label}:${y.label}`, keys: [a, b], unit: x.unit, perUnit: x.perUnit * y.perUnit, value: (c) => x.value(c) * y.value(c) });
      }
    }
    terms.push(`${formulaTerm(a, grid[a], codings[a])}:${formulaTerm(b, grid[b], codings[b])}`);
  }
  return { columns, formulaTerms: terms.join(" + "), codings, notes };
}

/**
 * One run's row of the design matrix: 1 for the intercept, then each column's value in its condition.
 *
 * @example designRow(effectDesign({ width: [16, 64] }), { width: 32 }) // [1, 3.4657]
 */
export function designRow(design: EffectDesign, condition: Readonly<Record<string, unknown>>): number[] {
  return [1, ...design.columns.map((c) => c.value(condition))];
}
