// Ctrl-C / SIGTERM: abort the running runs (finished ones are already kept), then exit 130.
import { RunCancelledError } from "../pool/engine.js";

export class InterruptedError extends Error {
  constructor(readonly signalName: string) {
    super(`interrupted by ${signalName}: finished runs are kept; run the same command again to resume`);
    this.name = "InterruptedError";
  }
}

/** Runs `work` with an AbortSignal that fires on SIGINT or SIGTERM; rethrows a cancellation as InterruptedError. */
export async function runWithInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: string | null = null;
  const onSignal = (name: string) => () => {
    received = name;
    controller.abort();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  try {
    return await work(controller.signal);
  } catch (err) {
    if (received !== null && (err instanceof RunCancelledError || controller.signal.aborted)) throw new InterruptedError(received);
    throw err;
  } finally {
    process.removeListener("SIGINT", onInt);
    process.removeListener("SIGTERM", onTerm);
  }
}
