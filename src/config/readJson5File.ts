// Reading a JSON5 file (a study config, a thresholds file): one message for a missing file, a
// directory, a syntax error (at line:column) or nesting too deep to validate.
import { readFileSync } from "node:fs";
import JSON5 from "json5";
import { checkNestingDepth } from "./feasibility.js";
import { InputError } from "./inputError.js";

/** Reads and parses a JSON5 file; errors name the file (and line:column for syntax errors). */
export function readJson5File(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : (error as Error).message;
    throw new InputError(`${file}: ${problem}`, { file });
  }
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
