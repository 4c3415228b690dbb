// A stable text form of JSON values and the hash of a resolved config, so that two configs that
// differ only in key order (or in the whitespace of their files) are recognised as the same study.
import { createHash } from "node:crypto";

/**
 * JSON with the keys of every object sorted (by UTF-16 code units, recursively) and no whitespace.
 * Follows JSON.stringify otherwise: object entries whose value is undefined or a function are left
 * out, such array elements become null, and NaN/±Infinity become null.
 * Written by hand rather than by re-building sorted objects, because JavaScript always enumerates
 * integer-like keys ("2", "10") first in numeric order whatever order they were inserted in.
 */
export function canonicalJson(value: unknown): string {
  const text = canonical(value);
  // Only reachable for a top-level undefined or function, which JSON has no form for.
  if (text === undefined) throw new TypeError("canonicalJson: the value has no JSON form");
  return text;
}

function canonical(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") throw new TypeError("canonicalJson: a bigint has no JSON form");
    return JSON.stringify(value) as string | undefined;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return canonical(withToJson.toJSON()); // e.g. Date
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v) ?? "null").join(",")}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const text = canonical((value as Record<string, unknown>)[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(",")}}`;
}

/** SHA-256 (hex) of the canonical JSON of the resolved config: the identity of a study's results. */
export function configHash(resolvedConfig: unknown): string {
  return createHash("sha256").update(canonicalJson(resolvedConfig)).digest("hex");
}
