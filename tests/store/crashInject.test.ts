// The short version of the crash injection (scripts/crash-inject.mjs, issue 20 item 4b): one
// SIGKILL at a random moment (fixed seed) during a study, then the study again: nothing lost,
// duplicated or half-written, and the result equals the uninterrupted one. The 50-trial runs of
// study, --save-weights, merge and export and their figures are in reports/reliability.md.
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs script without types
import { crashInject } from "../../scripts/crash-inject.mjs";

describe("SIGKILL at a random moment (short)", () => {
  it("a killed study resumes to the uninterrupted one", async () => {
    const rows = (await crashInject({ trials: 1, commands: ["study"], seed: 20 })) as Array<{ command: string; trials: number; landed: Record<string, number>; failures: string[] }>;
    expect(rows.map((r) => r.command)).toEqual(["study"]);
    for (const row of rows) expect(row.failures, row.command).toEqual([]);
    // every attempt is placed: killed somewhere in the command, or finished first
    expect(Object.values(rows[0].landed).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
