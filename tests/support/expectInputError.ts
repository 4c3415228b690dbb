// Bad input must be an InputError (exit 2) whose message says what was wrong.
import { expect } from "vitest";
import { InputError } from "../../src/config/inputError.js";

/** Runs `fn`, expects it to throw an InputError whose message matches `pattern`, and returns it. */
export function expectInputError(fn: () => unknown, pattern: RegExp): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(pattern);
    return err as InputError;
  }
  throw new Error(`expected an InputError matching ${pattern}`);
}
