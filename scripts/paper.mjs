#!/usr/bin/env node
// `npm run paper`: reproduces the claims of LaBonte & Muthukumar ("SGD Provably Prioritizes a Shortcut
// Spurious Feature in the XOR Model") as studies. Runs every config of configs/paper/ with the CLI
// (`study`, resuming what is already done, then `check`), and writes reports/paper/<study>/ (report.md
// and config.resolved.json, committed; runs.jsonl and summary.json, large and recomputable, are not:
// see reports/paper/.gitignore) and reports/paper/README.md: one page with each claim's numbers,
// 95% CIs, check verdicts and links.
//
//   node scripts/paper.mjs [--fresh] [--only NAME[,NAME…]] [--readme-only] [--threads N]
//
// --fresh discards earlier results; --readme-only rewrites README.md from the results there are.
// Needs dist/ (npm run build). Exit 0 when every study ran, whatever the check verdicts (they are
// findings, written to README.md); 1 when a study or a check could not run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
const { loadStudyConfig, conditionsOf } = await dist("config/studyConfig.js");
const { welchDifference } = await dist("analysis/statistics/index.js");
const { readRunsFile } = await dist("store/runsFile.js");
const { Stream, StreamRandom } = await dist("kernel/prng.js");

/** The studies, in the order of the page. */
const STUDIES = [
  { name: "spurious-first", claim: 1 },
  { name: "suppression", claim: 2 },
  { name: "suppression-weak", claim: 2 },
  { name: "maximal-correlation", claim: 3 },
  { name: "constant-correlation", claim: 4 },
  { name: "variants", claim: null },
];

const OUT = join(root, "reports", "paper");
const BIN = join(root, "bin", "shortcut-bench.js");

// ---------------------------------------------------------------------------------------------
// Arguments

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const fresh = flag("--fresh");
const readmeOnly = flag("--readme-only");
const threads = option("--threads");
const only = option("--only")?.split(",");
for (const name of only ?? []) {
  if (!STUDIES.some((s) => s.name === name)) {
    process.stderr.write(`paper: unknown study '${name}'; studies: ${STUDIES.map((s) => s.name).join(", ")}\n`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------
// Running

const timingFile = join(OUT, "timing.json");
const timing = existsSync(timingFile) ? JSON.parse(readFileSync(timingFile, "utf8")) : {};

function runsDone(dir) {
  const file = join(dir, "runs.jsonl");
  return existsSync(file) ? readRunsFile(file).records.length : 0;
}

function cli(args) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 });
}

mkdirSync(OUT, { recursive: true });
let failed = false;
const started = performance.now();
for (const study of STUDIES) {
  if (readmeOnly || (only !== undefined && !only.includes(study.name))) continue;
  const config = join("configs", "paper", `${study.name}.json5`);
  const dir = join(OUT, study.name);
  const parsed = loadStudyConfig(join(root, config));
  const total = conditionsOf(parsed).length * parsed.seeds.length;
  const before = fresh ? 0 : runsDone(dir);
  process.stderr.write(`paper: ${study.name}: ${total - before} of ${total} runs to do …\n`);
  const t0 = performance.now();
  const args = ["study", config, "--out", join("reports", "paper", study.name), "--quiet"];
  if (fresh) args.push("--fresh");
  if (threads !== undefined) args.push("--threads", threads);
  const r = cli(args);
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    process.stderr.write(`paper: ${study.name}: study exited ${r.status}\n${r.stderr}`);
    failed = true;
    continue;
  }
  // Keep the time of the run that computed the results; a study found complete keeps its old entry.
  if (before < total) timing[study.name] = { wallSeconds: seconds, runs: total, computed: total - before, date: new Date().toISOString() };
  process.stderr.write(`paper: ${study.name}: done in ${seconds.toFixed(1)} s\n`);
}

// Checks of every study that has results (and rules).
const checks = {};
for (const study of STUDIES) {
  const dir = join(OUT, study.name);
  if (!existsSync(join(dir, "summary.json"))) continue;
  const resolved = JSON.parse(readFileSync(join(dir, "config.resolved.json"), "utf8"));
  if ((resolved.config.checks ?? []).length === 0) continue;
  const r = cli(["check", join("reports", "paper", study.name)]);
  if (r.status !== 0 && r.status !== 1) {
    process.stderr.write(`paper: ${study.name}: check exited ${r.status}\n${r.stderr}`);
    failed = true;
    continue;
  }
  const lines = r.stdout.trimEnd().split("\n");
  checks[study.name] = { lines: lines.slice(0, -1), tally: lines.at(-1), pass: r.status === 0 };
}

