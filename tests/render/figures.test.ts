// The SVG figures of a study: Kaplan–Meier curve points against a hand computation, the step axis
// ticks, and the rendered SVGs parsed as XML — their marks, axis titles, legend labels and colours —
// rendered twice to check they are byte-identical.
import { DOMParser, type Element } from "@xmldom/xmldom";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { summarizeStudy } from "../../src/analysis/summary.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { SCALAR_METRICS, type TrajectoryPoint } from "../../src/kernel/metricNames.js";
import { writeFigures } from "../../src/render/figures/figureFiles.js";
import { kaplanMeierCurve } from "../../src/render/figures/kaplanMeierCurve.js";
import { symlogTicks } from "../../src/render/figures/stepAxis.js";
import { studyFigures, type Figure } from "../../src/render/figures/studyFigures.js";
import { conditionLayout } from "../../src/render/figures/conditionLayout.js";
import type { RunRecord } from "../../src/store/runRecord.js";

describe("kaplanMeierCurve", () => {
  it("steps down by d/n at each event step, counting a run censored there as at risk", () => {
    // n = 5: event at 10 (S = 4/5), at 20 one event of 4 at risk and one censored (S = 4/5 · 3/4 = 0.6),
    // at 30 one event of 2 at risk (S = 0.3), censored at 50.
    const km = kaplanMeierCurve([
      { time: 10, observed: true },
      { time: 20, observed: false },
      { time: 20, observed: true },
      { time: 30, observed: true },
      { time: 50, observed: false },
    ]);
    expect(km.points.map((p) => p.step)).toEqual([0, 10, 20, 30, 50]);
    const reached = km.points.map((p) => p.reached);
    [0, 0.2, 0.4, 0.7, 0.7].forEach((f, i) => expect(reached[i]).toBeCloseTo(f, 12));
    expect(km.censored.map((c) => [c.step, c.count])).toEqual([[20, 1], [50, 1]]);
    expect(km.censored[1].reached).toBeCloseTo(0.7, 12);
  });
  it("stays at 0 when no run reaches the event", () => {
    const km = kaplanMeierCurve([{ time: 100, observed: false }, { time: 100, observed: false }]);
    expect(km.points).toEqual([{ step: 0, reached: 0 }, { step: 100, reached: 0 }]);
    expect(km.censored).toEqual([{ step: 100, reached: 0, count: 2 }]);
  });
});

describe("symlogTicks", () => {
  it("gives 0, 1, 2, 5, … and the horizon unless the last tick crowds it", () => {
    expect(symlogTicks(2000)).toEqual([0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]);
    expect(symlogTicks(400)).toEqual([0, 1, 2, 5, 10, 20, 50, 100, 200, 400]);
    expect(symlogTicks(250)).toEqual([0, 1, 2, 5, 10, 20, 50, 100, 200]);
  });
});

const HORIZON = 400;

/** A run whose masses grow exponentially and whose accuracies cross at its event steps. */
function run(lambda: number, seed: number, spurious: number | null, signal: number | null): RunRecord {
  const trajectory: TrajectoryPoint[] = [];
  for (let step = 0; step <= HORIZON; step += step < 20 ? 2 : 20) {
    const values = Object.fromEntries(SCALAR_METRICS.map((m) => [m, 0.5])) as Record<(typeof SCALAR_METRICS)[number], number>;
    values.massSpurious = Math.exp((0.1 + seed / 100) * Math.min(step, 40));
    values.massSignal = Math.exp(0.02 * step);
    values.wga = signal !== null && step >= signal ? 0.95 : 0.1;
    values.coefSignal = step / HORIZON;
    trajectory.push({ step, ...values, acc: [0.5, 0.5, 0.5, 0.5] });
  }
  const { step: _last, ...final } = trajectory[trajectory.length - 1];
  return {
    condition: { lambda },
    params: resolveParams({ lambda, d: 16, width: 16, steps: HORIZON, evalEvery: 20, seed }),
    seed,
    events: { spurious, signal },
    rates: { spuriousRate: 0.1, signalRate: 0.02 },
    final,
    trajectory,
    diverged: null,
    wallMs: 1,
    engine: { threads: 1, shards: 1, kernel: "f32", version: "test" },
  };
}

