// "## Figures": the SVG figures as Markdown images with relative links, so GitHub shows them inline.
export function figuresSection(figures: readonly { path: string; title: string }[]): string {
  const body = figures.length === 0 ? "(no figures)" : figures.map((f) => `![${f.title}](${f.path})`).join("\n\n");
  return ["## Figures", "", body].join("\n");
}
