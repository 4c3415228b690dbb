// `shortcut-bench bench` (SPEC §7): training-step throughput of the engine alone, per model size,
// thread count, shards mode and kernel; optionally against the NumPy peer and a baseline file.
// Flags → runBench (src/bench/) → the bench report (src/render/benchReport.ts, the terminal lines in benchTerminal.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import type { Argv } from "yargs";
import { DEFAULT_KERNEL, KERNELS } from "../kernel/registry.js";
import { machineInfo } from "../bench/machine.js";
import { DEFAULT_SIZES, formatSizes, parseBenchFlags } from "../bench/flags.js";
import { readPlannedBaseline, runBench } from "../bench/runBench.js";
import { benchJson, benchMarkdownReport } from "../render/benchReport.js";
import { benchTextHeader, benchTextRow, benchTextSummary } from "../render/benchTerminal.js";
import { EXIT_FAILED, EXIT_OK } from "./exitCodes.js";

export function benchCommandBuilder(yargs: Argv) {
  const cores = availableParallelism();
  return yargs
    .option("sizes", { type: "string", defaultDescription: formatSizes(DEFAULT_SIZES), describe: 'model sizes "d,width,batch;d,width,batch"' })
    .option("threads", { type: "string", defaultDescription: `1 … ${cores}, this machine's parallelism`, describe: "thread counts to measure, a comma list" })
    .option("shards", { type: "string", default: "auto,fixed", describe: "shards modes to measure: auto (as a study of at least threads runs would use) and/or fixed (threads shards per run: one run at a time)" })
    .option("kernel", { type: "string", default: DEFAULT_KERNEL, describe: `step kernels to measure, a comma list of ${KERNELS.join(", ")}` })
    .option("repeats", { type: "string", defaultDescription: "5", describe: "timed repeats per row, after one discarded warm-up (median, min, max are reported)" })
    .option("seconds", { type: "string", defaultDescription: "0.5", describe: "target seconds of SGD steps in one repeat (trade precision for time)" })
    .option("json", { type: "boolean", default: false, describe: "print one JSON object { machine, rows, peers?, baseline? }" })
    .option("peer", { type: "string", describe: "also run the same step in NumPy and/or PyTorch on the CPU (bench/peer.py; a comma list of numpy, torch; bare --peer: numpy) and print our/peer ratios" })
    .option("baseline", { type: "string", describe: "a previous 'bench --json' output: exit 1 if a row's median steps/s fell by more than --tolerance" })
    .option("tolerance", { type: "string", defaultDescription: "0.25", describe: "allowed fractional drop below the baseline, in [0, 1)" })
    .option("markdown", { type: "string", describe: "also write a Markdown report (machine, command, table, peer ratios, method) to this file" });
}

export async function benchCommand(argv: Record<string, unknown>): Promise<number> {
  const flags = parseBenchFlags(argv);
  const machine = machineInfo();
  const baseline = readPlannedBaseline(flags);

  const out = (text: string) => process.stdout.write(text + "\n");
  if (!flags.json) out(benchTextHeader(machine, flags));
  const { result, comparison } = await runBench(flags, machine, baseline, {
    row: (row, details) => { if (!flags.json) out(benchTextRow(row, details)); },
    warn: (text) => process.stderr.write(`warning: ${text}\n`),
    status: process.stderr.isTTY ? (text) => process.stderr.write(`\r\x1b[K${text}`) : () => {},
  });

  if (flags.json) {
    for (const line of comparison?.lines ?? []) process.stderr.write(line + "\n");
    out(JSON.stringify(benchJson(result, flags, comparison), null, 2));
  } else {
    for (const text of benchTextSummary(result, flags, comparison)) out(text);
  }
  if (flags.markdown !== undefined) {
    mkdirSync(dirname(flags.markdown), { recursive: true });
    writeFileSync(flags.markdown, benchMarkdownReport(result, flags, comparison));
    if (!flags.json) out(`\nwrote ${flags.markdown}`);
  }
  return comparison !== undefined && comparison.failed > 0 ? EXIT_FAILED : EXIT_OK;
}