const records = [
  run(0, 0, null, 120), run(0, 1, null, 140), run(0, 2, 30, 160),
  run(1, 0, 8, null), run(1, 1, 10, null), run(1, 2, 12, 380),
];
const summary = summarizeStudy({
  name: "figures", configHash: "test", events: { ...DEFAULT_EVENTS }, grid: { lambda: [0, 1] },
  conditions: [{ lambda: 0 }, { lambda: 1 }], records,
});

function parseSvg(svg: string): Element {
  const doc = new DOMParser({ onError: (level, message) => { if (level !== "warning") throw new Error(message); } }).parseFromString(svg, "image/svg+xml");
  return doc.documentElement as Element;
}

function all(root: Element, tag: string): Element[] {
  return Array.from(root.getElementsByTagName(tag));
}

/** The marks of a Vega mark group: the elements under <g class="mark-<type> …">. */
function marks(root: Element, type: string): Element[] {
  return all(root, "g").filter((g) => { const cls = (g.getAttribute("class") ?? "").split(" "); return cls.includes(`mark-${type}`) && cls.includes("role-mark"); }).flatMap((g) => Array.from(g.childNodes) as Element[]);
}

function texts(root: Element): string[] {
  return all(root, "text").map((t) => t.textContent ?? "");
}

describe("studyFigures", async () => {
  const figures = await studyFigures({ summary, records, charts: [["signAlign"]] });
  const byFile = new Map(figures.map((f: Figure) => [f.file, parseSvg(f.svg)]));

  it("draws the three trajectory panels, the config's extra panel and one time-to-event figure per event", () => {
    expect(figures.map((f) => f.file)).toEqual([
      "trajectories-mass.svg", "trajectories-accuracy.svg", "trajectories-coef.svg", "trajectories-signAlign.svg",
      "event-spurious.svg", "event-signal.svg", "gap-spurious-signal.svg",
    ]);
  });

  it("is an SVG no wider than 800 px with labelled axes and a legend of the conditions", () => {
    for (const [file, root] of byFile) {
      expect(root.tagName, file).toBe("svg");
      expect(Number(root.getAttribute("width")), file).toBeLessThanOrEqual(800);
      const text = texts(root);
      expect(text.some((t) => t.startsWith("step")), file).toBe(true);
      expect(text, file).toContain("lambda=0");
      expect(text, file).toContain("lambda=1");
    }
  });

  it("draws a median line and a 10–90% band per condition and metric, on a symlog step axis with a log mass axis", () => {
    const mass = byFile.get("trajectories-mass.svg")!;
    expect(marks(mass, "line")).toHaveLength(4); // 2 conditions × 2 metrics
    expect(marks(mass, "area")).toHaveLength(4);
    const text = texts(mass);
    expect(text).toContain("step (symlog scale: early steps stretched)");
    expect(text).toContain("weight mass Σ|a|·|w| (log scale)");
    expect(text).toEqual(expect.arrayContaining(["massSpurious", "massSignal", "0", "5", "50", "400"]));
  });

  it("draws Kaplan–Meier steps per condition with a mark per censoring step", () => {
    const signal = byFile.get("event-signal.svg")!;
    expect(marks(signal, "line")).toHaveLength(2);
    // λ = 0 reaches it in every run (no mark); λ = 1 has 2 runs censored at the horizon (one mark).
    expect(marks(signal, "symbol")).toHaveLength(1);
    expect(texts(signal)).toContain("fraction of runs that reached it");
    expect(texts(signal).some((t) => t.includes("wga >= 0.9"))).toBe(true);
  });

  it("draws the gap's Kaplan–Meier steps over the runs that reached the first event, on a linear axis", () => {
    const gap = byFile.get("gap-spurious-signal.svg")!;
    // λ = 0: one run reached spurious (at 30) and signal (at 160): one step, no censoring mark.
    // λ = 1: gaps 370 observed, 400 − 8 and 400 − 10 censored (two marks).
    expect(marks(gap, "line")).toHaveLength(2);
    expect(marks(gap, "symbol")).toHaveLength(2);
    const text = texts(gap);
    expect(text).toContain("steps after spurious");
    expect(text).toContain("fraction of runs that reached signal");
    expect(text.some((t) => t.includes("symlog"))).toBe(false);
  });

  it("gives each condition the same colour in every figure", () => {
    const strokes = (root: Element) => marks(root, "line").map((path) => path.getAttribute("stroke"));
    const mass = strokes(byFile.get("trajectories-mass.svg")!);
    const signal = strokes(byFile.get("event-signal.svg")!);
    expect(new Set(mass)).toEqual(new Set(signal));
    expect(signal[0]).not.toBe(signal[1]);
  });

  it("is deterministic: the same input gives byte-identical SVG, with no date in it", async () => {
    const again = await studyFigures({ summary, records, charts: [["signAlign"]] });
    expect(again.map((f) => f.svg)).toEqual(figures.map((f) => f.svg));
    for (const f of figures) expect(f.svg).not.toMatch(/20\d\d-\d\d-\d\d/);
  });

  it("writes figures/*.svg and removes a figure an earlier report drew but this one does not", () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-figures-"));
    writeFigures(dir, figures);
    writeFileSync(join(dir, "figures", "notes.txt"), "mine");
    writeFigures(dir, figures.slice(0, 2));
    expect(readdirSync(join(dir, "figures")).sort()).toEqual(["notes.txt", "trajectories-accuracy.svg", "trajectories-mass.svg"]);
    expect(readFileSync(join(dir, "figures", "trajectories-mass.svg"), "utf8")).toBe(figures[0].svg);
  });
});