const totalSeconds = (performance.now() - started) / 1000;
if (!readmeOnly) {
  timing.lastInvocation = { wallSeconds: totalSeconds, fresh, only: only ?? null, date: new Date().toISOString(), threads: threads ?? availableParallelism() };
  writeFileSync(timingFile, JSON.stringify(timing, null, 1) + "\n");
}

// ---------------------------------------------------------------------------------------------
// Reading results

const summaries = {};
const configs = {};
const records = {};
for (const study of STUDIES) {
  const dir = join(OUT, study.name);
  if (!existsSync(join(dir, "summary.json"))) continue;
  summaries[study.name] = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  configs[study.name] = JSON.parse(readFileSync(join(dir, "config.resolved.json"), "utf8")).config;
  if (existsSync(join(dir, "runs.jsonl"))) records[study.name] = readRunsFile(join(dir, "runs.jsonl")).records;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** 3 significant digits, "—" for none, ∞ for a null that stands for +∞. */
function num(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  if (x === 0) return "0";
  const m = Math.abs(x);
  if (m >= 1000) return String(Math.round(x));
  if (m < 0.001) return x.toExponential(2).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(3)));
}
const step = (x, n = 1) => (x === null ? (n > 0 ? "∞" : "—") : Number.isInteger(x) ? String(x) : x.toFixed(1));
/** "120 [110, 130]" for an event median; null fields are ∞ when the event has runs. */
const median = (e) => (e === undefined ? "—" : `${step(e.medianStep, e.n)} [${step(e.medianLo, e.n)}, ${step(e.medianHi, e.n)}]`);
const meanCI = (v) => (v === undefined || v === null || v.mean === null ? "—" : `${num(v.mean)} [${num(v.lo)}, ${num(v.hi)}]`);
const pValue = (p) => (p === null || p === undefined ? "—" : p < 0.001 ? "<0.001" : num(p));
/** A comparison field that is null because infinite: its sign from `infinite`. */
const inf = (x, signs, field) => (x !== null ? x : signs?.[field] !== undefined ? signs[field] * Infinity : null);
const diffCI = (c) => (c === undefined ? "—" : `${num(inf(c.diff, c.infinite, "diff"))} [${num(inf(c.lo, c.infinite, "lo"))}, ${num(inf(c.hi, c.infinite, "hi"))}]`);
const label = (condition) =>
  Object.entries(condition)
    .flatMap(([k, v]) => (k === "variant" ? Object.entries(v).map(([vk, vv]) => `${vk}=${vv}`) : [`${k}=${v}`]))
    .join(", ") || "(base)";

function table(header, rows) {
  const widths = header.map((h, c) => Math.max(3, [...h].length, ...rows.map((r) => [...String(r[c])].length)));
  const line = (cells) => `| ${cells.map((cell, c) => String(cell).padEnd(widths[c])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => ":" + "-".repeat(w + 1)).join("|")}|`, ...rows.map(line)].join("\n");
}

const find = (name, condition) => summaries[name]?.conditions.find((c) => Object.entries(condition).every(([k, v]) => JSON.stringify(c.condition[k]) === JSON.stringify(v)));
const comparison = (name, key, fromValue, event, extra = {}) =>
  summaries[name]?.comparisons.find((c) => c.key === key && c.event === event && JSON.stringify(c.from[key]) === JSON.stringify(fromValue) && Object.entries(extra).every(([k, v]) => JSON.stringify(c.from[k]) === JSON.stringify(v)));
const link = (name) => `[${name}/report.md](${name}/report.md)`;
const checkBlock = (name) => {
  const c = checks[name];
  if (c === undefined) return "_(no checks run)_";
  return ["```text", ...c.lines, c.tally, "```"].join("\n");
};
const verdict = (name) => {
  const c = checks[name];
  if (c === undefined) return "not run";
  return c.pass ? `**PASS** (${c.tally})` : `**FAIL** (${c.tally})`;
};
const failedLines = (name) => (checks[name]?.lines ?? []).filter((l) => l.startsWith("FAIL"));

