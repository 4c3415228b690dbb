// The model's keys (SPEC §2): one table drives defaults, validation, CLI flags and the JSON Schema.

type Activation = "relu" | "leaky" | "linear";
type EventSearch = "exact" | "bracket";

/** Every model key resolved to a value: what a run is computed from. */
export interface ModelParams {
  d: number;
  width: number;
  batch: number;
  lr: number;
  steps: number;
  evalEvery: number;
  testPerGroup: number;
  weightDecay: number;
  /** Fixed training-set size, or null for online SGD (a fresh batch every step). */
  trainSize: number | null;
  lambda: number;
  labelNoise: number;
  spuriousScale: number;
  initW: number;
  initA: number;
  activation: Activation;
  bias: boolean;
  symmetricInit: boolean;
  leakySlope: number;
  /** A minibatch loss above this ends the run as diverged; null: only non-finite values do. */
  divergeLoss: number | null;
  /** How events are located between evaluations (pool/certifiedEvents.ts, pool/eventSteps.ts). */
  eventSearch: EventSearch;
  /** With trainSize n: each drawn training point (x, y) is joined by (−x, −y), 2n points in all. */
  symmetrizeTrain: boolean;
  /** Also evaluate the training-set and max-margin metrics (COMPANION_METRICS) at each stored point. */
  companionMetrics: boolean;
  /** Event names: the run ends at the evaluation where all of them have been reached (none: it runs all steps). */
  stopAfter: string[];
  seed: number;
}

export type ModelKey = keyof ModelParams;

export interface KeySpec {
  key: ModelKey;
  /** eventList: a list of distinct event names (the study's events are checked with the config). */
  type: "integer" | "number" | "boolean" | "enum" | "eventList";
  /** Default value; `initA` defaults to 1/√width and is resolved in `resolveParams`. */
  default: number | boolean | string | null | readonly string[];
  min?: number;
  max?: number;
  /** true when `min` itself is not allowed (e.g. lr > 0). */
  exclusiveMin?: boolean;
  values?: readonly string[];
  nullable?: boolean;
  description: string;
  /** The default in words, where it is not a constant (initA: 1/√width). */
  defaultText?: string;
}

export const MAX_SEED = 0xffffffff;

