import { describe, expect, it } from "vitest";
import { normal, threefry2x32, threefryOut, uniform, StreamRandom } from "../../src/kernel/prng.js";

const hex = () => Array.from(threefryOut, (w) => w.toString(16).padStart(8, "0"));

describe("threefry2x32-20", () => {
  // Known-answer vectors from the Random123 distribution (kat_vectors, threefry2x32_20).
  it("matches the Random123 known answers", () => {
    threefry2x32(0, 0, 0, 0);
    expect(hex()).toEqual(["6b200159", "99ba4efe"]);
    threefry2x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff);
    expect(hex()).toEqual(["1cb996fc", "bb002be7"]);
    threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3);
    expect(hex()).toEqual(["c4923a9c", "483df7a0"]);
  });

  it("draws are pure functions of (seed, stream, index)", () => {
    expect(uniform(7, 3, 123456789012)).toBe(uniform(7, 3, 123456789012));
    expect(uniform(7, 3, 1)).not.toBe(uniform(7, 4, 1));
    expect(uniform(7, 3, 1)).not.toBe(uniform(8, 3, 1));
    // indices above 2^32 use the high counter word, so they do not wrap onto small indices
    expect(uniform(7, 3, 5)).not.toBe(uniform(7, 3, 5 + 2 ** 32));
  });

  it("uniform and normal have the right first two moments", () => {
    const n = 200_000;
    let su = 0, su2 = 0, sn = 0, sn2 = 0, outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = uniform(1, 1, i);
      const z = normal(1, 2, i);
      if (!(u >= 0 && u < 1)) outOfRange++;
      su += u; su2 += u * u; sn += z; sn2 += z * z;
    }
    expect(outOfRange).toBe(0);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(su2 / n - (su / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });

  it("StreamRandom.int covers its range uniformly", () => {
    const r = new StreamRandom(5, 8);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});
