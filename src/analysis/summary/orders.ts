// `order.<first>.<second>` of a condition: how often one event came before another.
import type { RunRecord } from "../../store/runRecord.js";
import { wilsonInterval } from "../statistics/index.js";
import type { ConditionSummary } from "../summaryTypes.js";

/** `order.<first>.<second>` for every ordered pair of distinct events. */
export function summarizeOrders(records: readonly RunRecord[], events: readonly string[]): ConditionSummary["order"] {
  const order: ConditionSummary["order"] = {};
  for (const first of events) {
    order[first] = {};
    for (const second of events) {
      if (second === first) continue;
      let both = 0;
      let before = 0;
      let onlyFirst = 0;
      let onlySecond = 0;
      for (const r of records) {
        const a = r.events[first] ?? null;
        const b = r.events[second] ?? null;
        if (a !== null && b !== null) {
          both++;
          if (a < b) before++;
        } else if (a !== null) onlyFirst++;
        else if (b !== null) onlySecond++;
      }
      const { lo, hi } = wilsonInterval(before, both);
      order[first][second] = {
        n: records.length,
        both,
        before,
        fraction: both > 0 ? before / both : null,
        lo,
        hi,
        onlyFirst,
        onlySecond,
        neither: records.length - both - onlyFirst - onlySecond,
      };
    }
  }
  return order;
}
