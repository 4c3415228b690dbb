// Flag values yargs lets through that would be misread: a single-valued flag given twice (yargs
// makes an array of it), and a switch given a value that is not true/false (`--fresh=maybe`, which
// yargs reads as false). Both are bad input naming the flag.
import { InputError } from "../config/inputError.js";

/** Flags that may be given more than once, beyond those declared `array`. */
const REPEATABLE = new Set(["set", "grid"]);

export function checkFlagValues(args: readonly string[], argv: Record<string, unknown>, options: { array: string[]; boolean: string[] }): void {
  const arrays = new Set([...options.array, ...REPEATABLE]);
  for (const [key, value] of Object.entries(argv)) {
    // yargs also lists a kebab-case flag under its camelCase name; report the name as typed.
    if (key === "_" || key === "$0" || /[A-Z]/.test(key) && key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) in argv) continue;
    if (Array.isArray(value) && !arrays.has(key)) {
      throw new InputError(`--${key} was given more than once (${value.map((v) => JSON.stringify(v)).join(", ")}); give it once`, { key });
    }
  }
  for (const arg of args) {
    const m = /^--([^=]+)=(.*)$/.exec(arg);
    if (m === null || !options.boolean.includes(m[1])) continue;
    if (m[2] !== "true" && m[2] !== "false") {
      throw new InputError(`--${m[1]} is a switch: give --${m[1]} (or --${m[1]}=true / --${m[1]}=false, or --no-${m[1]}), got '${arg}'`, { key: m[1] });
    }
  }
}
