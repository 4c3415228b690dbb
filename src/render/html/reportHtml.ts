// report.html (issue 22): report.md and details.md in one self-contained page that works offline —
// Markdown rendered by markdown-it (raw HTML in the Markdown is escaped, not passed through), each
// figure drawn in the browser by the Vega runtime inlined from the package (no CDN) from its
// Vega-Lite spec compiled here, with tooltips, legend isolation and zoom (interactiveSpec.ts).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { FIGURE_CONFIG } from "../figures/vegaSvg.js";
import { interactiveSpec } from "./interactiveSpec.js";

/** A figure the page draws: the path report.md links it by, and its Vega-Lite spec. */
export interface HtmlFigure {
  path: string;
  spec: TopLevelSpec;
}

const STYLE = `
body { font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.6em 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ccc; padding: 2px 8px; }
th { background: #f4f4f4; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; font-size: 12px; }
code { font-size: 90%; }
figure { margin: 1em 0; }
figcaption { color: #555; font-size: 13px; }
details > summary { cursor: pointer; font-size: 1.3em; margin: 1em 0; }
`;

/**
 * The Vega runtime the page inlines: the package's own minified browser build, beside the module
 * entry its exports map resolves to (the map does not export the build files themselves).
 */
function vegaRuntime(): string {
  const entry = createRequire(import.meta.url).resolve("vega");
  return readFileSync(join(dirname(entry), "vega.min.js"), "utf8");
}

/** A string safe inside <script>…</script> (JSON of a spec may hold "</script>"). */
function scriptSafe(json: string): string {
  return json.replace(/</g, "\\u003c");
}

export async function renderReportHtml(input: { title: string; report: string; details: string; figures: readonly HtmlFigure[] }): Promise<string> {
  // loaded here, not at start-up: every command would otherwise pay for them (tests/commands/cli.test.ts)
  const [{ compile }, { default: MarkdownIt }] = await Promise.all([import("vega-lite"), import("markdown-it")]);
  const byPath = new Map(input.figures.map((f) => [f.path, f]));
  const specs: unknown[] = [];
  const md = new MarkdownIt({ html: false, linkify: false });
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const figure = byPath.get(token.attrGet("src") ?? "");
    if (figure === undefined) return defaultImage(tokens, idx, options, env, self);
    const id = specs.length;
    const spec = interactiveSpec({ ...figure.spec, config: { ...FIGURE_CONFIG, ...(figure.spec.config ?? {}) } } as TopLevelSpec);
    specs.push(compile(spec).spec);
    return `<figure><div class="vega-figure" id="figure-${id}"></div><figcaption>${md.utils.escapeHtml(token.content)}</figcaption></figure>`;
  };
  // links to details.md go to the section folded in below
  const body = md.render(input.report).replace(/href="details\.md"/g, 'href="#details"');
  const details = md.render(input.details.replace(/^# .*\n/, ""));
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${md.utils.escapeHtml(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    `<script>${vegaRuntime()}</script>`,
    "</head><body>",
    body,
    `<details id="details"><summary>Details</summary>${details}</details>`,
    `<script id="figure-specs" type="application/json">${scriptSafe(JSON.stringify(specs))}</script>`,
    "<script>",
    // each figure is drawn as SVG; Vega's default tooltip handler shows a mark's tooltip on hover
    'const specs = JSON.parse(document.getElementById("figure-specs").textContent);',
    "window.figureViews = specs.map((spec, i) => new vega.View(vega.parse(spec), { renderer: 'svg', container: '#figure-' + i, hover: true }).runAsync());",
    "</script>",
    "</body></html>",
    "",
  ].join("\n");
}
