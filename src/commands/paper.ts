// `shortcut-bench paper`: reproduces the paper's claims (configs/paper/) and writes
// reports/paper/README.md with its figures (see src/paper/runPaper.ts).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Argv } from "yargs";
import { runPaper } from "../paper/runPaper.js";
import { parseEngineFlags } from "./engineOptions.js";
import { EXIT_OK } from "./exitCodes.js";

/** ./configs/paper when there is one, else the configs shipped with the package. */
function paperConfigs(): string {
  return existsSync("configs/paper") ? "configs/paper" : fileURLToPath(new URL("../../configs/paper", import.meta.url));
}

export function paperCommandBuilder(yargs: Argv) {
  return yargs
    .option("out", { type: "string", default: "reports/paper", describe: "folder of the studies and the page" })
    .option("fresh", { type: "boolean", default: false, describe: "discard earlier results and compute every run" })
    .option("only", { type: "string", describe: "run only these studies (comma-separated; 'companions' or 'shortcut' name a group); the page uses every study with results" })
    .option("page-only", { type: "boolean", default: false, describe: "write the page from the results there are, running nothing" })
    .option("threads", { type: "string", defaultDescription: "all cores", describe: "worker threads" })
    .option("quiet", { type: "boolean", default: false, describe: "no progress on stderr" });
}

export async function paperCommand(argv: Record<string, unknown>): Promise<number> {
  const { threads } = parseEngineFlags(argv as { threads?: string });
  const only = argv.only === undefined ? undefined : String(argv.only).split(",").filter((s) => s !== "");
  const quiet = Boolean(argv.quiet);
  await runPaper({
    configs: paperConfigs(),
    out: argv.out as string,
    threads,
    fresh: Boolean(argv.fresh),
    only,
    pageOnly: Boolean(argv["page-only"]),
    progress: !quiet,
    log: quiet ? () => {} : undefined,
  });
  return EXIT_OK;
}
