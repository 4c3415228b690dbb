// SciPy as a reference for the statistics tests: one python3 process computes every reference value
// of a test file (importing SciPy takes seconds), each case a snippet that reads `data` and sets `out`.
// Where python3 with NumPy and SciPy is absent the batch is null and those tests skip cleanly.
import { spawnSync } from "node:child_process";

const PYTHON = process.env.SB_PYTHON ?? "python3";

export interface ScipyCase {
  /** Python that reads `data` and assigns `out` (numpy as np, scipy.stats as stats are imported). */
  code: string;
  data: unknown;
}

/** Runs every case in one python3 process; null when python3, NumPy or SciPy is missing. */
export function scipyBatch(cases: Record<string, ScipyCase>): Record<string, unknown> | null {
  const functions = Object.entries(cases).map(
    ([name, c], i) => `def case_${i}(data):\n${c.code.split("\n").map((line) => `    ${line}`).join("\n")}\n    return out\nresults[${JSON.stringify(name)}] = case_${i}(inputs[${JSON.stringify(name)}])\n`,
  );
  // Exit 3 (no NumPy/SciPy) tells "skip" apart from a failing reference snippet.
  const script = `import json, sys\ntry:\n    import numpy as np\n    from scipy import stats\nexcept ImportError:\n    sys.exit(3)\ninputs = json.load(sys.stdin)\nresults = {}\n${functions.join("")}print(json.dumps(results))\n`;
  const inputs = Object.fromEntries(Object.entries(cases).map(([name, c]) => [name, c.data]));
  const result = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(inputs), encoding: "utf8" });
  if (result.error !== undefined || result.status === 3) return null; // no python3, or no NumPy/SciPy
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}