describe("many conditions", () => {
  // 2 λ × 6 widths = 12 conditions: more than overlay in one panel
  const widths = [8, 16, 24, 32, 40, 48];
  const many = [0, 1].flatMap((lambda) => widths.map((width) => ({ ...run(lambda, 0, lambda === 1 ? 10 : null, lambda === 0 ? 120 : null), condition: { lambda, width } })));
  const conditions = [0, 1].flatMap((lambda) => widths.map((width) => ({ lambda, width })));
  const manySummary = summarizeStudy({ name: "many", configHash: "test", events: { ...DEFAULT_EVENTS }, grid: { lambda: [0, 1], width: widths }, conditions, records: many });

  it("colours by the key with the most values and draws one row of panels per value of the next", async () => {
    const layout = conditionLayout(manySummary);
    expect(layout.rowDomain).toEqual(["lambda=0", "lambda=1"]);
    expect(layout.colourDomain).toEqual(widths.map((w) => `width=${w}`));
    expect(layout.columnDomain).toBeNull();
    const figures = await studyFigures({ summary: manySummary, records: many });
    for (const f of figures) {
      const root = parseSvg(f.svg);
      expect(Number(root.getAttribute("width")), f.file).toBeLessThanOrEqual(800);
      // λ = 0 never reached the spurious event, so the gap figure has no row for it
      const rows = f.file.startsWith("gap-") ? ["lambda=1"] : ["lambda=0", "lambda=1"];
      expect(texts(root), f.file).toEqual(expect.arrayContaining([...rows, "width=8", "width=48"]));
    }
    const mass = parseSvg(figures[0].svg);
    expect(marks(mass, "line")).toHaveLength(2 * 6 * 2); // rows × colours × metrics
  });
});

