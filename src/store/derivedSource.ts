// summary.json and event-steps.json are caches: what the runs of runs.jsonl become under the config
// of config.resolved.json. Each carries where it came from (`source`: the study's name, its study
// hash, the content hash of its config, the count and the hash of the runs) and an `integrity` hash
// of its own content, so that a cache copied from another study, left over from before a study grew,
// built from other runs or edited by hand is told from a current one — and rebuilt from runs.jsonl
// where that is there, refused where it is not (study/derivedFiles.ts).
import { createHash } from "node:crypto";
import { isPlainObject } from "../config/validateParams.js";
import { canonicalJson } from "./configHash.js";
import { compareRunRecords } from "./runOrder.js";
import type { RunRecord } from "./runRecord.js";
import { resultOf } from "./runSet.js";

export interface DerivedSource {
  name: string;
  /** config.resolved.json's `hash`. */
  studyHash: string;
  /** config.resolved.json's `contentHash`: its grid, seeds and checks as they were. */
  contentHash: string;
  /** The counted runs the file was built from. */
  runs: number;
  /** SHA-256 over what each of those runs computed (resultOf), in the canonical order. */
  runsHash: string;
}

/** The hash of the runs a cache is built from: independent of their order in the file, and of wall times. */
export function runsHash(records: readonly RunRecord[]): string {
  const hash = createHash("sha256");
  for (const record of [...records].sort(compareRunRecords)) hash.update(resultOf(record)).update("\n");
  return hash.digest("hex");
}

/** SHA-256 of the canonical JSON of `content` without its `integrity` key. */
function integrityOf(content: Record<string, unknown>): string {
  const { integrity: _integrity, ...rest } = content;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/** `content` with its integrity hash as the last key. */
export function sealed<T extends object>(content: T): T & { integrity: string } {
  return { ...content, integrity: integrityOf(content as Record<string, unknown>) };
}

/**
 * What makes the parsed cache `found` not one built from `expected` (in words), or null when it is:
 * its integrity first (an edit), then its source, field by field. Without runs.jsonl the runs are
 * not known (`runs`, `runsHash` absent) and only the study and its config are compared.
 */
export function cacheProblem(found: unknown, expected: Omit<DerivedSource, "runs" | "runsHash"> & Partial<DerivedSource>): string | null {
  if (!isPlainObject(found)) return "not a JSON object";
  if (typeof found.integrity !== "string") return "carries no integrity hash (written by an earlier shortcut-bench, or not by it)";
  if (found.integrity !== integrityOf(found)) return "does not match its integrity hash (edited after it was written)";
  const source = found.source;
  if (!isPlainObject(source)) return "says nothing of the runs it was built from";
  if (source.name !== expected.name || source.studyHash !== expected.studyHash) {
    return `built from study '${String(source.name)}' (hash ${String(source.studyHash).slice(0, 12)}…), not this one`;
  }
  if (source.contentHash !== expected.contentHash) return "built under another config.resolved.json (the study grew, shrank or changed since: its summary is out of date)";
  if (expected.runs === undefined) return null;
  if (source.runs !== expected.runs) return `built from ${String(source.runs)} runs; runs.jsonl holds ${expected.runs}`;
  if (source.runsHash !== expected.runsHash) return "built from other runs than runs.jsonl holds";
  return null;
}
