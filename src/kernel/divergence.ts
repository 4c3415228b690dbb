// When a run has diverged (SPEC §2 "Divergence", docs/model.md "When a run diverges"): a weight or
// its minibatch loss stopped being finite, or the loss passed the model key `divergeLoss`. Every
// shard checks this once per step on numbers all shards compute identically (the minibatch loss
// reduced in block order, the block sums of the weights), so the verdict and its steps do not
// depend on the number of shards.
//
// Detection and attribution are two steps apart on purpose. The loss limit is high because runs at
// the edge of stability can spike far above ln 2 and still recover (docs/model.md gives the command
// that shows it), so a blow-up is *detected* late; it is *recorded* at the step where it began: the
// one after the last step whose loss was no higher than at step 0. Events after that step happened
// while the run was running away and do not count.

/** Why a run diverged, as runs.jsonl writes it; the shard loop stores the index (Divergence code). */
export const DIVERGENCE_REASONS = ["non-finite weights", "non-finite loss", "loss above divergeLoss"] as const;
export type DivergenceReason = (typeof DIVERGENCE_REASONS)[number];

/** Reason codes: indices into DIVERGENCE_REASONS, or `none` while the run is healthy. */
export const Divergence = { none: -1, nonFiniteWeights: 0, nonFiniteLoss: 1, lossAboveLimit: 2 } as const;

/** Watches one run's minibatch losses, step by step, for a blow-up (one per shard, no allocation). */
export class DivergenceWatch {
  private readonly limit: number;
  private calmLoss = Infinity;
  private lastCalmStep = -1;

  constructor(divergeLoss: number | null) {
    this.limit = divergeLoss ?? Infinity;
  }

  /** The reason code for `loss`, the minibatch loss of the weights of `step` (steps in order). */
  check(loss: number, step: number): number {
    if (!Number.isFinite(loss)) return Divergence.nonFiniteLoss;
    if (loss > this.limit) return Divergence.lossAboveLimit;
    if (step === 0) this.calmLoss = loss;
    if (loss <= this.calmLoss) this.lastCalmStep = step;
    return Divergence.none;
  }

  /** Where a blow-up seen now began: the step after the last one whose loss was at most step 0's. */
  get blowUpStep(): number {
    return this.lastCalmStep + 1;
  }
}