export const MODEL_KEYS: readonly KeySpec[] = [
  { key: "d", type: "integer", default: 128, min: 3, max: 1 << 16, description: "input dimension (coordinates 0,1 carry XOR, 2 is spurious, the rest noise)" },
  { key: "width", type: "integer", default: 128, min: 1, max: 1 << 16, description: "number of hidden ReLU neurons m" },
  { key: "batch", type: "integer", default: 64, min: 1, max: 1 << 16, description: "samples per SGD step" },
  { key: "lr", type: "number", default: 0.5, min: 0, exclusiveMin: true, max: 1e6, description: "learning rate" },
  { key: "steps", type: "integer", default: 2000, min: 1, max: 1e8, description: "number of SGD steps" },
  { key: "evalEvery", type: "integer", default: 25, min: 1, max: 1e8, description: "evaluate the test metrics every this many steps" },
  { key: "testPerGroup", type: "integer", default: 1024, min: 1, max: 1 << 20, description: "test samples in each of the four (y, s) groups" },
  { key: "weightDecay", type: "number", default: 0, min: 0, max: 1e6, description: "L2 penalty (wd/2)·‖θ‖² on all trained parameters" },
  { key: "trainSize", type: "integer", default: null, nullable: true, min: 1, max: 1 << 24, description: "fixed training-set size n (null: online, fresh samples every step)" },
  { key: "lambda", type: "number", default: 1, min: 0, max: 1, description: "spurious correlation: P(s = y) = (1 + lambda) / 2" },
  { key: "labelNoise", type: "number", default: 0, min: 0, max: 0.5, description: "probability of flipping each training label" },
  { key: "spuriousScale", type: "number", default: 1, min: 0, exclusiveMin: true, max: 1e6, description: "magnitude of the spurious coordinate x2 = s · spuriousScale" },
  { key: "initW", type: "number", default: 1, min: 0, max: 1e6, description: "first-layer init scale: w_j ~ N(0, initW² / d · I)" },
  { key: "initA", type: "number", default: null, min: 0, exclusiveMin: true, max: 1e6, description: "second-layer init magnitude: a_j = ±initA", defaultText: "1/√width" },
  { key: "activation", type: "enum", default: "relu", values: ["relu", "leaky", "linear"], description: "hidden activation: ReLU, leaky ReLU, or linear (the identity: the net is a linear classifier)" },
  { key: "bias", type: "boolean", default: false, description: "train a hidden bias b_j (initialised to 0)" },
  { key: "symmetricInit", type: "boolean", default: false, description: "neuron j + width/2 copies neuron j with a negated, so f ≡ 0 at init (needs even width)" },
  { key: "leakySlope", type: "number", default: 0.01, min: 0, max: 1, exclusiveMin: false, description: "negative-side slope of leaky ReLU" },
  { key: "divergeLoss", type: "number", default: 1e6, nullable: true, min: 0, exclusiveMin: true, max: 1e300, description: "a minibatch loss above this ends the run as diverged (null: only a non-finite loss or weight does; docs/model.md says why 1e6)" },
  {
    key: "eventSearch",
    type: "enum",
    // exact by default: on the quick study it costs at most twice the bracket search (bench/exact-events.mjs,
    // reports/bench.md); bracket stays for speed, chosen explicitly
    default: "exact",
    values: ["bracket", "exact"],
    description:
      "exact: every event at the first step its rule holds, as evalEvery 1 finds it, excursions included (certified bounds between evaluations, exact evaluation where they leave it open); " +
      "bracket: each event located inside the evaluation interval where it is first seen (faster; misses excursions the grid does not see)",
  },
  { key: "symmetrizeTrain", type: "boolean", default: false, description: "with trainSize n, join each drawn training point (x, y) by (−x, −y): a symmetric training set of 2n points" },
  { key: "companionMetrics", type: "boolean", default: false, description: "also evaluate trainAcc, trainAccClean, noiseFit, normalizedMargin, linearity, cosMaxMargin, unitsAligned and the shortcut shares at each stored trajectory point (docs/model.md)" },
  { key: "stopAfter", type: "eventList", default: [], description: "end the run at the evaluation where all these events have been reached, e.g. [\"signal\"] (its final metrics are then those of that step; [] runs all steps)" },
  { key: "seed", type: "integer", default: 0, min: 0, max: MAX_SEED, description: "random seed of the run (set per run by the study)" },
];

/**
 * The grid key whose values are objects of model keys applied together — one per variant of the
 * model, e.g. `variant: [{}, { activation: "leaky" }, { trainSize: 256, batch: 256 }]` — where a
 * cartesian product of single keys would be too many conditions. Its keys may not be grid keys too.
 */
export const VARIANT_KEY = "variant";

export const MODEL_KEY_NAMES: readonly ModelKey[] = MODEL_KEYS.map((k) => k.key);

export function keySpec(key: string): KeySpec | undefined {
  return MODEL_KEYS.find((k) => k.key === key);
}

/** The defaults of SPEC §2, with `initA = 1/√width` left to `resolveParams`. */
export function defaultParams(): Omit<ModelParams, "initA"> & { initA: number | null } {
  const out: Record<string, unknown> = {};
  for (const k of MODEL_KEYS) out[k.key] = Array.isArray(k.default) ? [...k.default] : k.default;
  return out as Omit<ModelParams, "initA"> & { initA: number | null };
}

/** Fills defaults under already-validated partial params; `initA` defaults to 1/√width. */
export function resolveParams(partial: Partial<ModelParams>): ModelParams {
  const merged = { ...defaultParams(), ...partial };
  if (merged.initA === null || merged.initA === undefined) merged.initA = 1 / Math.sqrt(merged.width);
  return merged as ModelParams;
}

/** Points in the finite training set: trainSize, doubled by symmetrizeTrain; null when online. */
export function trainSetSize(p: Pick<ModelParams, "trainSize" | "symmetrizeTrain">): number | null {
  if (p.trainSize === null) return null;
  return p.symmetrizeTrain ? 2 * p.trainSize : p.trainSize;
}
