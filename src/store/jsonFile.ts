// Reading one of the tool's JSON files (config.resolved.json, summary.json, event-steps.json): a
// missing or unreadable file, or text that is not JSON, is an InputError naming the file; what to do
// about a missing one is the caller's to say.
import { readFileSync } from "node:fs";
import { InputError } from "../config/inputError.js";

/** The parsed content of `file`; `whenMissing` is the message when there is no such file. */
export function readJsonFile(file: string, whenMissing: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? whenMissing : (err as Error).message;
    throw new InputError(`${file}: ${why}`, { file });
  }
}
