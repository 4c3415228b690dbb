// Where the package's own files are, wherever it is installed (a project's node_modules, a global
// prefix, or this repository): the bundled configs and the config JSON Schema.
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { VERSION } from "./version.js";

/** The package root: src/ under vitest and dist/ when installed both sit one level below it. */
export const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

export const SCHEMA_FILE = join(PACKAGE_ROOT, "schema", "study.schema.json");

/** The schema's `$id`: where the published package serves this very file. */
export const SCHEMA_ID = `https://unpkg.com/shortcut-bench@${VERSION}/schema/study.schema.json`;

export const DEFAULT_STUDY_CONFIG = "configs/quick.json5";

/**
 * The config `study` runs when none is named: ./configs/quick.json5 where it exists (this repository,
 * or a project that keeps its own), else the one bundled with the package.
 */
export function defaultStudyConfig(cwd: string = process.cwd()): { file: string; bundled: boolean } {
  if (existsSync(resolve(cwd, DEFAULT_STUDY_CONFIG))) return { file: DEFAULT_STUDY_CONFIG, bundled: false };
  return { file: join(PACKAGE_ROOT, DEFAULT_STUDY_CONFIG), bundled: true };
}

/**
 * The `$schema` a config written into `configDir` should carry: a relative path to this package's
 * schema when Node would find the package from there (it lives in node_modules of configDir or of a
 * folder above it, or configDir is inside the package itself), else a file: URL of that schema (the
 * package is not published, so its `$id` URL does not resolve, and an editor may be offline).
 */
export function schemaReference(configDir: string): string {
  const dir = resolve(configDir);
  const parent = dirname(PACKAGE_ROOT);
  const homes = [PACKAGE_ROOT];
  if (parent.endsWith(`${sep}node_modules`)) homes.push(dirname(parent));
  const reachable = homes.some((home) => dir === home || dir.startsWith(home + sep));
  if (!reachable) return pathToFileURL(SCHEMA_FILE).href;
  const path = relative(dir, SCHEMA_FILE).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
}
