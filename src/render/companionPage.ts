// The paper page's sections on the two companion results (issue 24): a section per source result,
// the seed's own wording quoted briefly, our numbers next to it. Every number and every verdict word
// is computed here from the summaries and the check results; none is written into the prose.
import type { ConditionSummary } from "../analysis/summary.js";
import { unitsAlignedAtRandom } from "../kernel/companionMetrics.js";
import { conditionLabel, formatEventMedian, formatMeanCI, formatValue } from "./format.js";
import { checkBlock, figure, link, setting, verdict } from "./paperParts.js";
import type { PaperPageInput, PaperStudyResult } from "./paperPage.js";
import { fittedMarkdownTable } from "./table.js";

/** Clean test accuracy (and noise fit) that count as "test error close to the noise rate". */
const NEAR_NOISE_RATE = { accuracy: 0.95, noiseFit: 0.05 };
/** Linearity (R²) that counts as "close to a linear function". */
const LINEAR = 0.9;

const trainSizeOf = (c: ConditionSummary) => Number((c.condition.variant as Record<string, unknown> | undefined)?.trainSize ?? c.condition.trainSize);

/** The median band of `metric` in condition `c`: the largest median, and the step where it is. */
function peak(c: ConditionSummary, metric: string): { value: number; step: number } | null {
  const band = c.trajectories[metric];
  if (band === undefined || band.median.length === 0) return null;
  let best = 0;
  band.median.forEach((m, i) => (m > band.median[best] ? (best = i) : undefined));
  return { value: band.median[best], step: band.steps[best] };
}

/** The first stored step at which the median of `metric` is below `threshold`, or null. */
function firstBelow(c: ConditionSummary, metric: string, threshold: number, after = 0): number | null {
  const band = c.trajectories[metric];
  if (band === undefined) return null;
  const i = band.steps.findIndex((step, k) => step > after && band.median[k] < threshold);
  return i < 0 ? null : band.steps[i];
}

/** Least-squares slope of ln(1 − cos) against ln step over the last decade of steps of the median band. */
function convergenceSlope(c: ConditionSummary): { slope: number; from: number; to: number; gap: number } | null {
  const band = c.trajectories.cosMaxMargin;
  if (band === undefined || band.steps.length < 3) return null;
  const to = band.steps[band.steps.length - 1];
  const points = band.steps.flatMap((step, i) => (step >= to / 10 && step > 0 && band.median[i] < 1 ? [[Math.log(step), Math.log(1 - band.median[i])]] : []));
  if (points.length < 3) return null;
  const mx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const my = points.reduce((s, p) => s + p[1], 0) / points.length;
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return { slope: num / den, from: Math.round(Math.exp(points[0][0])), to, gap: 1 - band.median[band.median.length - 1] };
}

function studyHead(study: PaperStudyResult | undefined, title: string, out: string[]): study is PaperStudyResult {
  out.push(`### ${title}`, "");
  if (study === undefined) {
    out.push("_No results yet._", "");
    return false;
  }
  out.push(`${setting(study.config)} Report: ${link(study.name)}. Verdict: ${verdict(study)}.`, "");
  return true;
}

function checks(study: PaperStudyResult, out: string[]): void {
  out.push("Checks:", "", checkBlock(study), "");
}

function linearBaseline(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("linear-baseline");
  if (!studyHead(study, "A linear classifier is at chance", out)) return;
  const s = study.summary;
  out.push(...figure(input, "linear-baseline"));
  out.push(
    fittedMarkdownTable(
      ["activation", "test accuracy (clean)", "train accuracy (noisy labels)", "wga"],
      s.conditions.map((c) => [String(c.condition.activation), formatMeanCI(c.final.accAvg), formatMeanCI(c.final.trainAcc), formatMeanCI(c.final.wga)]),
      { keyColumns: 1 },
    ),
    "",
    "y = x0·x1 is even in x and a bias-free linear function is odd, so a linear classifier is right on exactly half of " +
      "the inputs in expectation, whatever it learned from the training set.",
    "",
  );
  checks(study, out);
}

/** The label-noise sweep in words: where generalisation near the noise rate holds at the end, only early, or not. */
function noiseRateOutcome(c: ConditionSummary): string {
  const acc = c.final.accAvg;
  const fit = c.final.noiseFit;
  const holdsAtEnd = (acc?.lo ?? -1) >= NEAR_NOISE_RATE.accuracy && (fit?.hi ?? 2) <= NEAR_NOISE_RATE.noiseFit;
  if (holdsAtEnd) return "holds to the end";
  const best = peak(c, "accAvg");
  const memorises = (fit?.mean ?? 0) >= 0.5;
  const early = best !== null && best.value >= NEAR_NOISE_RATE.accuracy ? `only with early stopping (median ${formatValue(best.value)} at step ${best.step})` : "not reached";
  return memorises ? `${early}; then memorises the noise` : early;
}

