// "## Parameters": the base params, the grid, the seeds and the events' definitions.
import { keySpec, resolveParams } from "../../config/modelKeys.js";
import { VARIANT_KEY } from "../../config/studyConfig.js";
import { formatParam } from "../format.js";
import { markdownTable } from "../table.js";
import type { ReportConfig } from "./reportInput.js";

function seedsText(seeds: readonly number[]): string {
  const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  if (seeds.length > 3 && consecutive) return `${seeds.length} (${seeds[0]} … ${seeds[seeds.length - 1]})`;
  return `${seeds.length} (${seeds.join(", ")})`;
}

/** Whether the runs' width differs between conditions: a grid key, set by a variant, or an expression of the grid keys. */
function widthVaries(config: ReportConfig): boolean {
  const variants = config.grid[VARIANT_KEY] ?? [];
  return "width" in config.grid || typeof config.base.width === "string" || variants.some((v) => typeof v === "object" && v !== null && "width" in v);
}

/**
 * A base key's value as the runs used it. A grid key's base value is never used, and initA's default
 * 1/√width resolved at the base's width (or null, when width is an expression) is not what runs of
 * another width used: say so rather than show a value no run had.
 */
function baseValueText(config: ReportConfig, key: string, value: unknown): string {
  if (key in config.grid) return "(from the grid)";
  const defaultText = keySpec(key)?.defaultText;
  if (key === "initA" && defaultText !== undefined && widthVaries(config)) {
    const atBaseWidth = typeof config.base.width === "number" ? resolveParams({ width: config.base.width }).initA : null;
    if (value === null || value === atBaseWidth) return `${defaultText} (per condition)`;
  }
  return value === null ? "none" : formatParam(value);
}

export function parametersSection(config: ReportConfig): string {
  const base = markdownTable(
    ["key", "value"],
    Object.entries(config.base).map(([key, value]) => [key, baseValueText(config, key, value)]),
    ["left", "left"],
  );
  const gridEntries = Object.entries(config.grid);
  const grid =
    gridEntries.length === 0
      ? "No grid: a single condition at the base params."
      : markdownTable(
          ["key", "values"],
          // a variant may list several keys itself, so each variant gets a row of its own
          gridEntries.flatMap(([key, values]) =>
            key === VARIANT_KEY ? values.map((v, i) => [i === 0 ? key : "", formatParam(v)]) : [[key, values.map(formatParam).join(", ")]],
          ),
          ["left", "left"],
        );
  const events = markdownTable(
    ["event", "first step with (located to one step)"],
    Object.entries(config.events).map(([name, spec]) => [name, `${spec.metric} ${spec.op} ${spec.value}`]),
    ["left", "left"],
  );
  return [
    "## Parameters",
    "",
    "### Base params",
    "",
    "Every run uses these, with its condition's grid values and its seed.",
    "",
    base,
    "",
    "### Grid",
    "",
    grid,
    "",
    `Seeds: ${seedsText(config.seeds)}.`,
    "",
    "### Events",
    "",
    events,
  ].join("\n");
}
