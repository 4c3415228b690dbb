// The report's number formats at their edges: blown-up values, rates.
import { describe, expect, it } from "vitest";
import { formatRate, formatValue } from "../../src/render/format.js";

describe("formatValue and formatRate at large magnitudes", () => {
  it("writes huge values with an exponent, not dozens of digits", () => {
    expect(formatValue(3.79e26)).toBe("3.79e+26");
    expect(formatValue(-3.79e26)).toBe("-3.79e+26");
    expect(formatValue(1e10)).toBe("1e+10");
    expect(formatValue(1234567)).toBe("1.23e+6");
    expect(formatValue(999999)).toBe("999999");
    expect(formatValue(1234.4)).toBe("1234");
    expect(formatValue(Number.MAX_VALUE)).toBe("1.8e+308");
  });
  it("formatRate likewise", () => {
    expect(formatRate(3.79e26)).toBe("3.79e+26");
    expect(formatRate(12345.6)).toBe("12346");
    expect(formatRate(12.345)).toBe("12.3");
  });
});
