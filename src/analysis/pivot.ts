// Pivot tables (issue 22): a quantity of each condition laid out with one grid key's values as rows
// and another's as columns, one table per combination of the remaining keys' values — the
// width × λ table of median signal steps a researcher would otherwise build in pandas.
import { canonicalJson } from "../store/configHash.js";
import type { ConditionSummary, EventSummary, StudySummary, ValueSummary } from "./summaryTypes.js";

/** The keys a pivot lays out: rows, columns, and the rest (one table per combination of their values). */
export interface PivotAxes {
  rows: string;
  cols: string;
  rest: string[];
}

/**
 * The pivot's keys: `rows` and `cols` when given (checked by the caller against the grid), else the
 * two grid keys with the most values (rows first; ties go to the earlier key of the grid). Null for
 * a study with fewer than two grid keys, which its headline table already lays out.
 */
export function pivotAxes(grid: Readonly<Record<string, readonly unknown[]>>, choice: { rows?: string; cols?: string } = {}): PivotAxes | null {
  const keys = Object.keys(grid);
  if (keys.length < 2) return null;
  const byValues = [...keys].sort((a, b) => grid[b].length - grid[a].length || keys.indexOf(a) - keys.indexOf(b));
  const rows = choice.rows ?? byValues.find((k) => k !== choice.cols)!;
  const cols = choice.cols ?? byValues.find((k) => k !== rows)!;
  return { rows, cols, rest: keys.filter((k) => k !== rows && k !== cols) };
}

/** One table of a pivot: the values of the remaining keys it holds, and its conditions by row and column. */
interface PivotSlice {
  /** The remaining keys' values (empty with exactly two grid keys). */
  at: Record<string, unknown>;
  /** cells[row][col]: the condition there, undefined when the study has no runs of it. */
  cells: (ConditionSummary | undefined)[][];
}

export interface Pivot {
  axes: PivotAxes;
  rowValues: readonly unknown[];
  colValues: readonly unknown[];
  slices: PivotSlice[];
}

/** Every combination of the given keys' values, the last key varying fastest (grid order). */
function combinations(grid: Readonly<Record<string, readonly unknown[]>>, keys: readonly string[]): Record<string, unknown>[] {
  return keys.reduce<Record<string, unknown>[]>((acc, key) => acc.flatMap((partial) => grid[key].map((v) => ({ ...partial, [key]: v }))), [{}]);
}

/** The summary's conditions laid out by `axes`; slices without any condition are left out. */
export function pivotConditions(summary: StudySummary, axes: PivotAxes): Pivot {
  const byCondition = new Map(summary.conditions.map((c) => [canonicalJson(c.condition), c]));
  const rowValues = summary.grid[axes.rows];
  const colValues = summary.grid[axes.cols];
  const slices = combinations(summary.grid, axes.rest)
    .map((at) => ({
      at,
      cells: rowValues.map((r) => colValues.map((c) => byCondition.get(canonicalJson({ ...at, [axes.rows]: r, [axes.cols]: c })))),
    }))
    .filter((slice) => slice.cells.some((row) => row.some((cell) => cell !== undefined)));
  return { axes, rowValues, colValues, slices };
}

/**
 * A number a pivot shows per condition: an event's Kaplan–Meier median step (null = ∞) with its CI
 * and the reached count, or a final metric's mean with its CI.
 */
interface PivotCell {
  value: number | null;
  lo: number | null;
  hi: number | null;
  /** Runs that reached the event; null for a final metric. */
  reached: number | null;
  n: number;
}

/** A quantity pivoted: an event or a gap (time-to-event statistics), or a final metric (a mean). */
export type PivotQuantity = {
  /** Its summary path without the field: `events.signal`, `gap.spurious.signal`, `final.wga`. */
  id: string;
  /** What a table of it is headed with. */
  title: string;
  cell: (c: ConditionSummary) => PivotCell | null;
} & ({ kind: "event"; of: (c: ConditionSummary) => EventSummary | undefined } | { kind: "final"; of: (c: ConditionSummary) => ValueSummary | undefined; name: string });

function eventQuantity(id: string, title: string, of: (c: ConditionSummary) => EventSummary | undefined): PivotQuantity {
  return {
    id,
    title,
    kind: "event",
    of,
    cell: (c) => {
      const e = of(c);
      return e === undefined ? null : { value: e.medianStep, lo: e.medianLo, hi: e.medianHi, reached: e.reached, n: e.n };
    },
  };
}

/** The quantities pivoted: every event of the study, every gap, then the chosen final metrics. */
export function pivotQuantities(summary: StudySummary, finals: readonly string[]): PivotQuantity[] {
  const events = Object.keys(summary.events).map((name) =>
    eventQuantity(`events.${name}`, `${name} event: Kaplan–Meier median step [95% CI], reached k/n`, (c) => c.events[name]),
  );
  const gaps = (summary.gaps ?? []).map(([first, second]) =>
    eventQuantity(`gap.${first}.${second}`, `steps from ${first} to ${second}: Kaplan–Meier median [95% CI], reached k/n of the runs that reached ${first}`, (c) => c.gap?.[first]?.[second]),
  );
  const metrics = finals.map((metric): PivotQuantity => ({
    id: `final.${metric}`,
    title: `final ${metric}: mean [95% CI]`,
    kind: "final",
    name: metric,
    of: (c) => c.final[metric],
    cell: (c) => {
      const v = c.final[metric];
      return v === undefined ? null : { value: v.mean, lo: v.lo, hi: v.hi, reached: null, n: v.n };
    },
  }));
  return [...events, ...gaps, ...metrics];
}
