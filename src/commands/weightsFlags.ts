// Flags shared by the commands that train into a results directory (study, run): saving weights.
import type { Argv } from "yargs";
import { InputError } from "../config/inputError.js";

export interface WeightsFlags {
  saveWeights: boolean;
  /** Steps whose weights are saved besides the final ones (ascending, distinct). */
  weightSteps: number[];
}

export function withWeightsFlags<T>(yargs: Argv<T>) {
  return yargs
    .option("save-weights", { type: "boolean", default: false, describe: "also write each run's final weights as NumPy .npy files (W width×d, a, b; float32) under <out>/weights/<condition>-seed<seed>/, listed in runs.jsonl" })
    .option("save-weights-at", { type: "string", describe: "also the weights at these steps (a comma list, e.g. 0,10,100; implies --save-weights), in step<s>/ below each run's folder; steps past a run's end are skipped" });
}

export function parseWeightsFlags(argv: Record<string, unknown>): WeightsFlags {
  const raw = argv["save-weights-at"];
  if (raw === undefined) return { saveWeights: Boolean(argv["save-weights"]), weightSteps: [] };
  const text = String(raw);
  const steps = text.split(",").map((part) => {
    const step = Number(part);
    if (part.trim() === "" || !Number.isInteger(step) || step < 0 || step > 1e8) {
      throw new InputError(`--save-weights-at must be a comma list of steps, integers in [0, 100000000], got '${text}'`, { key: "save-weights-at" });
    }
    return step;
  });
  return { saveWeights: true, weightSteps: [...new Set(steps)].sort((a, b) => a - b) };
}