describe("runs that diverged (issue 19 item 1, issue 22 item 3)", async () => {
  // λ = 1, seed 1 blew up at step 60: its trajectory ends there and it never reached signal
  const blownUp: RunRecord = { ...run(1, 1, 10, null), diverged: 60, divergedReason: "loss above divergeLoss", trajectory: run(1, 1, 10, null).trajectory.filter((p) => p.step <= 60) };
  blownUp.trajectory = blownUp.trajectory.map((p) => ({ ...p, massSpurious: 1e9 }));
  const withDiverged = records.map((r) => (r.condition.lambda === 1 && r.seed === 1 ? blownUp : r));
  const divergedSummary = summarizeStudy({ name: "diverged", configHash: "test", events: { ...DEFAULT_EVENTS }, grid: { lambda: [0, 1] }, conditions: [{ lambda: 0 }, { lambda: 1 }], records: withDiverged });
  const figures = await studyFigures({ summary: divergedSummary, records: withDiverged });
  const figure = (file: string) => figures.find((f) => f.file === file)!;
  const rowsOf = (spec: unknown) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

  it("draws each apart, ending in a ✕ where it diverged, and leaves it out of the medians and bands", () => {
    const rows = rowsOf(figure("trajectories-mass.svg").spec);
    const mine = rows.filter((r) => r.kind === "diverged" && r.condition === "lambda=1");
    expect(new Set(mine.map((r) => r.seed))).toEqual(new Set([1]));
    expect(rows.filter((r) => r.kind === "divergedAt")).toEqual([
      expect.objectContaining({ metric: "massSpurious", seed: 1, step: 60, divergedStep: 60 }),
      expect.objectContaining({ metric: "massSignal", seed: 1, step: 60, divergedStep: 60 }),
    ]);
    // the band at λ = 1 is over seeds 0 and 2 alone: its top stays far below the blown-up 1e9
    const band = rows.filter((r) => r.kind === "band" && r.condition === "lambda=1" && r.metric === "massSpurious");
    expect(Math.max(...band.map((r) => r.p90 as number))).toBeLessThan(1e3);
    expect(texts(parseSvg(figure("trajectories-mass.svg").svg)).some((t) => t.includes("thin lines ending in ✕: runs that diverged there"))).toBe(true);
  });

  it("marks it ▽ on the Kaplan–Meier curve where it diverged, with its seed", () => {
    const rows = rowsOf(figure("event-signal.svg").spec);
    expect(rows.filter((r) => r.kind === "diverged")).toEqual([expect.objectContaining({ condition: "lambda=1", kind: "diverged", step: 60, reached: 0, seed: 1 })]);
    expect(texts(parseSvg(figure("event-signal.svg").svg)).some((t) => t.includes("▽ = a run diverged there (it counts as never reaching the event)"))).toBe(true);
    // the lead of spurious (at 10) over signal never closed: marked 50 steps after spurious
    expect(rowsOf(figure("gap-spurious-signal.svg").spec).filter((r) => r.kind === "diverged")).toEqual([expect.objectContaining({ step: 50, seed: 1 })]);
  });

  it("gives report.html every kept run's line, whose points name condition, seed and step", () => {
    const page = figure("trajectories-accuracy.svg").pageSpec as { data: { values: Record<string, unknown>[] }; layer: { mark: { type: string }; encoding: { tooltip?: { field: string }[] } }[] };
    const runs = page.data.values.filter((r) => r.kind === "run");
    expect(new Set(runs.map((r) => `${r.condition} ${r.seed}`)).size).toBe(5); // 6 runs, one diverged (drawn apart)
    expect(runs[0]).toEqual(expect.objectContaining({ accMajority: 0.5, wga: expect.any(Number) }));
    const fields = page.layer.flatMap((l) => (l.encoding.tooltip ?? []).map((t) => t.field).join(","));
    expect(fields).toContain("condition,seed,metric,step,value");
    // the SVG file draws the medians alone
    expect(rowsOf(figure("trajectories-accuracy.svg").spec).some((r) => r.kind === "run")).toBe(false);
  });
});
