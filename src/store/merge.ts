// `merge`: joins the runs of the shards of one study (SPEC §4) — one directory per machine, or
// several shard files copied into one directory — into a single runs.jsonl, so that the summary
// computed from it equals that of an unsharded run.
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { canonicalJson } from "./configHash.js";
import { DEFAULT_RUNS_FILE, isRunsFileName, readResolvedConfigFile, RESOLVED_CONFIG_FILE, shortHash, writeFileAtomic, writeResolvedConfig } from "./resultsDir.js";
import type { RunRecord } from "./runRecord.js";
import { readRunsFile, runKey } from "./runsFile.js";

/**
 * Canonical order of runs: by condition, comparing the grid keys in sorted order — numbers
 * numerically (so λ = 0, 0.5, 1 and not the string order of their JSON), other values by their
 * canonical JSON — then by seed numerically. The same order whatever machine or shard a run came
 * from; it is the order of a study's runs.jsonl only when its grid values are listed ascending.
 */
export function compareRunRecords(a: RunRecord, b: RunRecord): number {
  return compareConditions(a.condition, b.condition) || a.seed - b.seed;
}

function compareConditions(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const va = a[key];
    const vb = b[key];
    if (typeof va === "number" && typeof vb === "number") {
      if (va !== vb) return va - vb;
      continue;
    }
    // A key missing from one condition sorts it first; never the case within one study.
    const ja = va === undefined ? "" : canonicalJson(va);
    const jb = vb === undefined ? "" : canonicalJson(vb);
    if (ja !== jb) return ja < jb ? -1 : 1;
  }
  return 0;
}

/**
 * What a run computed, leaving out how long it took and on what engine: results are bitwise
 * identical across threads and shards (SPEC §3), so the same pair run on two machines is a harmless
 * duplicate even though its wallMs and engine differ.
 */
function resultOf(record: RunRecord): string {
  const { wallMs: _wallMs, engine: _engine, ...result } = record;
  return canonicalJson(result);
}

/**
 * Reads every runs*.jsonl in each of `dirs` (torn last lines dropped with a warning; the inputs are
 * never modified), checks that all were made with the same config, keeps one record per
 * (condition, seed) — the first met, dirs in the given order and files by name, with a warning when
 * another copy computed something different — and writes `out/runs.jsonl` (canonical order, see
 * compareRunRecords) and `out/config.resolved.json`, both atomically. `out` may be one of `dirs`.
 * Returns the merged records for the caller to summarise.
 */
export function mergeResultsDirs(dirs: readonly string[], out: string): { records: RunRecord[]; warnings: string[] } {
  if (dirs.length === 0) throw new InputError("merge: no results directories given");

  // All checks first, so a refused merge writes nothing.
  let reference: { dir: string; hash: string; config: unknown } | undefined;
  for (const dir of dirs) {
    const resolved = readResolvedConfigFile(dir);
    if (resolved === null) {
      throw new InputError(`${dir}: no ${RESOLVED_CONFIG_FILE} (is this a results directory of a study?)`, { file: join(dir, RESOLVED_CONFIG_FILE) });
    }
    if (reference === undefined) reference = { dir, ...resolved };
    else if (resolved.hash !== reference.hash) {
      throw new InputError(
        `${reference.dir} and ${dir} were made with different configs (hash ${shortHash(reference.hash)} vs ${shortHash(resolved.hash)}); only shards of one study can be merged`,
        { file: join(dir, RESOLVED_CONFIG_FILE) },
      );
    }
  }
  if (reference === undefined) throw new Error("unreachable: dirs is not empty");
  // Writing into a directory that holds another study's results would mix the two.
  const outConfig = readResolvedConfigFile(out);
  if (outConfig !== null && outConfig.hash !== reference.hash) {
    throw new InputError(
      `${out}: holds results of a different config (hash ${shortHash(outConfig.hash)} vs ${shortHash(reference.hash)}); merge into another --out directory`,
      { file: join(out, RESOLVED_CONFIG_FILE) },
    );
  }

  const warnings: string[] = [];
  const kept = new Map<string, { record: RunRecord; result: string; source: string }>();
  for (const dir of dirs) {
    const names = readdirSync(dir).filter(isRunsFileName).sort();
    if (names.length === 0) warnings.push(`${dir}: no runs*.jsonl files`);
    for (const name of names) {
      const file = join(dir, name);
      const read = readRunsFile(file);
      warnings.push(...read.warnings);
      for (const record of read.records) {
        const key = runKey(record.condition, record.seed);
        const result = resultOf(record);
        const first = kept.get(key);
        if (first === undefined) kept.set(key, { record, result, source: file });
        else if (first.result !== result) {
          warnings.push(`${file}: run ${key} differs from the copy in ${first.source}; kept the one from ${first.source}`);
        }
      }
    }
  }
  const records = [...kept.values()].map((k) => k.record).sort(compareRunRecords);

  mkdirSync(out, { recursive: true });
  writeFileAtomic(join(out, DEFAULT_RUNS_FILE), records.map((r) => JSON.stringify(r) + "\n").join(""));
  writeResolvedConfig(out, reference.hash, reference.config);
  return { records, warnings };
}