function labelNoise(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("label-noise");
  if (!studyHead(study, "Test error close to the noise rate", out)) return;
  const s = study.summary;
  const d = Number((study.config.base as Record<string, unknown>).d);
  const noises = [...new Set(s.conditions.map((c) => Number(c.condition.labelNoise)))].sort((a, b) => a - b);
  out.push(...figure(input, "label-noise"));
  out.push(
    `The test labels are clean, so "error close to the noise rate η" on noisy labels means clean test accuracy near 1 while the ` +
      `accuracy against the noisy training labels stays near 1 − η (\`noiseFit\`: the share of flipped training points fitted to ` +
      `their wrong label). "Holds" below: final clean accuracy CI above ${NEAR_NOISE_RATE.accuracy} and noiseFit CI below ${NEAR_NOISE_RATE.noiseFit}.`,
    "",
    fittedMarkdownTable(
      ["η", "n (n/d)", "clean test accuracy, final", "best median (step)", "train accuracy, final", "1 − η", "noiseFit, final", "near the noise rate"],
      s.conditions.map((c) => {
        const n = trainSizeOf(c);
        const best = peak(c, "accAvg");
        const eta = Number(c.condition.labelNoise);
        return [String(eta), `${n} (${formatValue(n / d)})`, formatMeanCI(c.final.accAvg), best === null ? "—" : `${formatValue(best.value)} (${best.step})`, formatMeanCI(c.final.trainAcc), formatValue(1 - eta), formatMeanCI(c.final.noiseFit), noiseRateOutcome(c)];
      }),
      { keyColumns: 2 },
    ),
    "",
  );
  const holds = s.conditions.filter((c) => noiseRateOutcome(c) === "holds to the end").map((c) => `η = ${c.condition.labelNoise}, n = ${trainSizeOf(c)}`);
  out.push(`It holds to the end in ${holds.length} of ${s.conditions.length} conditions${holds.length > 0 ? ` (${holds.join("; ")})` : ""}, over η ∈ {${noises.join(", ")}}.`, "");

  out.push(
    "**Amplification.** `unitsAligned` is the share of units with w_j0² + w_j1² > ½‖w_j‖² — units that have become XOR features. " +
      `For random Gaussian weights that ratio is Beta(1, (d − 2)/2), so random features give exactly (½)^((d−2)/2) = ${formatValue(unitsAlignedAtRandom(d))} at d = ${d}.`,
    "",
    fittedMarkdownTable(
      ["η", "n", "at init", "random-feature value", "peak median (step)", "final"],
      s.conditions.map((c) => {
        const best = peak(c, "unitsAligned");
        return [String(c.condition.labelNoise), String(trainSizeOf(c)), formatMeanCI(c.at["0"]?.unitsAligned), formatValue(unitsAlignedAtRandom(d)), best === null ? "—" : `${formatValue(best.value)} (${best.step})`, formatMeanCI(c.final.unitsAligned)];
      }),
      { keyColumns: 2 },
    ),
    "",
  );
  checks(study, out);
}

function maxMargin(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("max-margin");
  if (!studyHead(study, "Convergence to the max-margin solution, whatever the width", out)) return;
  const s = study.summary;
  out.push(...figure(input, "max-margin"));
  const rows = s.conditions.map((c) => {
    const trend = convergenceSlope(c);
    const band = c.trajectories.normalizedMargin;
    const rises = band === undefined ? 0 : band.median.slice(1).filter((m, i) => m > band.median[i]).length;
    return [
      String(c.condition.width),
      formatMeanCI(c.at["1000"]?.normalizedMargin),
      formatMeanCI(c.final.normalizedMargin),
      band === undefined ? "—" : `${rises}/${band.median.length - 1}`,
      formatMeanCI(c.final.linearity),
      formatMeanCI(c.final.cosMaxMargin),
      trend === null ? "—" : `${formatValue(trend.slope)} (steps ${trend.from}–${trend.to})`,
    ];
  });
  out.push(
    fittedMarkdownTable(["width", "normalised margin at 1000", "final", "median rose (stored steps)", "linearity, final", "cos to max margin, final", "slope of ln(1 − cos) vs ln step"], rows, { keyColumns: 1 }),
    "",
  );
  const trends = s.conditions.map((c) => ({ width: c.condition.width, trend: convergenceSlope(c) })).filter((t) => t.trend !== null);
  if (trends.length > 0) {
    const words = trends.map(({ width, trend }) => {
      const t = trend!;
      // at the fitted rate, 1 − cos reaches 0.01 after t_end · (0.01 / gap)^(1/slope) steps
      const reach = t.slope < 0 && t.gap > 0.01 ? `cos 0.99 would take ≈ ${formatValue(t.to * Math.pow(0.01 / t.gap, 1 / t.slope))} steps at that rate` : t.gap <= 0.01 ? "already within 0.01" : "not falling";
      return `width ${width}: 1 − cos = ${formatValue(t.gap)} at step ${t.to}, falling like step^${formatValue(t.slope)} (${reach})`;
    });
    out.push(
      `Trend of 1 − cos over the last decade of steps (median over seeds): ${words.join("; ")}. ` +
        "A negative slope supports convergence in direction; a slope near 0 supports only that the direction has settled near, not at, the max-margin classifier.",
      "",
    );
  }
  checks(study, out);
}

