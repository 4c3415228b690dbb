// How a study's results are laid out (issue 22): the pivot tables' rows and columns, and the
// figures' colour key, facet key and step axis. Set in a config's `figures` or by `report`'s flags
// (a flag wins); they only read the results, so they are not part of the study's hash.
import { nearestName, suggestionFor } from "./inputError.js";
import { childOf, fail, isPlainObject, show, type Where } from "./validateParams.js";

/** The step axis of trajectory and time-to-event figures. */
export const STEP_AXES = ["linear", "log", "symlog"] as const;
export type StepAxisKind = (typeof STEP_AXES)[number];

/** A facet value that turns small multiples off. */
export const NO_FACET = "none";

export interface ViewOptions {
  /** Grid key whose values are the pivot tables' rows (and the heatmaps' y). */
  rows?: string;
  /** Grid key whose values are the pivot tables' columns (and the heatmaps' x). */
  cols?: string;
  /** Grid key that colours the lines of a figure. */
  colour?: string;
  /** Grid key with one panel per value, or "none". */
  facet?: string;
  /** The step axis; default symlog for 100 steps or more, else linear. */
  x?: StepAxisKind;
}

export const VIEW_KEYS = ["rows", "cols", "colour", "facet", "x"] as const;

/**
 * Checks view options against the study's grid: rows, cols and colour name grid keys, facet a grid
 * key or "none", x one of STEP_AXES; rows ≠ cols and colour ≠ facet. `name(key)` says how a key is
 * named in messages (`--rows`, or `figures.rows` of a config file).
 */
export function checkViewOptions(options: ViewOptions, grid: Readonly<Record<string, readonly unknown[]>>, name: (key: keyof ViewOptions) => Where): ViewOptions {
  const keys = Object.keys(grid);
  const gridKey = (key: "rows" | "cols" | "colour" | "facet", extra: readonly string[] = []) => {
    const value = options[key];
    if (value === undefined) return;
    const allowed = [...keys, ...extra];
    if (keys.length === 0) fail(name(key), `the study has no grid keys to lay out by, got ${show(value)}`);
    if (!allowed.includes(value)) {
      const near = nearestName(value, allowed);
      fail(name(key), `'${value}' is not a grid key of this study${near === undefined ? "" : ` (did you mean '${near}'?)`}; allowed: ${allowed.join(", ")}`);
    }
  };
  gridKey("rows");
  gridKey("cols");
  gridKey("colour");
  gridKey("facet", [NO_FACET]);
  if (options.rows !== undefined && options.rows === options.cols) fail(name("cols"), `'${options.cols}' is also the rows; choose another grid key (allowed: ${keys.filter((k) => k !== options.rows).join(", ")})`);
  if (options.colour !== undefined && options.colour === options.facet) fail(name("facet"), `'${options.facet}' is also the colour key; choose another grid key or '${NO_FACET}'`);
  if (options.x !== undefined && !(STEP_AXES as readonly string[]).includes(options.x)) {
    fail(name("x"), `must be one of ${STEP_AXES.join(", ")}, got ${show(options.x)}`);
  }
  return options;
}

/** A config's `figures` object: its keys and their types (the grid is checked by checkViewOptions). */
export function parseViewOptions(raw: unknown, where: Where): ViewOptions {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) fail(where, `must be an object with keys ${VIEW_KEYS.join(", ")}, got ${show(raw)}`);
  const options: ViewOptions = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(VIEW_KEYS as readonly string[]).includes(key)) fail(where, `unknown key '${key}'${suggestionFor(key, VIEW_KEYS)}`);
    if (typeof value !== "string") fail(childOf(where, key), `must be a string, got ${show(value)}`);
    (options as Record<string, string>)[key] = value;
  }
  return options;
}

/** The flags' options over the config's: a flag given wins. */
export function mergeViewOptions(config: ViewOptions, flags: ViewOptions): ViewOptions {
  const merged: ViewOptions = { ...config };
  for (const key of VIEW_KEYS) if (flags[key] !== undefined) (merged as Record<string, string>)[key] = flags[key] as string;
  return merged;
}
