// Writes a report's figures to <dir>/figures/, each atomically; removes figures of an earlier
// report that this one no longer draws (so a link never points at a stale picture).
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureOwnFolder } from "../../store/ownFiles.js";
import { writeFileAtomic } from "../../store/resultsDir.js";
import type { Figure } from "./studyFigures.js";

export const FIGURES_DIR = "figures";

/** Names this tool writes under figures/: only those are ever removed. */
const OWN_FIGURE = /^(trajectories|event|gap|heatmap|paper)-[A-Za-z0-9_.-]+\.svg$/;

export function writeFigures(dir: string, figures: readonly Figure[]): void {
  const folder = ensureOwnFolder(dir, FIGURES_DIR); // never through a link out of the directory
  for (const figure of figures) writeFileAtomic(join(folder, figure.file), figure.svg);
  const kept = new Set(figures.map((f) => f.file));
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    if (OWN_FIGURE.test(name) && !kept.has(name)) rmSync(join(folder, name));
  }
}
