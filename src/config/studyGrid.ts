// A config's grid: model key → the values it takes (each checked like the key), and grid.variant,
// a list of model-key objects applied together.
import { canonicalJson } from "../store/configHash.js";
import { MODEL_KEY_NAMES, VARIANT_KEY } from "./modelKeys.js";
import { isExpressionText } from "./expression.js";
import { checkExpression } from "./keyExpressions.js";
import { checkKeyValue, childOf, fail, isPlainObject, modelKeySpec, show, type Where } from "./validateParams.js";

/** Model keys a config sets in its grid or a rule's where: all but seed, which comes from `seeds`. */
export const CONFIG_KEY_NAMES = MODEL_KEY_NAMES.filter((key) => key !== "seed");
/** More conditions than this is surely a typo, and would only exhaust memory. */
const MAX_CONDITIONS = 100_000;

/** `grid`: model key → a non-empty list of distinct valid values (or variants); absent → no grid. */
export function validateGrid(raw: unknown, where: Where): Record<string, unknown[]> {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) fail(where, `must be an object of model key → array of values, got ${show(raw)}`);
  const grid: Record<string, unknown[]> = {};
  let conditionCount = 1;
  for (const [key, values] of Object.entries(raw)) {
    const at = childOf(where, key);
    if (key === "seed") fail(at, "the seeds of a study come from 'seeds', not from the grid");
    const spec = key === VARIANT_KEY ? undefined : modelKeySpec(key, where, [...CONFIG_KEY_NAMES, VARIANT_KEY]);
    if (!Array.isArray(values)) fail(at, `must be a non-empty array of values, got ${show(values)}`);
    if (values.length === 0) fail(at, "is empty; give at least one value");
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (spec === undefined) validateVariant(value, childOf(at, i), Object.keys(raw));
      else checkKeyValue(spec, value, childOf(at, i));
      // A repeated value would make two conditions with the same identity (and clash on resume).
      const identity = canonicalJson(value);
      if (seen.has(identity)) fail(childOf(at, i), `repeats the value ${show(value)}`);
      seen.add(identity);
    });
    conditionCount *= values.length;
    if (conditionCount > MAX_CONDITIONS) fail(where, `has more than ${MAX_CONDITIONS} conditions`);
    grid[key] = [...values];
  }
  return grid;
}

/** One value of grid.variant: an object of model keys (not seed, not another grid key), applied together. */
function validateVariant(raw: unknown, where: Where, gridKeys: readonly string[]): void {
  if (!isPlainObject(raw)) fail(where, `a variant must be an object of model keys applied together (e.g. { activation: "leaky" }), got ${show(raw)}`);
  for (const [key, value] of Object.entries(raw)) {
    if (key === "seed") fail(childOf(where, key), "the seeds of a study come from 'seeds', not from a variant");
    const spec = modelKeySpec(key, where, CONFIG_KEY_NAMES);
    if (isExpressionText(value)) checkExpression(spec, value, childOf(where, key));
    else checkKeyValue(spec, value, childOf(where, key));
    if (gridKeys.includes(key)) fail(childOf(where, key), `'${key}' is also a grid key; a variant may only set keys the grid does not`);
  }
}
