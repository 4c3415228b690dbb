// Validation of model keys (SPEC §2, §4) from configs and command-line flags, driven by MODEL_KEYS.
import { InputError, suggestionFor } from "./inputError.js";
import { MODEL_KEY_NAMES, keySpec, trainSetSize, type KeySpec, type ModelKey, type ModelParams } from "./modelKeys.js";

/** Where a value sits: the file it came from (if any) and its key path there, e.g. `grid.lambda[2]`. */
export interface Location {
  file?: string;
  path: string;
}

/** A plain string is a path-like context such as `configs/x.json5: base` or `--lambda`. */
export type Where = string | Location;

function toLocation(where: Where): Location {
  return typeof where === "string" ? { path: where } : where;
}

/** The location of a child: `.key` for an object key, `[i]` for an array index. */
export function childOf(where: Where, child: string | number): Location {
  const { file, path } = toLocation(where);
  if (typeof child === "number") return { file, path: `${path}[${child}]` };
  return { file, path: path === "" ? child : `${path}.${child}` };
}

/** Throws an InputError "<file>: <path>: <problem>" that carries the file and the key path. */
export function fail(where: Where, problem: string): never {
  const { file, path } = toLocation(where);
  const prefix = [file, path].filter((part) => part !== undefined && part !== "").join(": ");
  throw new InputError(prefix === "" ? problem : `${prefix}: ${problem}`, { file, key: path || undefined });
}

/** A short rendering of a bad value for a message (strings quoted, long values cut). */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number") return String(value); // JSON.stringify would print NaN/Infinity as null
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a key accepts, in words: "a number in (0, 1000000]", "one of 'relu', 'leaky'", ... */
function describeKey(spec: KeySpec): string {
  let text: string;
  switch (spec.type) {
    case "boolean":
      text = "a boolean";
      break;
    case "enum":
      text = `one of ${(spec.values ?? []).map((v) => `'${v}'`).join(", ")}`;
      break;
    case "eventList":
      text = 'a list of distinct event names, e.g. ["signal"]';
      break;
    case "integer":
    case "number": {
      const kind = spec.type === "integer" ? "an integer" : "a number";
      const open = spec.exclusiveMin ? "(" : "[";
      text = `${kind} in ${open}${spec.min ?? "-∞"}, ${spec.max ?? "∞"}]`;
      break;
    }
  }
  return spec.nullable ? `${text} or null` : text;
}

function isValidValue(spec: KeySpec, value: unknown): boolean {
  if (value === null) return spec.nullable === true;
  switch (spec.type) {
    case "boolean":
      return typeof value === "boolean";
    case "enum":
      return typeof value === "string" && (spec.values ?? []).includes(value);
    case "eventList":
      return Array.isArray(value) && value.every((v) => typeof v === "string" && v !== "") && new Set(value).size === value.length;
    case "integer":
    case "number": {
      // JSON5 allows Infinity and NaN literals, so finiteness is checked here, not by the parser.
      if (typeof value !== "number" || !Number.isFinite(value)) return false;
      if (spec.type === "integer" && !Number.isInteger(value)) return false;
      if (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min)) return false;
      return spec.max === undefined || value <= spec.max;
    }
  }
}

/** Throws "<where>: must be <allowed>, got <value>" unless `value` is valid for the key. */
export function checkKeyValue(spec: KeySpec, value: unknown, where: Where): void {
  if (!isValidValue(spec, value)) fail(where, `must be ${describeKey(spec)}, got ${show(value)}`);
}

/** The spec of a model key, or an InputError naming the unknown key and the nearest valid one. */
export function modelKeySpec(key: string, where: Where, allowed: readonly string[] = MODEL_KEY_NAMES): KeySpec {
  const spec = allowed.includes(key) ? keySpec(key) : undefined;
  if (spec === undefined) fail(where, `unknown key '${key}'${suggestionFor(key, allowed)}`);
  return spec;
}

/**
 * Checks an object of model keys (a config's `base`, say) key by key and returns it typed.
 * Keys are reported as `<where>.<key>`, e.g. `configs/x.json5: base.lambda: must be ...`.
 */
export function validateModelParams(raw: unknown, where: Where): Partial<ModelParams> {
  if (!isPlainObject(raw)) fail(where, `must be an object of model keys, got ${show(raw)}`);
  for (const [key, value] of Object.entries(raw)) {
    const spec = modelKeySpec(key, where);
    checkKeyValue(spec, value, childOf(where, key));
  }
  return raw as Partial<ModelParams>;
}

/** Most evaluations of a run with `companionMetrics` (the weights of each are kept until it ends). */
const MAX_COMPANION_POINTS = 400;
/** Largest d with `companionMetrics`. */
const MAX_COMPANION_D = 1024;

/**
 * Rules across keys, on fully resolved params (so defaults take part). `evalEvery > steps` is
 * allowed on purpose: the last step is always evaluated.
 */
export function checkParamConsistency(p: ModelParams, where: Where): void {
  if (p.symmetricInit && p.width % 2 !== 0) {
    fail(where, `symmetricInit needs an even width, got width ${p.width}`);
  }
  if (p.companionMetrics) {
    // the weights of every evaluation are kept until the run ends, and the linear fit is O(n·d²)
    const evaluations = Math.floor(p.steps / p.evalEvery) + 2;
    if (evaluations > MAX_COMPANION_POINTS) {
      fail(where, `companionMetrics keeps the weights of every evaluation: at most ${MAX_COMPANION_POINTS}, got steps / evalEvery = ${p.steps} / ${p.evalEvery} (raise evalEvery to at least ${Math.ceil(p.steps / (MAX_COMPANION_POINTS - 2))})`);
    }
    if (p.d > MAX_COMPANION_D) fail(where, `companionMetrics needs d ≤ ${MAX_COMPANION_D} (its least-squares fit over the test set costs n·d²), got d ${p.d}`);
  }
  if (p.symmetrizeTrain && p.trainSize === null) {
    fail(where, "symmetrizeTrain needs a finite training set: set trainSize (online training draws fresh points every step)");
  }
  const trainPoints = trainSetSize(p);
  if (trainPoints !== null && p.batch > trainPoints) {
    const points = p.symmetrizeTrain ? `2·trainSize = ${trainPoints} with symmetrizeTrain` : `trainSize (${trainPoints})`;
    fail(where, `batch (${p.batch}) must not exceed ${points}`);
  }
}

/**
 * Converts the text of a `--<key>` flag to the key's type and checks its range:
 * "0.5" → 0.5, "true" → true, "null" → null (trainSize only). Errors name `flag` (default `--<key>`).
 */
export function parseFlagValue(key: string, text: string, flag = `--${key}`): ModelParams[ModelKey] {
  const spec = keySpec(key);
  if (spec === undefined) fail(flag, `unknown flag${suggestionFor(key, MODEL_KEY_NAMES)}`);
  const trimmed = text.trim();
  let value: unknown = trimmed; // left as text when it does not convert, so the error shows it
  if (spec.type === "eventList") value = trimmed === "" ? [] : trimmed.split(",").map((name) => name.trim());
  else if (trimmed === "null") value = null;
  else if (spec.type === "boolean" && (trimmed === "true" || trimmed === "false")) value = trimmed === "true";
  else if ((spec.type === "integer" || spec.type === "number") && trimmed !== "" && !Number.isNaN(Number(trimmed))) {
    value = Number(trimmed); // Number("") is 0, hence the guard above
  }
  checkKeyValue(spec, value, flag);
  return value as ModelParams[ModelKey];
}
