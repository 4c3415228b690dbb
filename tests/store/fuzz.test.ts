// The short version of the fuzzer (scripts/fuzz-results.mjs, issue 20 item 4c): a few samples of
// every mutated results file and study config, in process, from a fixed seed. Each must be accepted
// or refused with an InputError naming the file, within 5 s. The long runs and their figures are in
// reports/reliability.md.
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs script without types
import { fuzz } from "../../scripts/fuzz-results.mjs";

describe("fuzzing the results directory's files and study configs (short)", () => {
  it("every mutated file is accepted or refused naming the file", async () => {
    const rows = (await fuzz({ runs: 12, seed: 20 })) as Array<{ target: string; ok: number; refused: number; failure: string | null }>;
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const row of rows) expect(row.failure, row.target).toBeNull();
    // The mutations reach both outcomes: some files are refused (the checks bite), some accepted.
    expect(rows.reduce((n, r) => n + r.refused, 0)).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.ok, 0)).toBeGreaterThan(0);
  });
});
