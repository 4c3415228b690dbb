// The sections of the paper page (paperPage.ts) for the paper's four claims and its variants: each
// claim's setting, its studies' numbers with 95% CIs, figure and check verdicts.
import { valueDifference, type ValueDifference } from "../analysis/summaryPathValues.js";
import { canonicalJson } from "../store/configHash.js";
import { conditionLabel, formatEventMedian, formatEventStep, formatMeanCI, formatPairedDiff, formatPValue, formatValue } from "./format.js";
import { fittedMarkdownTable } from "./table.js";
import { checkBlock, figure, find, link, setting } from "./paperParts.js";
import { scalingSection } from "./paperScaling.js";
import type { PaperPageInput, PaperStudyResult } from "./paperPage.js";

function reached(e: { reached: number; n: number } | undefined): string {
  return e === undefined ? "—" : `${e.reached}/${e.n}`;
}

/** "Δ [lo, hi]" of a difference of means; "—" when there is none. */
function differenceCell(d: ValueDifference | null): string {
  return d === null ? "—" : `${formatValue(d.diff)} [${formatValue(d.lo)}, ${formatValue(d.hi)}]`;
}

export function claimOne(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("spurious-first");
  out.push("## 1. SGD learns the spurious feature first, and exponentially fast", "");
  if (study === undefined) return void out.push("_No results yet._", "");
  const s = study.summary;
  out.push(setting(study.config) + " Rates: least-squares slope of ln mass per step over phase 1 (step 0 → the spurious event).", "");
  out.push(...figure(input, 1));
  out.push(
    fittedMarkdownTable(
      ["λ", "spurious step", "signal step", "spurious first (runs with both)", "spuriousRate", "signalRate", "rateGap (paired)"],
      s.conditions.map((c) => {
        const o = c.order.spurious?.signal;
        return [
          String(c.condition.lambda),
          `${formatEventMedian(c.events.spurious)} (${reached(c.events.spurious)})`,
          `${formatEventMedian(c.events.signal)} (${reached(c.events.signal)})`,
          o === undefined || o.both === 0 ? "— (no run reached both)" : `${o.before}/${o.both} = ${formatValue(o.fraction)} [${formatValue(o.lo)}, ${formatValue(o.hi)}]`,
          formatMeanCI(c.rates.spuriousRate),
          formatMeanCI(c.rates.signalRate),
          formatMeanCI(c.rates.rateGap),
        ];
      }),
      { keyColumns: 1 },
    ),
    "",
  );
  const steps = Object.keys(s.conditions[0]?.at ?? {}).map(Number).filter((x) => x <= 200).sort((a, b) => a - b);
  out.push(
    "Phase 1 mechanism — `signAlign`, the fraction of neurons whose spurious weight has the sign of their output weight, mean [95% CI]:",
    "",
    fittedMarkdownTable(["λ", ...steps.map((x) => `step ${x}`)], s.conditions.map((c) => [String(c.condition.lambda), ...steps.map((x) => formatMeanCI(c.at[x]?.signAlign))]), { keyColumns: 1 }),
    "",
    `Checks (${link(study.name)}):`,
    "",
    checkBlock(study),
    "",
  );
}

function suppressionTables(study: PaperStudyResult): string[] {
  const s = study.summary;
  const lambdas = (study.config.grid.lambda ?? []) as number[];
  const perCondition = fittedMarkdownTable(
    ["λ", "signal step", "reached", "coefSignal at step 100", "wga at step 100", "coefSpurious at step 100"],
    s.conditions.map((c) => [String(c.condition.lambda), formatEventMedian(c.events.signal), reached(c.events.signal), formatMeanCI(c.at["100"]?.coefSignal), formatMeanCI(c.at["100"]?.wga), formatMeanCI(c.at["100"]?.coefSpurious)]),
    { keyColumns: 1 },
  );
  const methods = new Set<ValueDifference["method"]>();
  const rows = lambdas.slice(0, -1).map((from, i) => {
    const to = lambdas[i + 1];
    const cmp = s.comparisons.find((c) => c.key === "lambda" && c.event === "signal" && canonicalJson(c.from.lambda) === canonicalJson(from));
    const a = find(s, { lambda: from });
    const b = find(s, { lambda: to });
    const p = cmp?.paired;
    const coefSignal = a === undefined || b === undefined ? null : valueDifference(s, a, b, "lambda", { section: "at", step: 100, name: "coefSignal" });
    if (coefSignal !== null) methods.add(coefSignal.method);
    return [
      `${from} → ${to}`,
      cmp === undefined ? "—" : `${formatEventStep(a?.events.signal.medianStep ?? null, 1)} → ${formatEventStep(b?.events.signal.medianStep ?? null, 1)}`,
      cmp === undefined ? "—" : formatPValue(cmp.pValue, cmp.pValueBound),
      p === undefined ? "—" : formatPairedDiff(p),
      p === undefined ? "—" : `${p.later}/${p.earlier}/${p.tied}`,
      p === undefined ? "—" : formatPValue(p.pValue),
      differenceCell(coefSignal),
    ];
  });
  const comparisons = fittedMarkdownTable(
    ["λ from → to", "median signal step", "log-rank p", "paired Δ [95% CI]", "seeds later/earlier/tied", "sign-test p", `Δ coefSignal at 100 (${[...methods].join(" or ") || "—"})`],
    rows,
    { keyColumns: 1 },
  );
  return [perCondition, "", "Each λ against the next (paired: the same seed in both):", "", comparisons, ""];
}

