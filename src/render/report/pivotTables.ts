// "## Pivot tables": for a study with two or more grid keys, each event's median step (and the
// chosen final metrics) with one key's values as rows and another's as columns, one table per
// combination of the remaining keys' values.
import type { Pivot, PivotQuantity } from "../../analysis/pivot.js";
import type { ConditionSummary } from "../../analysis/summaryTypes.js";
import { conditionLabel, formatEventMedian, formatMeanCI, formatParam, SMALL_SAMPLE, SMALL_SAMPLE_NOTE } from "../format.js";
import { fittedMarkdownTable } from "../table.js";

/** A condition's cell: "120 [100, 150] 4/4" for an event, "0.912 [0.9, 0.93]" for a final metric. */
function pivotCellText(quantity: PivotQuantity, c: ConditionSummary | undefined): string {
  if (c === undefined) return "—";
  if (quantity.kind === "final") return formatMeanCI(quantity.of(c));
  const e = quantity.of(c);
  return e === undefined ? "—" : `${formatEventMedian(e)} ${e.reached}/${e.n}`;
}

/** The tables of one quantity: one per slice, each headed by the remaining keys' values when there are some. */
function quantityTables(pivot: Pivot, quantity: PivotQuantity): string {
  const { rows, cols } = pivot.axes;
  const header = [`${rows} ↓ ${cols} →`, ...pivot.colValues.map(formatParam)];
  return pivot.slices
    .map((slice) => {
      const body = pivot.rowValues.map((r, i) => [formatParam(r), ...slice.cells[i].map((c) => pivotCellText(quantity, c))]);
      const table = fittedMarkdownTable(header, body, { align: ["left"], keyColumns: 1 });
      return Object.keys(slice.at).length === 0 ? table : [`At ${conditionLabel(slice.at)}:`, "", table].join("\n");
    })
    .join("\n\n");
}

export function pivotTablesSection(pivot: Pivot, quantities: readonly PivotQuantity[], heatmaps: ReadonlyMap<string, string> = new Map()): string {
  const { rows, cols, rest } = pivot.axes;
  const split = rest.length === 0 ? "" : `, one table per value of ${rest.join(" × ")}`;
  return [
    "## Pivot tables",
    "",
    `Rows: ${rows}; columns: ${cols}${split} (choose with \`report --rows KEY --cols KEY\`; ` +
      "`export --what pivot` writes them as CSV or Parquet). Event steps are Kaplan–Meier medians with their " +
      "Brookmeyer–Crowley 95% CI (∞: fewer than half the runs reached the event) and the runs that reached it." +
      (pivot.slices.some((s) => s.cells.some((row) => row.some((c) => c !== undefined && c.runs < SMALL_SAMPLE))) ? ` ${SMALL_SAMPLE_NOTE}` : ""),
    "",
    quantities
      .map((q) => {
        const heatmap = heatmaps.get(q.id);
        return [`### ${q.title}`, "", quantityTables(pivot, q), ...(heatmap === undefined ? [] : ["", `![Heatmap: ${q.title}](${heatmap})`])].join("\n");
      })
      .join("\n\n"),
  ].join("\n");
}
