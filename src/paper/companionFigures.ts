// Which figure the paper page draws for each companion study, from the studies' results.
import type { TopLevelSpec } from "vega-lite";
import { labelNoiseSpec, linearBaselineSpec, linearitySpec, maxMarginSpec, shortcutShareSpec } from "../render/figures/companionFigures.js";
import type { PaperStudyResult } from "../render/paperPage.js";

/** The noise rate the label-noise figure shows (the middle one of the study). */
const FIGURE_NOISE = 0.2;

export function companionFigureSpecs(results: ReadonlyMap<string, PaperStudyResult>): { key: string; title: string; spec: TopLevelSpec | null }[] {
  const summary = (name: string) => results.get(name)?.summary;
  const d = (name: string) => Number((results.get(name)?.config.base as Record<string, unknown> | undefined)?.d);
  const specs: { key: string; title: string; spec: TopLevelSpec | null }[] = [];
  const baseline = summary("linear-baseline");
  if (baseline !== undefined) specs.push({ key: "linear-baseline", title: "Linear vs ReLU: test and train accuracy over training", spec: linearBaselineSpec(baseline) });
  const noise = summary("label-noise");
  if (noise !== undefined) specs.push({ key: "label-noise", title: `Label noise ${FIGURE_NOISE}: clean test accuracy, train accuracy, noise fit and aligned units over training`, spec: labelNoiseSpec(noise, FIGURE_NOISE) });
  const margin = summary("max-margin");
  if (margin !== undefined) specs.push({ key: "max-margin", title: "Max margin: 1 − cos to the max-margin classifier against step, log-log", spec: maxMarginSpec(margin) });
  const simplicity = summary("simplicity-bias");
  if (simplicity !== undefined) specs.push({ key: "simplicity-bias", title: "Simplicity bias: linearity over training", spec: linearitySpec(simplicity, "Simplicity bias: the net stays close to linear early on") });
  const shortcut = summary("shortcut-margin");
  if (shortcut !== undefined) specs.push({ key: "shortcut-margin", title: "λ = 1: share of the classifier on the shortcut against n/d", spec: shortcutShareSpec(shortcut, d("shortcut-margin")) });
  return specs;
}
