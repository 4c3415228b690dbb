// reports/paper/README.md: one page with each claim of the paper, its studies' numbers with 95%
// CIs, the check verdicts, the figures and links (issue 9 item 6). Every number is computed here from
// the summaries, the run records and the check results; none is written into the prose.
import type { StudySummary } from "../analysis/summary.js";
import type { ResolvedStudyConfig } from "../study/resolvedConfig.js";
import type { SampleExponent } from "../paper/exponent.js";
import { formatSeconds } from "./format.js";
import { fittedMarkdownTable } from "./table.js";
import { link, verdict } from "./paperParts.js";
import { claimFour, claimOne, claimThree, claimThreeAtScale, claimTwo, variants } from "./paperClaims.js";
import { companionSections } from "./companionPage.js";
import type { ScalingStudy } from "./paperScaling.js";

export interface PaperCheck {
  lines: string[];
  tally: string;
  pass: boolean;
}

export interface PaperStudyResult {
  name: string;
  config: ResolvedStudyConfig;
  summary: StudySummary;
  checks: PaperCheck | null;
  /** Wall time of the study as last computed; null when unknown. */
  wallSeconds: number | null;
}

export interface PaperPageInput {
  /** The studies that have results, by name. */
  studies: ReadonlyMap<string, PaperStudyResult>;
  meta: { date: string; gitCommit: string | null; machine: string; engine: string; invocation: string | null };
  /** Figures beside the page: claim (or a companion study's name) → path and caption. */
  figures: ReadonlyMap<number | string, { path: string; title: string }>;
  /** Samples to learn XOR vs d (claim 3), fitted from the runs; null without them. */
  exponent: SampleExponent | null;
  /** Claim 3 at scale (paper/exponent.ts): the studies with scaled and with fixed hyperparameters, where they have results. */
  scaling: { scaled?: ScalingStudy; fixed?: ScalingStudy };
}

/** The paper page, from the studies' results. */
export function renderPaperPage(input: PaperPageInput, studies: readonly { name: string; claim: number | null; title: string; decides: boolean }[]): string {
  const out: string[] = [
    "# The paper's claims, reproduced",
    "",
    "LaBonte & Muthukumar, *SGD Provably Prioritizes a Shortcut Spurious Feature in the XOR Model* (arXiv 2606.30444), " +
      "claims four things about online SGD on a two-layer ReLU network learning XOR with a spurious coordinate (SPEC §1). " +
      "Each claim is a study in [`configs/paper/`](../../configs/paper/) whose `checks` encode it; this page is written by " +
      "`npm run paper` (`shortcut-bench paper`) from the studies' results and checks. Intervals are 95%: Kaplan–Meier medians with " +
      "Brookmeyer–Crowley CIs for event steps, Student t for means, Wilson for fractions; differences of means are a paired t over " +
      "the seeds when both conditions ran the same seeds (Welch–Satterthwaite otherwise): a seed-*paired* comparison uses that a " +
      "seed shares its initialisation, training stream and test set across conditions. " +
      "Two companion results the project also comes from — feature learning with label noise (`seeds/002`) and max margin " +
      "with simplicity bias (`seeds/004`) — follow the four claims, on the same engine and statistics.",
    "",
  ];
  const totalSeconds = [...input.studies.values()].reduce((sum, s) => sum + (s.wallSeconds ?? 0), 0);
  const totalRuns = [...input.studies.values()].reduce((sum, s) => sum + s.config.seeds.length * s.summary.conditions.length, 0);
  out.push(
    fittedMarkdownTable(
      ["", "value"],
      [
        ["date", input.meta.date],
        ["git commit", input.meta.gitCommit ?? "unknown"],
        ["machine", input.meta.machine],
        ["engine", input.meta.engine],
        ["studies", `${input.studies.size} with results, ${totalRuns} runs, ${formatSeconds(totalSeconds)} of study wall time as last computed`],
        ...(input.meta.invocation === null ? [] : [["last `npm run paper`", input.meta.invocation]]),
      ],
      { align: ["left", "left"] },
    ),
    "",
    "## Verdicts",
    "",
    fittedMarkdownTable(
      ["claim", "study", "checks", "wall time"],
      studies.map((st) => {
        const r = input.studies.get(st.name);
        return [st.claim === null ? st.title : `${st.claim}. ${st.title}`, link(st.name), st.decides ? verdict(r) : "—", r?.wallSeconds == null ? "—" : formatSeconds(r.wallSeconds)];
      }),
      { align: ["left", "left", "left", "right"] },
    ),
    "",
  );
  claimOne(input, out);
  claimTwo(input, out);
  claimThree(input, out);
  claimThreeAtScale(input, out);
  claimFour(input, out);
  variants(input, out);
  companionSections(input, out);
  out.push(
    "## Files",
    "",
    "Each `reports/paper/<study>/` holds `report.md` (tables, figures, charts, comparisons, censoring), its `figures/` and " +
      "`config.resolved.json` (committed). Its `runs.jsonl` and `summary.json` are not committed (`reports/paper/.gitignore`): " +
      "`npm run paper` recomputes them bit for bit (the engine is deterministic) and resumes where it stopped; " +
      "`npx shortcut-bench check reports/paper/<study>` re-checks a study. `timing.json` keeps each study's wall time as last computed.",
  );
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}
