// The flat tables `export` writes (issue 13): one row per run, one row per (run, event) in
// time-to-event form, and one row per (run, evaluated step). Column-oriented and typed, so CSV and
// Parquet are written from the same table and a column has one type in every file: a grid key's
// type is its model key's (`width` is an integer column whatever values the grid holds), so pandas,
// R and DuckDB read the same column the same way from runs, events, trajectories and pivot.
import { VARIANT_KEY } from "../config/studyConfig.js";
import { keySpec } from "../config/modelKeys.js";
import { InputError } from "../config/inputError.js";
import { GROUP_NAMES, recordedMetrics } from "../kernel/metricNames.js";
import type { RunRecord } from "../store/runRecord.js";
import { canonicalJson } from "../store/configHash.js";
import type { EXPORT_TABLES } from "../store/resultsDir.js";
import { conditionLabel } from "../render/format.js";
import { timeToEvent } from "../analysis/summary.js";
import { gapOf, type GapPair } from "../analysis/summary/gaps.js";

export type ColumnType = "string" | "int" | "double" | "boolean";
export type Cell = string | number | boolean | null;

interface Column {
  name: string;
  type: ColumnType;
  values: Cell[];
}

export interface Table {
  columns: Column[];
  rows: number;
}

export type TableName = (typeof EXPORT_TABLES)[number];

/** The four group accuracies as columns, in SPEC §2's group order (+1,+1), (−1,−1), (+1,−1), (−1,+1). */
const GROUP_COLUMNS = GROUP_NAMES.map((_, i) => `accGroup${i}`);

/**
 * Records in the study's order: by condition in grid order (`conditions`, as the report lists them),
 * then seed. `run` is the index in this order, the same in every table.
 */
function orderRuns(records: readonly RunRecord[], conditions: readonly Record<string, unknown>[]): RunRecord[] {
  const rank = new Map(conditions.map((c, i) => [canonicalJson(c), i]));
  const rankOf = (r: RunRecord) => rank.get(canonicalJson(r.condition)) ?? conditions.length;
  return [...records].sort((a, b) => rankOf(a) - rankOf(b) || a.seed - b.seed);
}

/** The grid keys of the runs as columns, a variant's keys flattened as if they were grid keys. */
function conditionKeys(records: readonly RunRecord[]): string[] {
  const keys: string[] = [];
  const add = (key: string) => {
    if (!keys.includes(key)) keys.push(key);
  };
  for (const r of records) {
    for (const [key, value] of Object.entries(r.condition)) {
      if (key === VARIANT_KEY && typeof value === "object" && value !== null) Object.keys(value).forEach(add);
      else add(key);
    }
  }
  return keys;
}

/** A condition key's value in a run: the resolved param (so a variant's unset keys show the base value). */
function conditionValue(record: RunRecord, key: string): Cell {
  const params = record.params as unknown as Record<string, unknown>;
  const value = key in params ? params[key] : record.condition[key];
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

const KEY_COLUMN_TYPES = { integer: "int", number: "double", boolean: "boolean", enum: "string", eventList: "string" } as const;

/** A grid key's column type: its model key's type (an event list is written as JSON text); undefined for `variant`. */
function keyColumnType(key: string): ColumnType | undefined {
  const spec = keySpec(key);
  return spec === undefined ? undefined : KEY_COLUMN_TYPES[spec.type];
}

/** The type of a column that is not a model key (a variant's label): booleans, numbers or text. */
function typeOf(values: readonly Cell[]): ColumnType {
  const present = values.filter((v) => v !== null);
  if (present.length > 0 && present.every((v) => typeof v === "boolean")) return "boolean";
  if (present.length > 0 && present.every((v) => typeof v === "number")) return "double";
  return "string";
}

/**
 * Builds a table row by row: each row an object of column name → cell, typed by `types`, else by the
 * model key of that name, else by its values. A name given twice is refused: readers either keep one
 * of the two columns silently or refuse the file (pyarrow: "Multiple matches for FieldRef").
 */
export function tableOf(names: readonly string[], rows: readonly Record<string, Cell>[], types: Readonly<Record<string, ColumnType>>): Table {
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new InputError(`export: two columns would be named '${repeated}' (an event named like a gap's column, gap_<first>_<second>?); rename the event in the config's 'events'`, { key: "events" });
  }
  const columns = names.map((name): Column => {
    const values = rows.map((row) => {
      const v = row[name];
      return v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? null : v;
    });
    return { name, type: types[name] ?? keyColumnType(name) ?? typeOf(values), values };
  });
  return { columns, rows: rows.length };
}

/** The leading columns of every table: run id, condition label, its keys, seed. */
function runColumns(record: RunRecord, run: number, keys: readonly string[]): Record<string, Cell> {
  const row: Record<string, Cell> = { run, condition: conditionLabel(record.condition) };
  for (const key of keys) row[key] = conditionValue(record, key);
  row.seed = record.seed;
  return row;
}

const ID_TYPES: Record<string, ColumnType> = { run: "int", condition: "string", seed: "int" };

/** The column of a gap: `gap_<first>_<second>`. */
function gapColumn([first, second]: GapPair): string {
  return `gap_${first}_${second}`;
}

/** The name a gap's rows carry in the events table: `gap.<first>.<second>`, as its summary path. */
function gapEventName([first, second]: GapPair): string {
  return `gap.${first}.${second}`;
}

/**
 * One row per run: condition keys, seed, horizon (`steps`, once: it is among the condition keys when
 * the grid sets it), divergence (`diverged` true/false, and the step it began and why, empty when it
 * did not: a boolean column rather than a step column that is empty for every healthy run, which
 * pandas and R read as an all-NaN float), each event's step and whether reached,
 * each gap in time-to-event form (gapOf: the gap, or the follow-up it was censored at, and whether
 * the second event came; both empty when the run never reached the first), rates, final metrics.
 */
