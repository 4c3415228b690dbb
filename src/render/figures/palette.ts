// Colours and dash patterns for conditions and metrics, the same in every figure of a page.

/** Okabe–Ito's colour-blind-safe palette (yellow left out: too light on white), then Tableau's 10. */
const CATEGORY_COLOURS = [
  "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
  "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
];

/** Dash patterns for the metrics drawn in one panel: solid, dashed, dotted, dash-dot. */
const DASHES: number[][] = [[1, 0], [7, 3], [2, 2], [7, 3, 2, 3]];

/** One colour per label, in the order given (cycling past 17 labels). */
export function colourRange(labels: readonly string[]): string[] {
  return labels.map((_, i) => CATEGORY_COLOURS[i % CATEGORY_COLOURS.length]);
}

/** One dash pattern per label, in the order given. */
export function dashRange(labels: readonly string[]): number[][] {
  return labels.map((_, i) => DASHES[i % DASHES.length]);
}