function simplicityBias(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("simplicity-bias");
  if (!studyHead(study, "Simplicity bias: close to linear early in training", out)) return;
  const s = study.summary;
  out.push(...figure(input, "simplicity-bias"));
  const steps = ["0", "50", "100", "200", "500", "1000"].filter((k) => s.conditions.some((c) => c.at[k]?.linearity !== undefined));
  out.push(
    fittedMarkdownTable(
      ["λ", ...steps.map((k) => `linearity at ${k}`), "final", `first step median < ${LINEAR}`, "signal step"],
      s.conditions.map((c) => {
        const lost = firstBelow(c, "linearity", LINEAR, 0);
        return [String(c.condition.lambda), ...steps.map((k) => formatMeanCI(c.at[k]?.linearity)), formatMeanCI(c.final.linearity), lost === null ? "never" : String(lost), c.events.signal === undefined ? "—" : formatEventMedian(c.events.signal)];
      }),
      { keyColumns: 1 },
    ),
    "",
    "The data here are not symmetrised. On a symmetric training set a bias-free net's odd part is exactly its linear part, and by " +
      "convexity of the loss any even part can only raise it, so linearity there is forced by the data rather than a bias of " +
      "gradient descent; it is not counted as evidence on this page.",
    "",
  );
  checks(study, out);
}

function shortcutMargin(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("shortcut-margin");
  if (!studyHead(study, "Both results in the shortcut setting (λ = 1)", out)) return;
  const s = study.summary;
  const d = Number((study.config.base as Record<string, unknown>).d);
  out.push(...figure(input, "shortcut-margin"));
  out.push(
    fittedMarkdownTable(
      ["n (n/d)", "max-margin: share on x2", "net's linear part: share on x2", "cos(net, max margin)", "train accuracy", "test accMinority"],
      s.conditions.map((c) => {
        const n = trainSizeOf(c);
        return [`${n} (${formatValue(n / d)})`, formatMeanCI(c.final.shortcutShareSvm), formatMeanCI(c.final.shortcutShareNet), formatMeanCI(c.final.cosMaxMargin), formatMeanCI(c.final.trainAcc), formatMeanCI(c.final.accMinority)];
      }),
      { keyColumns: 1 },
    ),
    "",
  );
  const svm = s.conditions.map((c) => ({ label: conditionLabel(c.condition), n: trainSizeOf(c), share: c.final.shortcutShareSvm?.mean ?? null, cos: c.final.cosMaxMargin?.mean ?? null }));
  const known = svm.filter((x) => x.share !== null);
  if (known.length > 0) {
    const lowest = known.reduce((a, b) => ((a.share as number) < (b.share as number) ? a : b));
    const highest = known.reduce((a, b) => ((a.share as number) > (b.share as number) ? a : b));
    out.push(
      `The max-margin linear classifier puts ${formatValue(lowest.share)} of its weight on the shortcut at n = ${lowest.n} and ` +
        `${formatValue(highest.share)} at n = ${highest.n}: with few points the noise coordinates separate the data with a larger margin. ` +
        `Gradient descent's direction agrees with it to cos ${known.map((x) => `${formatValue(x.cos)} (n = ${x.n})`).join(", ")}.`,
      "",
    );
  }
}

/** The companion results' sections, after the shortcut paper's claims. */
export function companionSections(input: PaperPageInput, out: string[]): void {
  out.push(
    "## Companion result 1: feature learning with label noise (`seeds/002`)",
    "",
    "> \"although linear classifiers are no better than random guessing for the distribution we consider, two-layer ReLU networks " +
      "trained by gradient descent achieve generalization error close to the label noise rate\" … \"the gradient descent dynamics " +
      "'amplify' these weak, random features to strong, useful features.\"",
    "",
  );
  linearBaseline(input, out);
  labelNoise(input, out);
  out.push(
    "## Companion result 2: max margin and simplicity bias (`seeds/004`)",
    "",
    "> \"establish this global optimality for two-layer Leaky ReLU nets trained with gradient flow on linearly separable and " +
      "symmetric data, regardless of the width\" … \"simplicity bias of GD towards linear or other 'simple' classes of solutions, " +
      "especially early in training\" … \"A simple data manipulation can make gradient flow converge to a linear classifier with suboptimal margin.\"",
    "",
    "Gradient flow is approximated by full-batch gradient descent at a small step (docs/model.md, *Companion metrics*).",
    "",
  );
  maxMargin(input, out);
  simplicityBias(input, out);
  shortcutMargin(input, out);
}
