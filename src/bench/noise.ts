// When a bench row reads low or noisy: other processes' load and the spread of the repeats.
import type { BenchRow } from "./measure.js";
import { sizeLabel } from "./flags.js";
import { countOf, formatPercent } from "../render/format.js";

/** A row whose (max − min) / median exceeds this is flagged as noisy. */
export const NOISY_SPREAD = 0.2;
/**
 * A repeat during which other processes kept more than this share of all cores busy is redone
 * (up to 2 × repeats times; Linux), in ours and in the NumPy peer alike.
 */
export const MAX_OTHERS_BUSY = 0.1;

export function spread(r: BenchRow): number {
  return (r.stepsPerSecMax - r.stepsPerSecMin) / r.stepsPerSec;
}

export function noisyMessage(r: BenchRow): string {
  return `${sizeLabel(r)} on ${countOf(r.threads, "thread")} (${r.shardsMode}, ${r.kernel}): min … max spans ${formatPercent(spread(r))} of the median; ` +
    "the machine is noisy (other load, frequency scaling): close other programs or raise --repeats/--seconds";
}