export function claimTwo(input: PaperPageInput, out: string[]): void {
  out.push("## 2. A stronger spurious correlation suppresses learning of the XOR signal", "");
  const main = input.studies.get("suppression");
  const weak = input.studies.get("suppression-weak");
  if (main === undefined && weak === undefined) return void out.push("_No results yet._", "");
  out.push(...figure(input, 2));
  for (const study of [main, weak]) {
    if (study === undefined) continue;
    out.push(`### ${study.name}`, "", `${setting(study.config)} Signal step = first step with wga ≥ 0.9 (Kaplan–Meier medians). Report: ${link(study.name)}.`, "");
    out.push(...suppressionTables(study), "Checks:", "", checkBlock(study), "");
  }
  const fails = [main, weak].flatMap((s) => (s?.checks?.lines ?? []).filter((l) => l.startsWith("FAIL")).map((l) => `${s!.name}: ${l}`));
  if (fails.length > 0) out.push("**Failed checks of claim 2** (the rules encode the claim as stated and are kept):", "", "```text", ...fails, "```", "");
}

export function claimThree(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("maximal-correlation");
  out.push("## 3. With maximal correlation the spurious feature dominates at XOR's own sample complexity", "");
  if (study === undefined) return void out.push("_No results yet._", "");
  const s = study.summary;
  const b = study.config.base as Record<string, number>;
  const ds = (study.config.grid.d ?? []) as number[];
  out.push(setting(study.config) + ` Samples = steps × ${b.batch}. λ = 0 measures the samples at which XOR alone is learned; λ = 1 runs the same horizon.`, "");
  out.push(...figure(input, 3));
  const rows = ds.map((d, i) => {
    const x = find(s, { d, lambda: 0 });
    const y = find(s, { d, lambda: 1 });
    const e = x?.events.signal;
    const prev = i > 0 ? find(s, { d: ds[i - 1], lambda: 0 })?.events.signal.medianStep ?? null : null;
    const samples = (v: number | null | undefined) => (v === null || v === undefined ? "∞" : formatValue(v * b.batch));
    return [
      String(d),
      e === undefined ? "—" : `${formatEventMedian(e)} (${reached(e)})`,
      e === undefined ? "—" : `${samples(e.medianStep)} [${samples(e.medianLo)}, ${samples(e.medianHi)}]`,
      prev === null || e?.medianStep == null ? "—" : `×${formatValue(e.medianStep / prev)}`,
      reached(y?.events.signal),
      formatMeanCI(y?.final.wga),
    ];
  });
  out.push(fittedMarkdownTable(["d", "λ = 0: signal step", "λ = 0: samples", "per doubling of d", "λ = 1: signal reached", `λ = 1: wga at ${b.steps}`], rows, { keyColumns: 1 }), "");
  const fit = input.exponent;
  if (fit !== null) {
    const local = fit.local.map((l) => `${l.from} → ${l.to}: ${formatValue(l.estimate)} [${formatValue(l.lo)}, ${formatValue(l.hi)}]`);
    out.push(
      `Growth with d: the exponent of the signal step in d at λ = 0 is **${formatValue(fit.slope)}** [${formatValue(fit.lo)}, ${formatValue(fit.hi)}] ` +
        `(95% Wald CI of the log(d) coefficient of a Weibull accelerated-failure-time model of the signal step, censored at the horizon: ` +
        `\`${fit.formula}\` on the exported events.csv): the samples XOR needs grow like d^${formatValue(fit.slope)} over d = ${fit.ds[0]} … ${fit.ds[fit.ds.length - 1]} ` +
        "at this width and learning rate." +
        (local.length > 1 ? ` Between neighbouring d (the same model with d as levels; a power law has equal local exponents): ${local.join("; ")}.` : ""),
      "",
    );
  }
  out.push(`Checks (${link(study.name)}):`, "", checkBlock(study), "");
}