/** Percentile bootstrap (2000 resamples) of a statistic of several groups, each resampled apart. */
function bootstrapGroups(groups, statistic, seed) {
  const rng = new StreamRandom(seed, Stream.bootstrap);
  const estimates = [];
  for (let r = 0; r < 2000; r++) {
    estimates.push(statistic(groups.map((g) => g.map(() => g[rng.int(g.length)]))));
  }
  estimates.sort((a, b) => a - b);
  const q = (p) => {
    const h = (estimates.length - 1) * p;
    const lo = Math.floor(h);
    return estimates[lo] + (h - lo) * (estimates[Math.ceil(h)] - estimates[lo]);
  };
  return { lo: q(0.025), hi: q(0.975) };
}
function medianOf(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) / 2;
  return s[Math.floor(h)] + (h - Math.floor(h)) * (s[Math.ceil(h)] - s[Math.floor(h)]);
}
/** Least-squares slope of y on x. */
function slope(xs, ys) {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

// ---------------------------------------------------------------------------------------------
// The page

const out = [];
const p = (...lines) => out.push(...lines, "");

function gitCommit() {
  const r = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "unknown";
}
const engine = (() => {
  const r = Object.values(records)[0]?.[0]?.engine;
  return r === undefined ? "unknown" : `kernel ${r.kernel}, ${r.shards} shard(s) per run, ${r.threads} threads, shortcut-bench ${r.version}`;
})();
const studyTimes = STUDIES.filter((s) => timing[s.name] !== undefined);
const studySeconds = studyTimes.reduce((sum, s) => sum + timing[s.name].wallSeconds, 0);
const totalRuns = studyTimes.reduce((sum, s) => sum + timing[s.name].runs, 0);
const minutes = (s) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

p(
  "# The paper's claims, reproduced",
  "",
  "LaBonte & Muthukumar, *SGD Provably Prioritizes a Shortcut Spurious Feature in the XOR Model* (arXiv 2606.30444), " +
    "claims four things about online SGD on a two-layer ReLU network learning XOR with a spurious coordinate (SPEC §1). " +
    "Each claim is a study in [`configs/paper/`](../../configs/paper/) whose `checks` encode it; this page is written by " +
    "`npm run paper` (`node scripts/paper.mjs`) from the studies' `summary.json` and `check` output. All intervals are 95%: " +
    "bootstrap percentile CIs (2000 resamples) for medians and means, Wilson for fractions, Welch for differences of means; " +
    "a seed-*paired* comparison uses the fact that a seed shares its initialisation, training stream and test set across conditions.",
);
p(
  table(
    ["", "value"],
    [
      ["date", new Date().toISOString().slice(0, 10)],
      ["git commit", gitCommit()],
      ["machine", `${cpus()[0]?.model ?? "unknown"}, ${availableParallelism()} cores, Node ${process.version}`],
      ["engine", engine],
      [
        "`npm run paper`",
        timing.lastInvocation === undefined
          ? "unknown"
          : `${minutes(timing.lastInvocation.wallSeconds)} for its last invocation (${timing.lastInvocation.fresh ? "--fresh: every run computed" : "resuming what was done"}` +
            `, ${timing.lastInvocation.threads} threads, ${timing.lastInvocation.date.slice(0, 16).replace("T", " ")} UTC): the studies and their checks`,
      ],
      [
        "wall time",
        studyTimes.length === 0
          ? "unknown"
          : `${minutes(studySeconds)} for all ${totalRuns} runs of the ${studyTimes.length} studies (their \`study\` commands, as last computed; per study below)`,
      ],
    ],
  ),
);

const claimRows = [
  ["1. Spurious first, exponentially fast", "spurious-first"],
  ["2. A stronger correlation suppresses the signal", "suppression"],
  ["2. … at weak correlation, 200 seeds", "suppression-weak"],
  ["3. Maximal correlation dominates at XOR's sample complexity", "maximal-correlation"],
  ["4. Constant correlation: XOR learned, shortcut kept", "constant-correlation"],
];
p(
  "## Verdicts",
  "",
  table(
    ["claim", "study", "checks", "wall time"],
    claimRows.map(([claim, name]) => [claim, link(name), verdict(name), timing[name] ? `${timing[name].wallSeconds.toFixed(0)} s` : "—"]).concat([
      ["Variants (no pass/fail)", link("variants"), "—", timing.variants ? `${timing.variants.wallSeconds.toFixed(0)} s` : "—"],
    ]),
  ),
);

// Claim 1 ---------------------------------------------------------------------------------------
{
  const name = "spurious-first";
  const s = summaries[name];
  p("## 1. SGD learns the spurious feature first, and exponentially fast", "");
  if (s === undefined) p("_No results yet._");
  else {
    const cfg = configs[name];
    p(
      `λ ∈ {${cfg.grid.lambda.join(", ")}}, ${cfg.seeds.length} seeds, d = ${cfg.base.d}, width ${cfg.base.width}, batch ${cfg.base.batch}, ` +
        `lr ${cfg.base.lr}, ${cfg.base.steps} steps, evaluated every ${cfg.base.evalEvery}. Events: \`spurious\` = first step with ` +
        "spuriousGap ≥ 0.5, `signal` = first step with wga ≥ 0.9. Rates: least-squares slope of ln mass per step over phase 1 (step 0 → spurious event).",
    );
    p(
      table(
        ["λ", "spurious step", "signal step", "spurious before signal (of runs with both)", "signal without spurious event", "spuriousRate", "signalRate", "rateGap (paired)"],
        s.conditions.map((c) => {
          const o = c.order.spurious.signal;
          return [
            c.condition.lambda,
            `${median(c.events.spurious)} (${c.events.spurious.reached}/${c.events.spurious.n})`,
            `${median(c.events.signal)} (${c.events.signal.reached}/${c.events.signal.n})`,
            o.both === 0 ? `— (no run reached both)` : `${o.before}/${o.both} = ${num(o.fraction)} [${num(o.lo)}, ${num(o.hi)}]`,
            `${o.onlySecond}`,
            meanCI(c.rates.spuriousRate),
            meanCI(c.rates.signalRate),
            meanCI(c.rates.rateGap),
          ];
        }),
      ),
    );
    const steps = Object.keys(s.conditions[0].at).map(Number).filter((x) => x <= 200);
    p(
      "Phase 1 mechanism — `signAlign`, the fraction of neurons whose spurious weight has the sign of their output weight, mean [95% CI] over seeds:",
      "",
      table(["λ", ...steps.map((x) => `step ${x}`)], s.conditions.map((c) => [c.condition.lambda, ...steps.map((x) => meanCI(c.at[x]?.signAlign))])),
    );
    p(
      "For comparison, SPEC §2's independent PyTorch run at λ = 1: ln massSpurious climbs ≈ 0.13/step over the first 16 steps, ln massSignal ≈ 0.03, signAlign 0.54 → 0.92.",
    );
    p(`Checks (${link(name)}):`, "", checkBlock(name));
  }
}

// Claim 2 ---------------------------------------------------------------------------------------
function suppressionTables(name) {
  const s = summaries[name];
  const cfg = configs[name];
  const lambdas = cfg.grid.lambda;
  const perCondition = table(
    ["λ", "signal step", "reached", "coefSignal at step 100", "wga at step 100", "coefSpurious at step 100"],
    s.conditions.map((c) => [
      c.condition.lambda,
      median(c.events.signal),
      `${c.events.signal.reached}/${c.events.signal.n}`,
      meanCI(c.at["100"]?.coefSignal),
      meanCI(c.at["100"]?.wga),
      meanCI(c.at["100"]?.coefSpurious),
    ]),
  );
  const rows = [];
  for (let i = 0; i + 1 < lambdas.length; i++) {
    const cmp = comparison(name, "lambda", lambdas[i], "signal");
    const a = find(name, { lambda: lambdas[i] });
    const b = find(name, { lambda: lambdas[i + 1] });
    const w = a && b ? welchDifference(a.at["100"].coefSignal, b.at["100"].coefSignal) : null;
    const pr = cmp?.paired;
    rows.push([
      `${lambdas[i]} → ${lambdas[i + 1]}`,
      diffCI(cmp),
      pr ? diffCI(pr) : "—",
      pr ? `${pr.later}/${pr.earlier}/${pr.tied}` : "—",
      pValue(pr?.pValue),
      w ? `${num(w.diff)} [${num(w.lo)}, ${num(w.hi)}]` : "—",
    ]);
  }
  const comparisons = table(
    ["λ from → to", "Δ median signal step (unpaired)", "paired Δ (median over seeds)", "seeds later/earlier/tied", "sign-test p", "Δ coefSignal at step 100 (Welch)"],
    rows,
  );
  return { perCondition, comparisons, cfg };
}
{
  p("## 2. A stronger spurious correlation suppresses learning of the XOR signal", "");
  const name = "suppression";
  if (summaries[name] === undefined) p("_No results yet._");
  else {
    const { perCondition, comparisons, cfg } = suppressionTables(name);
    p(
      `λ ∈ {${cfg.grid.lambda.join(", ")}}, ${cfg.seeds.length} seeds, ${cfg.base.steps} steps, evaluated every ${cfg.base.evalEvery}; ` +
        "signal step = first step with wga ≥ 0.9 (medians with CIs; never reached counts as ∞).",
    );
    p(perCondition, "", "Each λ against the next:", "", comparisons);
    p(`Checks (${link(name)}):`, "", checkBlock(name));
  }
  const weak = "suppression-weak";
  if (summaries[weak] !== undefined) {
    const { perCondition, comparisons, cfg } = suppressionTables(weak);
    p(
      `### Weak correlation (${link(weak)})`,
      "",
      `λ ∈ {${cfg.grid.lambda.join(", ")}}, ${cfg.seeds.length} seeds, ${cfg.base.steps} steps, every step evaluated:`,
    );
    p(perCondition, "", comparisons);
    p(`Checks:`, "", checkBlock(weak));
  }
  const fails = [...failedLines(name), ...failedLines(weak)];
  const weakPair = (line) => line.includes("{lambda: 0} → {lambda: 0.25}");
  if (fails.some(weakPair)) {
    const w = find(weak, { lambda: 0 });
    const w25 = find(weak, { lambda: 0.25 });
    const cmp = comparison(weak, "lambda", 0, "signal");
    const coef = w && w25 ? welchDifference(w.at["100"].coefSignal, w25.at["100"].coefSignal) : null;
    const coef50 = w && w25 ? welchDifference(w.at["50"].coefSignal, w25.at["50"].coefSignal) : null;
    const main = comparison(name, "lambda", 0, "signal");
    p(
      "**Not reproduced at weak correlation (λ = 0 → 0.25).** " +
        (main ? `In \`${name}\` the median signal step does not move (Δ ${diffCI(main)}, paired ${diffCI(main.paired)}). ` : "") +
        (w && w25 && cmp
          ? `With ${w.runs} seeds per λ and every step evaluated (\`${weak}\`), the median signal step goes from ${step(w.events.signal.medianStep)} to ` +
            `${step(w25.events.signal.medianStep)} (unpaired Δ ${diffCI(cmp)}); seed by seed it comes later in ${cmp.paired.later}, earlier in ` +
            `${cmp.paired.earlier} and at the same step in ${cmp.paired.tied} seeds (sign test p = ${pValue(cmp.paired.pValue)}), but the median ` +
            `per-seed delay is ${diffCI(cmp.paired)} steps: its CI does not clear 0. ` +
            (coef ? `coefSignal at step 100 does not fall, it rises: Δ ${num(coef.diff)} [${num(coef.lo)}, ${num(coef.hi)}] (Welch)` : "") +
            (coef50 ? `, and at step 50 too: Δ ${num(coef50.diff)} [${num(coef50.lo)}, ${num(coef50.hi)}]. ` : ". ") +
            "So a weak correlation delays the worst-group signal event by at most a step or two out of ~100 (the spurious component " +
            "lowers the minority groups' margin), while the network's XOR coefficient grows no slower."
          : "See the FAIL lines above."),
    );
    p(
      `What was tried: \`${name}\` (${configs[name]?.seeds.length} seeds, evaluated every ${configs[name]?.base.evalEvery} steps) cannot resolve ` +
        `λ = 0 → 0.25; \`${weak}\` evaluates every step and pairs ${configs[weak]?.seeds.length} seeds across λ (same initialisation, data ` +
        "stream and test set); an exploratory 100-seed version of it gave the same picture (paired +1.5 [0, 3] steps, sign test p ≈ 0.02, " +
        "coefSignal at step 100 higher at λ = 0.25). The rules encode the claim as stated and are kept; the verdict is FAIL there.",
    );
  }
  const otherFails = fails.filter((line) => !weakPair(line));
  if (otherFails.length > 0) p("**Other failed checks of claim 2:**", "", "```text", ...otherFails, "```");
  const early = ["0", "0.25", "0.5", "0.75"].map((l) => find(name, { lambda: Number(l) })).filter((c) => c !== undefined);
  if (early.length > 1 && early.every((c) => c.at["50"] !== undefined)) {
    const at50 = early.map((c) => `λ = ${c.condition.lambda}: ${meanCI(c.at["50"].coefSignal)}`).join("; ");
    const rise = welchDifference(early[0].at["50"].coefSignal, early[2]?.at["50"].coefSignal ?? early[1].at["50"].coefSignal);
    p(
      rise !== null && rise.lo > 0
        ? "The fixed early step matters: at step 50, before XOR alone is learned, coefSignal is *larger* under a moderate correlation " +
            `(${at50}; λ = 0 → ${early[2]?.condition.lambda ?? early[1].condition.lambda}: Δ ${num(rise.diff)} [${num(rise.lo)}, ${num(rise.hi)}]); ` +
            "at step 100 (about where XOR alone crosses wga ≥ 0.9) the claim's ordering holds from λ = 0.25 on, as in the tables above."
        : `coefSignal at step 50: ${at50}.`,
    );
  }
}

// Claim 3 ---------------------------------------------------------------------------------------
{
  const name = "maximal-correlation";
  p("## 3. With maximal correlation the spurious feature dominates at XOR's own sample complexity", "");
  const s = summaries[name];
  if (s === undefined) p("_No results yet._");
  else {
    const cfg = configs[name];
    const batch = cfg.base.batch;
    const ds = cfg.grid.d;
    p(
      `d ∈ {${ds.join(", ")}}, λ ∈ {0, 1}, ${cfg.seeds.length} seeds, batch ${batch} (samples = steps × ${batch}), ${cfg.base.steps} steps for both λ. ` +
        "λ = 0 measures the number of samples at which XOR alone is learned (the signal event); λ = 1 runs the same horizon.",
    );
    const rows = ds.map((d, i) => {
      const x = find(name, { d, lambda: 0 });
      const y = find(name, { d, lambda: 1 });
      const e = x.events.signal;
      const prev = i > 0 ? find(name, { d: ds[i - 1], lambda: 0 }).events.signal.medianStep : null;
      return [
        d,
        `${median(e)} (${e.reached}/${e.n})`,
        `${num(e.medianStep * batch)} [${num(e.medianLo * batch)}, ${num(e.medianHi * batch)}]`,
        prev === null ? "—" : `×${num(e.medianStep / prev)}`,
        `${y.events.signal.reached}/${y.events.signal.n}`,
        meanCI(y.at["100"]?.wga),
        meanCI(y.at["500"]?.wga),
        meanCI(y.final.wga),
        e.medianHi === null ? "—" : `${num(cfg.base.steps / e.medianHi)}×`,
      ];
    });
    p(
      table(
        ["d", "λ = 0: signal step", "λ = 0: samples", "per doubling of d", "λ = 1: signal reached", "λ = 1: wga at step 100", "λ = 1: wga at 500", `λ = 1: wga at ${cfg.base.steps}`, "horizon ÷ λ = 0 CI upper bound"],
        rows,
      ),
    );
    const runs = records[name];
    if (runs !== undefined) {
      const groups = ds.map((d) => runs.filter((r) => r.condition.d === d && r.condition.lambda === 0).map((r) => r.events.signal ?? Infinity));
      const logD = ds.map(Math.log);
      const fit = (gs) => slope(logD, gs.map((g) => Math.log(medianOf(g))));
      const b = fit(groups);
      const ci = bootstrapGroups(groups, fit, 20260629);
      p(
        `Growth with d: the least-squares slope of ln(median signal step) against ln d is **${num(b)}** [${num(ci.lo)}, ${num(ci.hi)}] ` +
          "(95% bootstrap CI, resampling the seeds of each d): XOR's sample complexity grows like d^" +
          `${num(b)} over d = ${ds[0]} … ${ds.at(-1)} at this width and learning rate — below the linear-in-d (up to logs) rate of Glasgow's analysis, ` +
          "which is an upper bound for a particular (smaller) step size and width schedule.",
      );
    }
    p(`Checks (${link(name)}):`, "", checkBlock(name));
  }
}

// Claim 4 ---------------------------------------------------------------------------------------
{
  const name = "constant-correlation";
  p("## 4. With a constant correlation XOR is learned, but the spurious feature is not forgotten", "");
  const s = summaries[name];
  if (s === undefined) p("_No results yet._");
  else {
    const cfg = configs[name];
    p(`λ ∈ {${cfg.grid.lambda.join(", ")}}, ${cfg.seeds.length} seeds, ${cfg.base.steps} steps, evaluated every ${cfg.base.evalEvery}.`);
    p(
      table(
        ["λ", "signal step", "reached", `final coefSpurious (step ${cfg.base.steps})`, "final coefSignal", "final wga", "final marginMajority", "final marginMinority"],
        s.conditions.map((c) => [
          c.condition.lambda,
          median(c.events.signal),
          `${c.events.signal.reached}/${c.events.signal.n}`,
          meanCI(c.final.coefSpurious),
          meanCI(c.final.coefSignal),
          meanCI(c.final.wga),
          meanCI(c.final.marginMajority),
          meanCI(c.final.marginMinority),
        ]),
      ),
    );
    const steps = Object.keys(s.conditions[0].at).map(Number).filter((x) => x > 0);
    p(
      "`coefSpurious` (the network's coefficient on the spurious coordinate) over time, mean [95% CI]:",
      "",
      table(["λ", ...steps.map((x) => `step ${x}`)], s.conditions.map((c) => [c.condition.lambda, ...steps.map((x) => meanCI(c.at[x]?.coefSpurious))])),
    );
    const mid = steps.filter((x) => x <= cfg.base.steps / 10).at(-1);
    const notes = s.conditions.map((c) => {
      const means = steps.map((x) => c.at[x].coefSpurious.mean);
      const peak = Math.max(...means);
      const at = steps[means.indexOf(peak)];
      const end = c.final.coefSpurious;
      const later = c.at[mid]?.coefSpurious;
      return (
        `λ = ${c.condition.lambda}: peak ${num(peak)} at step ${at}, ${meanCI(later)} at step ${mid}, ${meanCI(end)} at step ${cfg.base.steps} ` +
        `(${num((100 * end.mean) / peak)}% of the peak; ${num((100 * (end.mean - later.mean)) / later.mean)}% over the last ${num(cfg.base.steps - mid)} steps)`
      );
    });
    p(
      "The shortcut coefficient peaks while XOR is being learned, falls to about half as XOR takes over, and then stays far from 0 — still " +
        "drifting down, but slowly (logistic-loss margins grow only logarithmically in time): " +
        notes.join("; ") +
        ". " +
        (s.conditions.every((c) => c.final.marginMajority.lo > c.final.marginMinority.hi)
          ? "Every group ends at full accuracy, but the majority margin stays larger than the minority margin (CIs apart). "
          : "") +
        "Within this horizon the shortcut is not forgotten; whether it would vanish over exponentially many steps is beyond what a finite run can show.",
    );
    p(`Checks (${link(name)}):`, "", checkBlock(name));
  }
}

// Variants ----------------------------------------------------------------------------------------
{
  const name = "variants";
  p("## Variants: how the picture changes", "");
  const s = summaries[name];
  if (s === undefined) p("_No results yet._");
  else {
    const cfg = configs[name];
    p(
      `Each variant against the baseline (first rows), λ ∈ {${cfg.grid.lambda.join(", ")}}, ${cfg.seeds.length} seeds, ${cfg.base.steps} steps, ` +
        `evaluated every ${cfg.base.evalEvery}. The finite training set is trained by full-batch GD (trainSize = batch = 2048, the setting of ` +
        "seeds/002 and seeds/004); label noise flips training labels only. Paired Δ: the signal step against the baseline's, same seed (the " +
        "finite-sample and label-noise variants draw different data, so their pairing is weaker); ∞ − ∞ counts as 0, so at λ = 1, " +
        "where no run reaches the signal event, the paired Δ is 0.",
    );
    const variants = cfg.grid.variant;
    const rows = [];
    for (const variant of variants) {
      for (const lambda of cfg.grid.lambda) {
        const c = find(name, { lambda, variant });
        if (c === undefined) continue;
        const cmp = JSON.stringify(variant) === "{}" ? undefined : s.comparisons.find((x) => x.key === "variant" && x.event === "signal" && JSON.stringify(x.to.variant) === JSON.stringify(variant) && x.from.lambda === lambda);
        rows.push([
          label({ variant }) === "(base)" ? "baseline" : label({ variant }),
          lambda,
          `${median(c.events.spurious)} (${c.events.spurious.reached}/${c.events.spurious.n})`,
          `${median(c.events.signal)} (${c.events.signal.reached}/${c.events.signal.n})`,
          cmp ? diffCI(cmp.paired) : "—",
          meanCI(c.rates.spuriousRate),
          meanCI(c.final.wga),
          meanCI(c.final.coefSpurious),
          meanCI(c.final.coefSignal),
        ]);
      }
    }
    p(
      table(
        ["variant", "λ", "spurious step", "signal step", "paired Δ signal vs baseline", "spuriousRate", "final wga", "final coefSpurious", "final coefSignal"],
        rows,
      ),
    );
    const cell = (variant, lambda) => find(name, { lambda, variant });
    const sig = (c) => (c === undefined ? "—" : `${median(c.events.signal)} (${c.events.signal.reached}/${c.events.signal.n} reached)`);
    const base = {};
    const byKey = (key) => variants.find((v) => Object.hasOwn(v, key));
    const notes = [];
    const lam = cfg.grid.lambda;
    const hi = lam.filter((l) => l < 1).at(-1);
    const mid = lam.find((l) => l > 0 && l < 1);
    for (const [key, what] of [
      ["labelNoise", "label noise"],
      ["trainSize", "full-batch GD on a finite training set"],
      ["spuriousScale", "a larger spurious coordinate"],
      ["activation", "leaky ReLU"],
      ["symmetricInit", "symmetric initialisation"],
    ]) {
      const v = byKey(key);
      if (v === undefined) continue;
      notes.push(
        `- ${what} (${label({ variant: v })}): signal step at λ = 0 ${sig(cell(v, 0))} vs ${sig(cell(base, 0))}; at λ = ${mid} ${sig(cell(v, mid))} vs ` +
          `${sig(cell(base, mid))}; at λ = ${hi} ${sig(cell(v, hi))} vs ${sig(cell(base, hi))}; final coefSpurious at λ = ${mid} ` +
          `${meanCI(cell(v, mid)?.final.coefSpurious)} vs ${meanCI(cell(base, mid)?.final.coefSpurious)}; final wga at λ = 1 ${meanCI(cell(v, 1)?.final.wga)}.`,
      );
    }
    p("Each variant against the baseline (variant vs baseline):", "", ...notes);
    p(`Details, charts and every comparison: ${link(name)}.`);
  }
}

p(
  "## Files",
  "",
  "Each `reports/paper/<study>/` holds `report.md` (tables, charts, comparisons, censoring) and `config.resolved.json` (committed). " +
    "Its `runs.jsonl` (one line per run with the whole trajectory: tens of megabytes) and `summary.json` (every statistic, with a trajectory " +
    "band per metric and evaluated step: about 9 MB for the six studies) are not committed (`reports/paper/.gitignore`): `npm run paper` " +
    "recomputes them bit for bit (the engine is deterministic) and resumes where it stopped; then `npx shortcut-bench check reports/paper/<study>` " +
    "re-checks a study. `timing.json` keeps each study's wall time as last computed.",
);

writeFileSync(join(OUT, "README.md"), out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n");
writeFileSync(
  join(OUT, ".gitignore"),
  "# Large, and recomputed bit for bit by `npm run paper`: the runs (whole trajectories) and the summaries (a band per metric and step).\n" +
    "*/runs.jsonl\n*/runs.shard-*.jsonl\n*/summary.json\n",
);
process.stderr.write(`paper: wrote ${join("reports", "paper", "README.md")} (${totalSeconds.toFixed(1)} s)\n`);
process.exit(failed ? 1 : 0);