function runsTable(records: readonly RunRecord[], conditions: readonly Record<string, unknown>[], events: readonly string[], gaps: readonly GapPair[]): Table {
  const ordered = orderRuns(records, conditions);
  const keys = conditionKeys(ordered);
  const metrics = recordedMetrics(ordered);
  const finals = [...metrics.map((m) => `final_${m}`), ...GROUP_COLUMNS.map((g) => `final_${g}`)];
  const names = [
    "run", "condition", ...keys, "seed", ...(keys.includes("steps") ? [] : ["steps"]), "diverged", "divergedStep", "divergedReason",
    ...events.flatMap((e) => [`${e}_step`, `${e}_reached`]),
    ...gaps.flatMap((g) => [gapColumn(g), `${gapColumn(g)}_reached`]),
    "spuriousRate", "signalRate", ...finals, "wallMs",
  ];
  const types: Record<string, ColumnType> = { ...ID_TYPES, steps: "int", diverged: "boolean", divergedStep: "int", divergedReason: "string", spuriousRate: "double", signalRate: "double", wallMs: "double" };
  for (const e of events) Object.assign(types, { [`${e}_step`]: "int", [`${e}_reached`]: "boolean" });
  for (const g of gaps) Object.assign(types, { [gapColumn(g)]: "int", [`${gapColumn(g)}_reached`]: "boolean" });
  for (const f of finals) types[f] = "double";
  const rows = ordered.map((r, run) => {
    const row = runColumns(r, run, keys);
    row.steps = r.params.steps;
    row.diverged = r.diverged !== null;
    row.divergedStep = r.diverged;
    row.divergedReason = r.divergedReason ?? null;
    for (const e of events) {
      const step = r.events[e] ?? null;
      row[`${e}_step`] = step;
      row[`${e}_reached`] = step !== null;
    }
    for (const g of gaps) {
      const gap = gapOf(r, g[0], g[1], r.params.steps);
      row[gapColumn(g)] = gap?.time ?? null;
      row[`${gapColumn(g)}_reached`] = gap?.observed ?? null;
    }
    row.spuriousRate = r.rates.spuriousRate;
    row.signalRate = r.rates.signalRate;
    for (const m of metrics) row[`final_${m}`] = r.final[m] ?? null;
    GROUP_COLUMNS.forEach((g, i) => (row[`final_${g}`] = r.final.acc?.[i] ?? null));
    row.wallMs = r.wallMs;
    return row;
  });
  return tableOf(names, rows, types);
}

/**
 * One row per (run, event) in time-to-event form: `step` is the event's step when `reached`, else
 * the run's horizon, where it is censored (also when it diverged: see timeToEvent) — what lifelines'
 * KaplanMeierFitter.fit(step, reached) and R's Surv(step, reached) take. Then one row per (run, gap)
 * for the runs that have the gap (reached its first event), event `gap.<first>.<second>`: `step` is
 * the gap step(second) − step(first) when `reached`, else the follow-up horizon − step(first).
 */
function eventsTable(records: readonly RunRecord[], conditions: readonly Record<string, unknown>[], events: readonly string[], gaps: readonly GapPair[]): Table {
  const ordered = orderRuns(records, conditions);
  const keys = conditionKeys(ordered);
  const names = ["run", "condition", ...keys, "seed", "event", "step", "reached"];
  const rows = ordered.flatMap((r, run) => [
    ...events.map((event) => {
      const { time, observed } = timeToEvent(r, event, r.params.steps);
      return { ...runColumns(r, run, keys), event, step: time, reached: observed };
    }),
    ...gaps.flatMap((g) => {
      const gap = gapOf(r, g[0], g[1], r.params.steps);
      return gap === null ? [] : [{ ...runColumns(r, run, keys), event: gapEventName(g), step: gap.time, reached: gap.observed }];
    }),
  ]);
  return tableOf(names, rows, { ...ID_TYPES, event: "string", step: "int", reached: "boolean" });
}

/** One row per (run, evaluated step): every scalar metric and the four group accuracies. */
function trajectoriesTable(records: readonly RunRecord[], conditions: readonly Record<string, unknown>[]): Table {
  const ordered = orderRuns(records, conditions);
  const keys = conditionKeys(ordered);
  const metrics = recordedMetrics(ordered);
  const names = ["run", "condition", ...keys, "seed", "step", ...metrics, ...GROUP_COLUMNS];
  const types: Record<string, ColumnType> = { ...ID_TYPES, step: "int" };
  for (const m of [...metrics, ...GROUP_COLUMNS]) types[m] = "double";
  const rows = ordered.flatMap((r, run) => {
    const lead = runColumns(r, run, keys);
    return r.trajectory.map((point) => {
      const row: Record<string, Cell> = { ...lead, step: point.step };
      for (const m of metrics) row[m] = point[m] ?? null;
      GROUP_COLUMNS.forEach((g, i) => (row[g] = point.acc?.[i] ?? null));
      return row;
    });
  });
  return tableOf(names, rows, types);
}

export function buildTable(
  name: Exclude<TableName, "pivot" | "effects">,
  records: readonly RunRecord[],
  conditions: readonly Record<string, unknown>[],
  events: readonly string[],
  gaps: readonly GapPair[] = [],
): Table {
  if (name === "runs") return runsTable(records, conditions, events, gaps);
  if (name === "events") return eventsTable(records, conditions, events, gaps);
  return trajectoriesTable(records, conditions);
}
