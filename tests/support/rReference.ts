// R's survival package as a reference: one Rscript process prints survfit's median and its CI
// (summary(fit)$table, what print.survfit shows) for every Kaplan–Meier case (survfitMedians), or
// runs any R code on CSV data for every case of a test file (rBatch: survreg). Where Rscript or
// survival is absent the batch is null and those tests skip cleanly.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RSCRIPT = process.env.SB_RSCRIPT ?? "Rscript";

/** One case: times and whether each was observed (1) or censored (0). */
export interface SurvfitCase {
  time: readonly number[];
  observed: readonly boolean[];
}

/** survfit's median, 0.95LCL and 0.95UCL; null where R prints NA. */
export interface SurvfitMedian {
  median: number | null;
  lo: number | null;
  hi: number | null;
}

// Each input line is "name<TAB>times<TAB>statuses" (comma-separated); each output line the name and
// the three numbers to 17 significant digits. Exit 3 (no survival) tells "skip" apart from a failure.
const SCRIPT = `
if (!requireNamespace("survival", quietly = TRUE)) quit(status = 3)
suppressPackageStartupMessages(library(survival))
for (line in readLines(file("stdin"))) {
  parts <- strsplit(line, "\\t")[[1]]
  time <- as.numeric(strsplit(parts[2], ",")[[1]])
  status <- as.numeric(strsplit(parts[3], ",")[[1]])
  table <- summary(survfit(Surv(time, status) ~ 1, conf.type = "log"))$table
  values <- table[c("median", "0.95LCL", "0.95UCL")]
  cat(parts[1], sprintf("%.17g", values), sep = "\\t")
  cat("\\n")
}
`;

/** Runs every case in one Rscript process (conf.type "log", survfit's default); null when Rscript or survival is missing. */
export function survfitMedians(cases: Record<string, SurvfitCase>): Record<string, SurvfitMedian> | null {
  const input = Object.entries(cases)
    .map(([name, c]) => `${name}\t${c.time.join(",")}\t${c.observed.map((o) => (o ? 1 : 0)).join(",")}`)
    .join("\n");
  const result = spawnSync(RSCRIPT, ["--vanilla", "-e", SCRIPT], { input: `${input}\n`, encoding: "utf8" });
  if (result.error !== undefined || result.status === 3) return null;
  if (result.status !== 0) throw new Error(`Rscript failed: ${result.stderr}`);
  const number = (x: string) => (x === "NA" ? null : Number(x));
  return Object.fromEntries(
    result.stdout.trim().split("\n").map((line) => {
      const [name, median, lo, hi] = line.split("\t");
      return [name, { median: number(median), lo: number(lo), hi: number(hi) }];
    }),
  );
}

export interface RCase {
  /** The CSV text R reads into `data` (read.csv). */
  csv: string;
  /** R code that reads `data` and calls `put(name, values)` for each named vector of numbers it reports. */
  code: string;
}

/** Whether Rscript with the survival package can run here. */
function hasRSurvival(): boolean {
  const result = spawnSync(RSCRIPT, ["--vanilla", "-e", "quit(status = if (requireNamespace('survival', quietly = TRUE)) 0 else 3)"], { encoding: "utf8" });
  return result.error === undefined && result.status === 0;
}

/** Runs every case in one Rscript process: case → name → numbers; null when R or survival is missing. */
export function rBatch(cases: Record<string, RCase>): Record<string, Record<string, number[]>> | null {
  if (!hasRSurvival()) return null;
  const dir = mkdtempSync(join(tmpdir(), "sb-r-"));
  try {
    const names = Object.keys(cases);
    const blocks = names.map((name, i) => {
      const file = join(dir, `case${i}.csv`);
      writeFileSync(file, cases[name].csv);
      return `local({\n  data <- read.csv(${JSON.stringify(file)})\n${cases[name].code}\n})`;
    });
    // put(key, values): one line "case<TAB>key<TAB>value…" with every digit of each value
    const put = 'put <- function(key, values) cat(paste(c(CASE, key, sprintf("%.17g", as.numeric(values))), collapse = "\\t"), "\\n", sep = "")';
    const script = [
      "suppressPackageStartupMessages(library(survival))",
      ...blocks.map((block, i) => `CASE <- ${JSON.stringify(names[i])}\n${put}\n${block}`),
    ].join("\n");
    writeFileSync(join(dir, "reference.R"), script);
    const result = spawnSync(RSCRIPT, ["--vanilla", join(dir, "reference.R")], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`Rscript failed: ${result.stderr}`);
    const out: Record<string, Record<string, number[]>> = {};
    for (const line of result.stdout.split("\n")) {
      if (line.trim() === "") continue;
      const [name, key, ...values] = line.split("\t");
      (out[name] ??= {})[key] = values.map(Number);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
