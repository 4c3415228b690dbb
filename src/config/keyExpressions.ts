// Model keys given as expressions of the grid keys (`lr: "=0.5 * 128 / d"` in base or in a variant):
// checked when the config is read — the syntax, the names (grid keys with numbers for values), and
// the value in every condition like any value of that key — then evaluated per condition by
// paramsFor. The text stays in the config, so it is part of the study's hash.
import { evaluateExpression, ExpressionError, FUNCTION_NAMES, isExpressionText, namesOf, parseExpression, type Expression } from "./expression.js";
import { keySpec, VARIANT_KEY, type KeySpec } from "./modelKeys.js";
import { checkKeyValue, childOf, fail, isPlainObject, show, type Where } from "./validateParams.js";

/** Parses the expression `text` given for `spec`'s key; bad syntax or a non-number key fails at `where`. */
export function checkExpression(spec: KeySpec, text: string, where: Where): Expression {
  if (spec.type !== "integer" && spec.type !== "number") {
    fail(where, `only number keys may be given as an expression ("=…"), and ${spec.key} is ${spec.type === "enum" ? "one of a list" : `a ${spec.type}`}; got ${show(text)}`);
  }
  try {
    return parseExpression(text);
  } catch (err) {
    if (err instanceof ExpressionError) fail(where, `${show(text)}: ${err.message} (an expression is "=" then numbers, grid keys, + - * / ^, parentheses and ${FUNCTION_NAMES.join(", ")})`);
    throw err;
  }
}

/** The grid keys an expression may read: those whose every value is a number. */
function numericGridKeys(grid: Readonly<Record<string, readonly unknown[]>>): string[] {
  return Object.keys(grid).filter((key) => key !== VARIANT_KEY && grid[key].every((v) => typeof v === "number"));
}

/** Each expression of `values` (model key → value) with its location; plain values are left out. */
function expressionsIn(values: Readonly<Record<string, unknown>>, where: Where): { key: string; text: string; where: Where }[] {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => isExpressionText(entry[1]))
    .map(([key, text]) => ({ key, text, where: childOf(where, key) }));
}

/** Every expression of a config, in base and in the grid's variants, with its location. */
function configExpressions(
  base: Readonly<Record<string, unknown>>,
  grid: Readonly<Record<string, readonly unknown[]>>,
  where: { base: Where; grid: Where },
): { key: string; text: string; where: Where }[] {
  const variants = grid[VARIANT_KEY] ?? [];
  return [
    ...expressionsIn(base, where.base),
    ...variants.flatMap((v, i) => (isPlainObject(v) ? expressionsIn(v, childOf(childOf(where.grid, VARIANT_KEY), i)) : [])),
  ];
}

/**
 * Checks that every expression of the config reads only grid keys with number values (the syntax
 * was checked with the key's value), naming the key and the position of the first unknown name.
 */
export function checkExpressionNames(
  base: Readonly<Record<string, unknown>>,
  grid: Readonly<Record<string, readonly unknown[]>>,
  where: { base: Where; grid: Where },
): void {
  const allowed = numericGridKeys(grid);
  for (const e of configExpressions(base, grid, where)) {
    for (const [name, position] of namesOf(parseExpression(e.text))) {
      if (allowed.includes(name)) continue;
      const why = Object.hasOwn(grid, name) ? `grid.${name} has values that are not numbers` : "it is not a grid key";
      const choices = allowed.length === 0 ? "this grid has no number keys to use" : `the grid keys it may use: ${allowed.join(", ")}`;
      fail(e.where, `${show(e.text)}: '${name}' at position ${position}: ${why} (${choices})`);
    }
  }
}

/** The number values of a condition's grid keys: what its expressions read. */
function conditionVariables(condition: Readonly<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(condition)) if (typeof value === "number") out[key] = value;
  return out;
}

/**
 * `params` (model key → value, expressions among them) with each expression replaced by its value
 * in `condition`. With `where` (the location to name for a key and its text), each value is also
 * checked like a value of its key.
 */
export function evaluateExpressions(
  params: Readonly<Record<string, unknown>>,
  condition: Readonly<Record<string, unknown>>,
  where?: (key: string, text: string) => Where,
): Record<string, unknown> {
  const variables = conditionVariables(condition);
  const out: Record<string, unknown> = { ...params };
  for (const [key, value] of Object.entries(params)) {
    if (!isExpressionText(value)) continue;
    const result = evaluateExpression(parseExpression(value), variables);
    if (where !== undefined) checkKeyValue(keySpec(key) as KeySpec, result, where(key, value));
    out[key] = result;
  }
  return out;
}

/** The keys of `params` given as expressions. */
export function expressionKeys(params: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(params).filter((key) => isExpressionText(params[key]));
}
