// `report --rows/--cols/--colour/--facet/--x` and `export --what pivot` on a study with three grid
// keys (issue 22): a short report.md with pivot tables and heatmaps, details.md beside it, faceted
// figures when asked, and bad values that exit 2 naming the flag and the keys allowed, writing nothing;
// report.html drawn in headless Chromium (skipped where Debian's chromium is absent).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cliInProcess.js";

const work = mkdtempSync(join(tmpdir(), "shortcut-bench-views-"));
const dir = join(work, "results");
const read = (file: string) => readFileSync(join(dir, file), "utf8");

const cli = (...args: string[]) => runCli(args, { cwd: work });

beforeAll(async () => {
  writeFileSync(join(work, "three.json5"), `{
    name: "three",
    base: { d: 8, batch: 8, steps: 60, evalEvery: 10, testPerGroup: 16 },
    grid: { width: [8, 16], lr: [0.1, 0.5], lambda: [0, 0.5, 1] },
    seeds: 2,
    figures: { x: "linear" },
  }`);
  const r = await cli("study", "three.json5", "--out", dir, "--quiet", "--threads", "2");
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
});

describe("a study with three grid keys", () => {
  it("writes a short report.md (pivot tables, heatmaps, figures) and the per-condition detail in details.md", async () => {
    const report = read("report.md");
    expect(report.split("\n").length).toBeLessThan(400);
    expect(report).toMatch(/^\*\*Ran\*\* 24 runs in .*: 12 conditions \(width ∈ \{8; 16\} × lr ∈ \{0.1; 0.5\} × lambda ∈ \{0; 0.5; 1\}\) × 2 seeds/m);
    expect(report).toContain("| lambda ↓ width → |");
    expect(report).toContain("](figures/heatmap-events-signal.svg)");
    expect(readdirSync(join(dir, "figures"))).toContain("heatmap-final-wga.svg");
    const details = read("details.md");
    for (const heading of ["## Machine and run", "## Headline", "## Time to event", "## Comparisons", "## Divergences and censoring"]) expect(details).toContain(heading);
    expect(report).toContain("](details.md)");
  });

  it("report --rows/--cols/--facet/--x lay the pivot and the figures out as asked", async () => {
    const r = await cli("report", dir, "--rows", "width", "--cols", "lr", "--colour", "lambda", "--facet", "width", "--x", "symlog");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(read("report.md")).toContain("| width ↓ lr → |");
    const mass = readFileSync(join(dir, "figures", "trajectories-mass.svg"), "utf8");
    for (const label of [">width=8<", ">width=16<", ">lambda=0.5<", ">lr=0.1<", "symlog scale"]) expect(mass).toContain(label);
  });

  it("a bad value exits 2 naming the flag and the allowed keys, and writes nothing", async () => {
    const before = read("report.md");
    for (const [flag, value, says] of [
      ["--rows", "depth", "--rows: 'depth' is not a grid key of this study; allowed: width, lr, lambda"],
      ["--colour", "widht", "--colour: 'widht' is not a grid key of this study (did you mean 'width'?); allowed: width, lr, lambda"],
      ["--facet", "seed", "allowed: width, lr, lambda, none"],
      ["--x", "loglog", "--x: must be one of linear, log, symlog"],
    ]) {
      const r = await cli("report", dir, flag, value);
      expect(r.code, flag).toBe(2);
      expect(r.stderr, flag).toContain(says);
      expect(r.stderr, flag).not.toMatch(/\n\s+at /);
    }
    expect(read("report.md")).toBe(before);
  });

  it("export --what pivot writes the pivot tables as CSV", async () => {
    const r = await cli("export", dir, "--what", "pivot", "--rows", "lambda", "--cols", "width", "--out", join(work, "csv"));
    expect(r.code).toBe(0);
    const lines = readFileSync(join(work, "csv", "pivot.csv"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("quantity,lr,lambda,width=8,width=8 lo,width=8 hi,width=8 reached,width=8 n,width=16,width=16 lo,width=16 hi,width=16 reached,width=16 n");
    expect(lines).toHaveLength(1 + 4 * 2 * 3); // (spurious, signal, gap spurious → signal, final wga) × lr × λ
  });
});

const CHROMIUM = "/usr/bin/chromium";

/**
 * Run in the page after its figures are drawn: hovers the points of the first trajectory figure
 * until Vega's tooltip handler names a seed (it writes the tooltip into the figure's title), then
 * clicks the first condition of its legend and counts the marks faded to the others' opacity.
 */
const PROBE = `
const figure = [...document.querySelectorAll("figure")].find((f) => f.querySelector("figcaption").textContent.startsWith("Median trajectories"));
const index = Number(figure.querySelector(".vega-figure").id.replace("figure-", ""));
window.figureViews[index].then(async (view) => {
  const root = figure.querySelector(".vega-figure");
  let tooltip = "";
  for (const point of root.querySelectorAll("g.mark-symbol.role-mark path")) {
    for (const type of ["pointermove", "mousemove"]) point.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    tooltip = root.getAttribute("title") ?? "";
    if (tooltip.includes("seed")) break;
  }
  const faded = () => [...root.querySelectorAll("g.role-mark path")].filter((p) => Number(p.getAttribute("opacity") ?? 1) <= 0.08).length;
  const before = faded();
  root.querySelector("g.condition_legend_symbols path").dispatchEvent(new MouseEvent("click", { bubbles: true }));
  await view.runAsync();
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({ tooltip, before, after: faded() });
  document.body.appendChild(out);
});`;

describe("report.html", () => {
  it("is self-contained: the Vega runtime inlined, no script or stylesheet fetched from anywhere", async () => {
    const html = read("report.html");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(html).toContain("vega.parse");
    expect(html.match(/class="vega-figure"/g)?.length).toBe(readdirSync(join(dir, "figures")).length);
    expect(html).toContain('id="details"');
    // a legend click isolates a condition; the step axis zooms (unfaceted figures); marks carry tooltips
    expect(html).toContain('"name":"pick_condition_legend"');
    expect(html).toContain('"tooltip"');
    // every run's line of each trajectory figure has points whose tooltip names condition, seed and step
    const runTooltips = html.match(/"tooltip":\{"signal":"\{\\"condition\\": [^}]*?\\"seed\\": [^}]*?\\"metric\\": [^}]*?\\"step\\": /g) ?? [];
    expect(runTooltips.length).toBeGreaterThanOrEqual(3);
    // the figures are faceted by width (the last report): two sliders set the step axis of every panel
    expect(html).toContain('"name":"stepFrom","value":0,"bind":{"input":"range"');
  });

  it.skipIf(!existsSync(CHROMIUM))("draws every figure, with legend isolation and tooltips, in headless Chromium", () => {
    const profile = mkdtempSync(join(tmpdir(), "shortcut-bench-chromium-"));
    const probed = join(work, "probed.html");
    writeFileSync(probed, read("report.html").replace("</body>", `<script>${PROBE}</script></body>`));
    const r = spawnSync(
      CHROMIUM,
      ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        `--user-data-dir=${profile}`, "--virtual-time-budget=20000", "--dump-dom", `file://${probed}`],
      { encoding: "utf8", timeout: 90_000, maxBuffer: 256 * 1024 * 1024 },
    );
    expect(r.status).toBe(0);
    const figures = [...r.stdout.matchAll(/<div class="vega-figure" id="figure-\d+"[^>]*>(.*?)<\/div>\s*<figcaption/gs)].map((m) => m[1]);
    expect(figures.length).toBe(readdirSync(join(dir, "figures")).length);
    for (const svg of figures) {
      expect(svg).toMatch(/^<svg/);
      expect(svg).toContain("role-mark");
    }
    expect(figures.some((svg) => svg.includes("role-legend-entry"))).toBe(true);
    // the step-axis sliders of the faceted figures are on the page
    expect(r.stdout.match(/<input type="range" name="stepFrom"/g)?.length).toBeGreaterThanOrEqual(3);
    // hovering a run's point names its condition, seed and step; a legend click fades the other conditions
    const probe = JSON.parse(r.stdout.match(/<pre id="probe">(.*?)<\/pre>/s)![1].replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as { tooltip: string; before: number; after: number };
    expect(probe.tooltip).toMatch(/^condition: lambda=\S+\nseed: \d+\nmetric: \w+\nstep: \d+\nvalue: /);
    expect(probe.before).toBe(0);
    expect(probe.after).toBeGreaterThan(0);
  }, 120_000);
});