export function claimThreeAtScale(input: PaperPageInput, out: string[]): void {
  out.push(...scalingSection(input.scaling.scaled, input.scaling.fixed, figure(input, "claim3-scale")));
  for (const s of [input.scaling.scaled, input.scaling.fixed]) {
    const result = s === undefined ? undefined : input.studies.get(s.name);
    if (result !== undefined && result.checks !== null) out.push(`Checks (${link(result.name)}):`, "", checkBlock(result), "");
  }
}

export function claimFour(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("constant-correlation");
  out.push("## 4. With a constant correlation XOR is learned, but the spurious feature is not forgotten", "");
  if (study === undefined) return void out.push("_No results yet._", "");
  const s = study.summary;
  const steps = (study.config.base as Record<string, number>).steps;
  out.push(setting(study.config), "", ...figure(input, 4));
  out.push(
    fittedMarkdownTable(
      ["λ", "signal step", "reached", "final coefSpurious", "final coefSignal", "final wga", "final marginMajority", "final marginMinority"],
      s.conditions.map((c) => [String(c.condition.lambda), formatEventMedian(c.events.signal), reached(c.events.signal), formatMeanCI(c.final.coefSpurious), formatMeanCI(c.final.coefSignal), formatMeanCI(c.final.wga), formatMeanCI(c.final.marginMajority), formatMeanCI(c.final.marginMinority)]),
      { keyColumns: 1, groups: [2] },
    ),
    "",
  );
  const at = Object.keys(s.conditions[0]?.at ?? {}).map(Number).filter((x) => x > 0).sort((a, b) => a - b);
  out.push(
    "`coefSpurious` over time, mean [95% CI]:",
    "",
    fittedMarkdownTable(["λ", ...at.map((x) => `step ${x}`)], s.conditions.map((c) => [String(c.condition.lambda), ...at.map((x) => formatMeanCI(c.at[x]?.coefSpurious))]), { keyColumns: 1 }),
    "",
  );
  const notes = s.conditions.flatMap((c) => {
    const means = at.map((x) => c.at[x]?.coefSpurious?.mean ?? NaN);
    const peak = Math.max(...means.filter(Number.isFinite));
    const end = c.final.coefSpurious;
    if (!Number.isFinite(peak) || end === undefined || end.mean === null) return [];
    return [`λ = ${c.condition.lambda}: peak ${formatValue(peak)} at step ${at[means.indexOf(peak)]}, ${formatMeanCI(end)} at step ${steps} (${formatValue((100 * end.mean) / peak)}% of the peak)`];
  });
  if (notes.length > 0) out.push(`The shortcut coefficient over the run: ${notes.join("; ")}.`, "");
  out.push(`Checks (${link(study.name)}):`, "", checkBlock(study), "");
}

export function variants(input: PaperPageInput, out: string[]): void {
  const study = input.studies.get("variants");
  out.push("## Variants: how the picture changes", "");
  if (study === undefined) return void out.push("_No results yet._", "");
  const s = study.summary;
  out.push(setting(study.config) + " Paired Δ: each variant's signal step against the baseline's, same seed (∞ − ∞ counts as 0).", "");
  const rows = s.conditions.map((c) => {
    const variant = c.condition.variant as Record<string, unknown> | undefined;
    const isBase = variant === undefined || Object.keys(variant).length === 0;
    const cmp = isBase ? undefined : s.comparisons.find((x) => x.key === "variant" && x.event === "signal" && canonicalJson(x.to) === canonicalJson(c.condition));
    const p = cmp?.paired;
    return [
      isBase ? "baseline" : conditionLabel({ variant }),
      String(c.condition.lambda),
      `${formatEventMedian(c.events.spurious)} (${reached(c.events.spurious)})`,
      `${formatEventMedian(c.events.signal)} (${reached(c.events.signal)})`,
      p === undefined ? "—" : formatPairedDiff(p),
      formatMeanCI(c.final.wga),
      formatMeanCI(c.final.coefSpurious),
      formatMeanCI(c.final.coefSignal),
    ];
  });
  out.push(fittedMarkdownTable(["variant", "λ", "spurious step", "signal step", "paired Δ signal", "final wga", "final coefSpurious", "final coefSignal"], rows, { keyColumns: 2 }), "");
  out.push(`Details, charts and every comparison: ${link(study.name)}.`, "");
}

