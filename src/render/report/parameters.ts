// "## Parameters": the base params, the grid, the seeds and the events' definitions.
import { VARIANT_KEY } from "../../config/studyConfig.js";
import { formatParam } from "../format.js";
import { markdownTable } from "../table.js";
import type { ReportConfig } from "./reportInput.js";

function seedsText(seeds: readonly number[]): string {
  const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  if (seeds.length > 3 && consecutive) return `${seeds.length} (${seeds[0]} … ${seeds[seeds.length - 1]})`;
  return `${seeds.length} (${seeds.join(", ")})`;
}

export function parametersSection(config: ReportConfig): string {
  // A grid key's base value is never used: say so rather than show a value no run had.
  const base = markdownTable(
    ["key", "value"],
    Object.entries(config.base).map(([key, value]) => [key, key in config.grid ? "(from the grid)" : value === null ? "none" : formatParam(value)]),
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
