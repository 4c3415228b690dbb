// `report`: summary.json and report.md regenerated from a results directory's runs.jsonl and
// config.resolved.json alone (SPEC §5), under the directory's lock, through the one runs reader.
import { checkViewOptions, type ViewOptions } from "../config/viewOptions.js";
import { summarizeResults, writeStudyOutputs, type ResultsSummary } from "./outputs.js";
import { checkResultsDir, readResults } from "./readResults.js";
import { takeResultsDir } from "./resultsDir.js";
import { writeResolvedConfig } from "./resolvedConfig.js";

export async function regenerateReport(dir: string, opts: { command: string; views?: ViewOptions }): Promise<{ summary: ResultsSummary; warnings: string[] }> {
  checkResultsDir(dir, { upgrade: true }); // before the lock: a directory that is not one gets no lock file
  const owned = takeResultsDir(dir, null, { fresh: false, flag: "report", command: opts.command });
  try {
    const { hash, config, records, setAside, warnings } = readResults(dir, { upgrade: true });
    writeResolvedConfig(dir, config); // the same config, with its content hash when an older version left it out
    // flags name grid keys of this study: checked before anything is written
    const views = checkViewOptions(opts.views ?? {}, config.grid, (key) => `--${key}`);
    const summary = summarizeResults(records, hash, config, setAside.length);
    // The study's wall time is not in runs.jsonl: the report says it is unknown.
    await writeStudyOutputs(dir, summary, records, config, { command: opts.command, timing: null, views });
    return { summary, warnings };
  } finally {
    owned.close();
  }
}
