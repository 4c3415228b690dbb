// Bad user input (a config, a flag, a thresholds file): the CLI prints the message and exits 2.

export class InputError extends Error {
  /** The file the bad input came from, when there is one. */
  readonly file?: string;
  /** The key path of the bad input (e.g. `grid.lambda[2]`), when there is one. */
  readonly key?: string;

  constructor(message: string, options: { file?: string; key?: string } = {}) {
    super(message);
    this.name = "InputError";
    this.file = options.file;
    this.key = options.key;
  }
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of neighbouring letters
 * (optimal string alignment; "widht" is one edit from "width"), compared case-insensitively.
 */
export function levenshtein(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  // distance[i][j]: edits from the first i letters of a to the first j letters of b.
  const distance = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const substitution = distance[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min(distance[i - 1][j] + 1, distance[i][j - 1] + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, distance[i - 2][j - 2] + 1);
      distance[i][j] = best;
    }
  }
  return distance[a.length][b.length];
}

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a plausible typo
 * (a third of the name's length, at least 1 and at most 3 edits).
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const allowed = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

/** "; did you mean 'x'?" for a near candidate, else the full list of allowed names. */
export function suggestionFor(name: string, candidates: readonly string[]): string {
  const near = nearestName(name, candidates);
  if (near !== undefined) return `; did you mean '${near}'?`;
  return `; allowed: ${candidates.join(", ")}`;
}
