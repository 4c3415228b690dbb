// Names of the metrics of SPEC §2, as used in configs, results and reports.

/** Metrics with one number per evaluation (`acc` is the only vector metric: 4 group accuracies). */
export const SCALAR_METRICS = [
  "trainLoss",
  "accMajority",
  "accMinority",
  "accAvg",
  "wga",
  "spuriousGap",
  "marginMajority",
  "marginMinority",
  "coefSpurious",
  "coefSignal",
  "massSpurious",
  "massSignal",
  "massNoise",
  "signAlign",
] as const;

export type ScalarMetric = (typeof SCALAR_METRICS)[number];

/**
 * The values a metric can take, where it is bounded: accuracies and signAlign are fractions,
 * spuriousGap the difference of two accuracies, the loss and the masses are ≥ 0. Every interval of
 * a metric (and of a difference of it, see differenceRange) is kept within its range; the metrics
 * not listed (margins, Fourier coefficients) are unbounded.
 */
const METRIC_RANGES: Partial<Record<ScalarMetric | CompanionMetric, { lo: number; hi: number }>> = {
  trainLoss: { lo: 0, hi: Infinity },
  accMajority: { lo: 0, hi: 1 },
  accMinority: { lo: 0, hi: 1 },
  accAvg: { lo: 0, hi: 1 },
  wga: { lo: 0, hi: 1 },
  spuriousGap: { lo: -1, hi: 1 },
  massSpurious: { lo: 0, hi: Infinity },
  massSignal: { lo: 0, hi: Infinity },
  massNoise: { lo: 0, hi: Infinity },
  signAlign: { lo: 0, hi: 1 },
  trainAcc: { lo: 0, hi: 1 },
  trainAccClean: { lo: 0, hi: 1 },
  noiseFit: { lo: 0, hi: 1 },
  linearity: { lo: 0, hi: 1 },
  cosMaxMargin: { lo: -1, hi: 1 },
  unitsAligned: { lo: 0, hi: 1 },
  shortcutShareNet: { lo: 0, hi: 1 },
  shortcutShareSvm: { lo: 0, hi: 1 },
};

/** The range of a metric's values (see METRIC_RANGES): [−∞, ∞] when unbounded. */
export function metricRange(metric: ScalarMetric | CompanionMetric): { lo: number; hi: number } {
  return METRIC_RANGES[metric] ?? { lo: -Infinity, hi: Infinity };
}

/**
 * Metrics of the companion results (docs/model.md), evaluated only with `companionMetrics: true`, at
 * each stored trajectory point, from the weights kept at that step (kernel/companionMetrics.ts):
 * null where they do not apply (training-set metrics of an online run, noiseFit without label noise,
 * cosMaxMargin on data that is not linearly separable).
 */
export const COMPANION_METRICS = [
  "trainAcc",
  "trainAccClean",
  "noiseFit",
  "normalizedMargin",
  "linearity",
  "cosMaxMargin",
  "unitsAligned",
  "shortcutShareNet",
  "shortcutShareSvm",
] as const;

export type CompanionMetric = (typeof COMPANION_METRICS)[number];

export type CompanionValues = Record<CompanionMetric, number | null>;

/** Every metric a run record can hold, engine metrics first. */
export const ALL_METRICS: readonly (ScalarMetric | CompanionMetric)[] = [...SCALAR_METRICS, ...COMPANION_METRICS];

/** The metrics `records` hold: every engine metric, then the companion metrics some run evaluated. */
export function recordedMetrics(records: readonly { final: Partial<Record<string, unknown>> }[]): (ScalarMetric | CompanionMetric)[] {
  return [...SCALAR_METRICS, ...COMPANION_METRICS.filter((m) => records.some((r) => m in r.final))];
}

/** Metrics of the weights alone (no test-set pass): cheap at every step. */
const WEIGHT_METRICS: readonly ScalarMetric[] = ["massSpurious", "massSignal", "massNoise", "signAlign"];

/** Whether `name` needs the test-set outputs (every metric but trainLoss and the weight metrics). */
export function isTestSetMetric(name: ScalarMetric): boolean {
  return name !== "trainLoss" && !WEIGHT_METRICS.includes(name);
}

/** Test-group order of `acc`: (y, s) = (+1,+1), (−1,−1), (+1,−1), (−1,+1). */
export const GROUP_NAMES = ["(+1,+1)", "(-1,-1)", "(+1,-1)", "(-1,+1)"] as const;

/** One evaluation: every scalar metric plus the four group accuracies. */
export type Metrics = Record<ScalarMetric, number> & { acc: number[] };

/** One point of a trajectory (with the companion metrics when the run evaluated them). */
export type TrajectoryPoint = { step: number } & Metrics & Partial<CompanionValues>;

export function isScalarMetric(name: string): name is ScalarMetric {
  return (SCALAR_METRICS as readonly string[]).includes(name);
}
