// `shortcut-bench paper` (`npm run paper`): runs every study of configs/paper/ through the one study
// orchestration (resuming what is done), checks each against its own rules, and writes
// reports/paper/<study>/ and reports/paper/README.md with its figures (issue 9 item 6).
import { existsSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { checkTally, runThresholdChecks } from "../analysis/check.js";
import { InputError } from "../config/inputError.js";
import { loadStudyConfig, type StudyConfig } from "../config/studyConfig.js";
import { validateCheckRules } from "../config/checkRules.js";
import { writeFileAtomic } from "../store/resultsDir.js";
import type { RunRecord } from "../store/runRecord.js";
import { gitCommit, summarizeResults } from "../study/outputs.js";
import { readResults } from "../study/readResults.js";
import { runStudy } from "../study/runStudy.js";
import { takeResultsDir } from "../study/resultsDir.js";
import { PAPER_GITIGNORE, PAPER_PAGE, readPaperTiming, takePaperFolder, TIMING_FILE, type PaperTiming } from "./paperFolder.js";
import { FIGURES_DIR, writeFigures } from "../render/figures/figureFiles.js";
import { finalCoefficientsSpec, paperFigures, phaseOneSpec, sampleComplexitySpec, sampleScalingSpec, signalStepSpec, type PaperSummary } from "../render/figures/paperFigures.js";
import { largestD, type ScalingStudy } from "../render/paperScaling.js";
import { renderPaperPage, type PaperCheck, type PaperStudyResult } from "../render/paperPage.js";
import { formatSeconds } from "../render/format.js";
import { analyzeScaling, fitSampleExponent } from "./exponent.js";
import { PAPER_STUDIES, studiesNamed } from "./studies.js";
import { companionFigureSpecs } from "./companionFigures.js";

export interface PaperOptions {
  /** Folder holding the paper configs (configs/paper). */
  configs: string;
  /** Output folder (reports/paper). */
  out: string;
  threads: number;
  fresh?: boolean;
  /** Only these studies are run (the page is written from every study that has results). */
  only?: readonly string[];
  /** Write the page from the results there are, running nothing. */
  pageOnly?: boolean;
  /** Changes to a study's config before it runs (the tests' quick subsets). */
  adjust?: (name: string, config: StudyConfig) => void;
  progress?: boolean;
  log?: (line: string) => void;
}

/** What runPaper wrote: the page and the studies it was made from. */
export interface PaperRun {
  page: string;
  studies: ReadonlyMap<string, PaperStudyResult>;
}

const PAPER_COMMAND = "npm run paper";

function checksOf(config: { base: Record<string, unknown> }, summary: PaperStudyResult["summary"], rules: StudyConfig["checks"]): PaperCheck | null {
  if (rules.length === 0) return null;
  const results = runThresholdChecks(summary, rules, (condition) => ({ ...config.base, ...condition }));
  const tally = checkTally(results);
  return { lines: results.map((r) => r.line), tally: tally.line, pass: tally.failed === 0 };
}

/** Runs (or resumes) the studies, then writes the page and its figures, all under the folder's lock. */
export async function runPaper(options: PaperOptions): Promise<PaperRun> {
  const only = options.only === undefined ? undefined : studiesNamed(options.only);
  for (const name of only ?? []) {
    if (!PAPER_STUDIES.some((s) => s.name === name)) throw new InputError(`--only: unknown study '${name}'; studies: ${PAPER_STUDIES.map((s) => s.name).join(", ")}, or the groups shortcut, companions`);
  }
  const folder = takePaperFolder(options.out, PAPER_STUDIES.map((s) => s.name), options.pageOnly ? `${PAPER_COMMAND} --page-only` : PAPER_COMMAND);
  try {
    return await runPaperLocked(options, only);
  } finally {
    folder.close();
  }
}

/** A study's results, read under its directory's lock (a study run elsewhere may be writing it). */
function readStudyLocked(dir: string): ReturnType<typeof readResults> {
  const owned = takeResultsDir(dir, null, { fresh: false, flag: "paper", command: `${PAPER_COMMAND} (reading ${dir})` });
  try {
    return readResults(dir);
  } finally {
    owned.close();
  }
}

async function runPaperLocked(options: PaperOptions, only: string[] | undefined): Promise<PaperRun> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const timingFile = join(options.out, TIMING_FILE);
  const timing: PaperTiming = readPaperTiming(options.out, PAPER_STUDIES.map((s) => s.name));
  const started = performance.now();
  const configs = new Map<string, StudyConfig>();
  for (const study of PAPER_STUDIES) {
    const config = loadStudyConfig(join(options.configs, `${study.name}.json5`));
    if (options.adjust !== undefined) {
      options.adjust(study.name, config);
      // the study's own rules, re-validated against the adjusted grid
      config.checks = validateCheckRules(config.checks, `${study.name} (adjusted): checks`, config.events, config.grid, config.gaps);
    }
    configs.set(study.name, config);
    if (options.pageOnly || (only !== undefined && !only.includes(study.name))) continue;
    const outcome = await runStudy({
      config,
      out: join(options.out, study.name),
      threads: options.threads,
      shards: "auto",
      fresh: options.fresh,
      progress: options.progress ?? false,
      command: `${PAPER_COMMAND} (study ${study.name})`,
      log,
    });
    const computed = outcome.plan.pairs.length - outcome.resumed;
    // Keep the time of the run that computed the results; a study found complete keeps its entry.
    if (computed > 0) timing[study.name] = { wallSeconds: outcome.wallSeconds, runs: outcome.records.length, computed, date: new Date().toISOString() };
    log(`paper: ${study.name}: ${computed} runs computed, ${outcome.resumed} resumed (${formatSeconds(outcome.wallSeconds)})`);
  }

  const results = new Map<string, PaperStudyResult>();
  const records = new Map<string, RunRecord[]>();
  for (const study of PAPER_STUDIES) {
    const dir = join(options.out, study.name);
    if (!existsSync(join(dir, "runs.jsonl"))) continue;
    const read = readStudyLocked(dir);
    const summary = summarizeResults(read.records, read.hash, read.config);
    records.set(study.name, read.records);
    results.set(study.name, { name: study.name, config: read.config, summary, checks: checksOf(read.config, summary, configs.get(study.name)!.checks), wallSeconds: timing[study.name]?.wallSeconds ?? null });
  }

  const paperSummary = (name: string): PaperSummary | null => {
    const r = results.get(name);
    if (r === undefined) return null;
    const base = r.config.base as Record<string, number>;
    return { summary: r.summary, batch: base.batch, steps: base.steps };
  };
  const labelled = (names: string[], withName: boolean) => names.flatMap((name) => {
    const s = paperSummary(name);
    return s === null ? [] : [{ label: withName ? `${name}, ${s.steps} steps` : `${s.steps} steps`, study: s }];
  });
  const maximal = records.get("maximal-correlation");
  const exponent = maximal === undefined ? null : fitSampleExponent(maximal);
  const first = paperSummary("spurious-first");
  const third = paperSummary("maximal-correlation");
  const scaling = (name: string, label: string, rule: string): ScalingStudy | undefined => {
    const runs = records.get(name);
    return runs === undefined ? undefined : { name, label, rule, xor: analyzeScaling(runs, 0), maximal: analyzeScaling(runs, 1) };
  };
  const scaled = scaling("sample-complexity", "batch = d/8", "batch = d/8 at lr 0.5 (lr·d/batch = 4 at every d)");
  const fixed = scaling("sample-complexity-fixed", "batch 64", "lr 0.5 and batch 64 at every d (lr·d/batch = d/128)");
  const figures = await paperFigures([
    { key: 1, title: "Claim 1: ln masses in phase 1 with the fitted rates", spec: first === null ? null : phaseOneSpec(first) },
    { key: 2, title: "Claim 2: signal step against λ with 95% CIs", spec: signalStepSpec(labelled(["suppression", "suppression-weak"], true)) },
    { key: 3, title: "Claim 3: samples to learn XOR against d, log-log, with the fitted exponent", spec: third === null ? null : sampleComplexitySpec(third, exponent) },
    {
      key: "claim3-scale",
      title: `Claim 3 at scale: samples to learn XOR against ${largestD([scaled, fixed].filter((s) => s !== undefined))}, scaled and fixed hyperparameters`,
      spec: sampleScalingSpec([scaled, fixed].flatMap((s) => (s === undefined ? [] : [{ label: s.label, analysis: s.xor }]))),
    },
    { key: 4, title: "Claim 4: final coefSpurious and coefSignal against λ with 95% CIs", spec: finalCoefficientsSpec(labelled(["constant-correlation", "suppression"], false)) },
    ...companionFigureSpecs(results),
  ]);
  writeFigures(options.out, figures);

  const engineOf = [...records.values()][0]?.[0]?.engine;
  const totalSeconds = (performance.now() - started) / 1000;
  const page = renderPaperPage(
    {
      studies: results,
      meta: {
        date: new Date().toISOString().slice(0, 10),
        gitCommit: gitCommit(),
        machine: `${cpus()[0]?.model ?? "unknown"}, ${availableParallelism()} cores, Node ${process.version}`,
        engine: engineOf === undefined ? "unknown" : `kernel ${engineOf.kernel}, ${engineOf.threads} threads, shortcut-bench ${engineOf.version}`,
        invocation: options.pageOnly ? null : `${formatSeconds(totalSeconds)} (${options.fresh ? "--fresh: every run computed" : "resuming what was done"}, ${options.threads} threads)`,
      },
      figures: new Map(figures.map((f) => [f.key, { path: `${FIGURES_DIR}/${f.file}`, title: f.title }])),
      exponent,
      scaling: { scaled, fixed },
    },
    PAPER_STUDIES,
  );
  writeFileAtomic(join(options.out, PAPER_PAGE), page);
  if (!options.pageOnly) writeFileAtomic(timingFile, JSON.stringify(timing, null, 1) + "\n");
  writeFileAtomic(
    join(options.out, PAPER_GITIGNORE),
    "# Large, and recomputed bit for bit by `npm run paper`: the runs (whole trajectories), the summaries (a band per metric and step) and each study's report.html (its report.md with the figures' runtime inlined).\n*/runs.jsonl\n*/runs.shard-*.jsonl\n*/summary.json\n*/event-steps.json\n*/report.html\n",
  );
  log(`paper: wrote ${join(options.out, PAPER_PAGE)} (${formatSeconds(totalSeconds)})`);
  return { page, studies: results };
}
