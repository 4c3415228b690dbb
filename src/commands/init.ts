// `shortcut-bench init [dir]`: writes a starter study config whose `$schema` resolves from where it
// is written, so an editor completes and checks its keys in the user's own project.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import JSON5 from "json5";
import type { Argv } from "yargs";
import { InputError } from "../config/inputError.js";
import { parseStudyConfig } from "../config/studyConfig.js";
import { RESOLVED_CONFIG_FILE, writeFileAtomic } from "../store/resultsDir.js";
import { schemaReference } from "../packageFiles.js";
import { EXIT_OK } from "./exitCodes.js";

export function initCommandBuilder(yargs: Argv) {
  return yargs
    .positional("dir", { type: "string", default: ".", describe: "folder to write the config into (made if missing)" })
    .option("name", { type: "string", default: "study", describe: "study name: the file is <dir>/<name>.json5, its results go to reports/<name>/" })
    .option("force", { type: "boolean", default: false, describe: "overwrite an existing <dir>/<name>.json5" });
}

/** The starter config's text: the bundled quick study, with comments saying what each part does. */
export function starterConfig(name: string, schema: string): string {
  return `// A shortcut-bench study: each combination of the grid's values is a condition, run once per seed.
// Run it with \`npx shortcut-bench study <this file>\`; the results go to reports/${name}/ (or --out DIR).
// Every model key, its default and range: npx shortcut-bench run --help
{
  $schema: ${JSON.stringify(schema)},
  name: ${JSON.stringify(name)},
  description: "λ ∈ {0, 0.5, 1}: XOR alone is learned; full correlation leaves the minority groups unlearned.",
  // Model keys shared by every condition (unset keys take their defaults).
  base: { d: 128, width: 128, steps: 2000 },
  // Model key → values; the conditions are their cartesian product.
  grid: { lambda: [0, 0.5, 1] },
  // A count n (seeds 0 … n−1) or a list of seeds.
  seeds: 10,
  // Rules checked by \`study --check\` and \`check\`.
  checks: [
    { where: { lambda: 0 }, metric: "events.signal.reachedFraction", op: ">=", value: 0.9, description: "XOR alone is learned" },
    { where: { lambda: 1 }, metric: "final.wga.mean", op: "<=", value: 0.1, description: "worst-group accuracy stays near 0" },
  ],
}
`;
}

export async function initCommand(argv: Record<string, unknown>): Promise<number> {
  const dir = argv.dir as string;
  const name = argv.name as string;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new InputError(`--name: letters, digits, '.', '_' and '-' only (it names a file and a folder), got '${name}'`, { key: "name" });
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new InputError(`${dir}: not a directory; init writes ${name}.json5 into the directory given (default: the current one)`, { file: dir });
  }
  // A results directory is the tool's alone: a config written there would be a foreign file in it.
  if (existsSync(join(dir, RESOLVED_CONFIG_FILE))) {
    throw new InputError(`${dir}: a results directory (it holds ${RESOLVED_CONFIG_FILE}); write the config elsewhere, e.g. 'init .'`, { file: dir });
  }
  const file = join(dir, `${name}.json5`);
  if (existsSync(file) && !argv.force) throw new InputError(`${file}: already exists; use --force to overwrite it, or --name another`, { file });
  const text = starterConfig(name, schemaReference(dir));
  parseStudyConfig(JSON5.parse(text), file); // the starter is a valid config, or nothing is written
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, text);
  process.stdout.write(`wrote ${file}\nrun it with: npx shortcut-bench study ${file}\n`);
  return EXIT_OK;
}
