import { describe, expect, it } from "vitest";
import { etaSeconds } from "../../src/study/progress.js";
import { flopsPerStep } from "../../src/kernel/step.js";

describe("progress ETA", () => {
  it("weighs runs by their work: with the small run of a grid over d done, the large one's time is left, not as much again", () => {
    // a run at d = 64 and one at d = 4096, 100 steps each: the small one took 10 s
    const small = flopsPerStep({ batch: 64, d: 64, width: 128 }) * 100;
    const large = flopsPerStep({ batch: 64, d: 4096, width: 128 }) * 100;
    expect(etaSeconds(small + large, small, 10)).toBeCloseTo(640, 9); // counting runs would say 10 s
    expect(etaSeconds(small + large, 0, 10)).toBeNaN();
    expect(etaSeconds(small, small, 10)).toBe(0);
  });
});
