// Reading a JSON5 file (a study config, a thresholds file): one message for a missing file, a
// directory, a syntax error (at line:column) or nesting too deep to validate.
import JSON5 from "json5";
import { MiB, readInputFile } from "../store/ownFiles.js";
import { checkNestingDepth } from "./feasibility.js";
import { InputError } from "./inputError.js";

/** A config or thresholds file longer than this is not one (a grid of 10⁵ values fits in 2 MiB). */
const MAX_CONFIG_BYTES = 16 * MiB;

/** Reads and parses a JSON5 file; errors name the file (and line:column for syntax errors). */
export function readJson5File(file: string): unknown {
  // a regular file of bounded size: a pipe or a device is refused before a read could block or never end
  const text = readInputFile(file, MAX_CONFIG_BYTES, "config or rules file").toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON5.parse(text);
  } catch (error) {
    const { lineNumber, columnNumber, message } = error as SyntaxError & { lineNumber?: number; columnNumber?: number };
    if (lineNumber === undefined) throw new InputError(`${file}: ${message}`, { file });
    // json5 says "JSON5: invalid character ']' at 2:5"; the position goes up front, compiler style.
    const problem = message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    throw new InputError(`${file}:${lineNumber}:${columnNumber}: ${problem}`, { file });
  }
  checkNestingDepth(parsed, file); // before any validator walks it recursively
  return parsed;
}
