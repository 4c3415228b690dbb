// Many seeds of configs/ci.json5 at a learning rate, run once as one study (the CLI resumes a
// directory it already filled) and read back: the seed pools that bench/gate-power.mjs and
// bench/calibration.mjs subsample. Needs dist/ (npm run build).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import JSON5 from "json5";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);

/** configs/ci.json5 with base.lr = `lr` and seeds 0 … seeds−1, run into results/pools/<name>/ (resumed when there). */
export function ciPool(lr, seeds, threads) {
  const config = JSON5.parse(readFileSync(join(root, "configs/ci.json5"), "utf8"));
  delete config.$schema;
  config.name = `ci-lr${lr}-seeds${seeds}`;
  config.base = { ...config.base, lr };
  config.seeds = seeds;
  const dir = join(root, "results/pools", config.name);
  mkdirSync(dir, { recursive: true });
  const file = join(dirname(dir), `${config.name}.json5`);
  writeFileSync(file, JSON.stringify(config, null, 1));
  const started = performance.now();
  const args = [join(root, "bin/shortcut-bench.js"), "study", file, "--out", dir, "--quiet", ...(threads ? ["--threads", String(threads)] : [])];
  const result = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error(`study ${file} failed (exit ${result.status})`);
  return { dir, file, seconds: (performance.now() - started) / 1000 };
}

/**
 * The distinct seeds of `records`, ascending. runs.jsonl holds runs in the order they finished, which
 * differs from one pool run to the next; seeded draws must start from an order that does not.
 */
export function sortedSeeds(records) {
  return [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
}

/** The number after `--name` on the command line, or `fallback`. */
export function numberFlag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

/** A seeded sample of k distinct items of `items` (partial Fisher–Yates over StreamRandom). */
export function sampleDistinct(items, k, rng) {
  const pool = [...items];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}
