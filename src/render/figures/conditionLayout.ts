// How a figure tells the conditions apart (issue 22): one grid key colours the lines, one grid key
// gives a row of panels per value (small multiples), and any other keys a column of panels per
// combination of their values, so that a panel never overlays more lines than the colour key has
// values. Chosen by `--colour`/`--facet` (or a config's `figures`); by default colour is the key
// with the most values (but not the facet key: colour and rows would tell the same apart), and the
// next key facets once there would be more than 6 lines.
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { NO_FACET, type ViewOptions } from "../../config/viewOptions.js";
import { conditionLabel } from "../format.js";

/** More lines than this in one panel are faceted by default. */
const OVERLAY_MAX_LINES = 6;

export interface ConditionLayout {
  colourKey: string | null;
  facetKey: string | null;
  /** Per condition (summary order): its colour label, its row and its column (null when none). */
  colour: string[];
  row: (string | null)[];
  column: (string | null)[];
  colourDomain: string[];
  rowDomain: string[] | null;
  columnDomain: string[] | null;
}

/** Grid keys by number of values, most first (ties in grid order). */
function byValueCount(grid: Readonly<Record<string, readonly unknown[]>>): string[] {
  const keys = Object.keys(grid);
  return [...keys].sort((a, b) => grid[b].length - grid[a].length || keys.indexOf(a) - keys.indexOf(b));
}

/** Labels of a condition restricted to some keys, e.g. "lr=0.1"; null for no keys. */
function labelOf(condition: Record<string, unknown>, keys: readonly string[]): string | null {
  return keys.length === 0 ? null : conditionLabel(Object.fromEntries(keys.map((k) => [k, condition[k]])));
}

function unique(labels: readonly (string | null)[]): string[] | null {
  const present = labels.filter((l): l is string => l !== null);
  return present.length === 0 ? null : [...new Set(present)];
}

export function conditionLayout(summary: StudySummary, views: ViewOptions = {}): ConditionLayout {
  const keys = Object.keys(summary.grid);
  const ranked = byValueCount(summary.grid);
  const colourKey = views.colour ?? ranked.find((k) => views.facet === undefined || k !== views.facet) ?? ranked[0] ?? null;
  const facetKey =
    views.facet === NO_FACET ? null : (views.facet ?? (summary.conditions.length > OVERLAY_MAX_LINES ? (ranked.find((k) => k !== colourKey) ?? null) : null));
  const conditions = summary.conditions.map((c) => c.condition);
  if (colourKey === null || facetKey === null) {
    // No panels: the colour tells every condition apart (its key first in the label).
    const colour = conditions.map((c) => conditionLabel(colourKey === null ? c : { [colourKey]: c[colourKey], ...c }));
    return { colourKey, facetKey: null, colour, row: colour.map(() => null), column: colour.map(() => null), colourDomain: [...new Set(colour)], rowDomain: null, columnDomain: null };
  }
  const rest = keys.filter((k) => k !== colourKey && k !== facetKey);
  const colour = conditions.map((c) => labelOf(c, [colourKey]) as string);
  const row = conditions.map((c) => labelOf(c, [facetKey]));
  const column = conditions.map((c) => labelOf(c, rest));
  return { colourKey, facetKey, colour, row, column, colourDomain: [...new Set(colour)], rowDomain: unique(row), columnDomain: unique(column) };
}
