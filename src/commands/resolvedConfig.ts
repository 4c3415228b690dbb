// Reads config.resolved.json, the config a results directory was made from ({ hash, config }).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import type { ResolvedStudyConfig } from "./studyOutputs.js";

export function readResolvedConfig(dir: string): { hash: string; config: ResolvedStudyConfig } {
  const file = join(dir, "config.resolved.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (is this a results directory?)" : (err as Error).message;
    throw new InputError(`${file}: ${why}`, { file });
  }
  const p = parsed as { hash?: unknown; config?: Partial<ResolvedStudyConfig> };
  if (typeof p.hash !== "string" || typeof p.config !== "object" || p.config === null || typeof p.config.name !== "string") {
    throw new InputError(`${file}: not a config.resolved.json written by shortcut-bench (needs 'hash' and 'config')`, { file });
  }
  return { hash: p.hash, config: p.config as ResolvedStudyConfig };
}
