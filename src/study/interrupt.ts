// Ctrl-C / SIGTERM: abort the running runs (finished ones are already kept), then exit 130 with a
// message, whatever the moment the signal comes (start-up, a run, writing the summary).
import { RunCancelledError } from "../pool/engine.js";

export class InterruptedError extends Error {
  constructor(readonly signalName: string) {
    super(`interrupted by ${signalName}`);
    this.name = "InterruptedError";
  }
}

/** The first SIGINT/SIGTERM received since installInterruptHandlers, or null. */
let received: string | null = null;
const controllers = new Set<AbortController>();

/**
 * For the CLI: from now on SIGINT and SIGTERM never kill the process mid-write; they abort the runs
 * in flight, and the command ends as soon as its current step (a synchronous write, a summary) is
 * done, through the normal exit path (locks released, no temporary file left).
 */
export function installInterruptHandlers(): void {
  const onSignal = (name: string) => () => {
    if (received !== null) {
      // A second signal: the user insists; leave now (process.exit still runs the 'exit' handlers).
      process.stderr.write(`shortcut-bench: ${name} again: stopping now; finished runs are kept\n`);
      process.exit(130);
    }
    received = name;
    for (const c of controllers) c.abort();
  };
  process.on("SIGINT", onSignal("SIGINT"));
  process.on("SIGTERM", onSignal("SIGTERM"));
}

/** The signal received so far (null: none). */
export function interruptReceived(): string | null {
  return received;
}

/** Runs `work` with an AbortSignal that fires on SIGINT or SIGTERM; rethrows a cancellation as InterruptedError. */
export async function runWithInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (received !== null) throw new InterruptedError(received);
  const controller = new AbortController();
  let local: string | null = null;
  const onSignal = (name: string) => () => {
    local = name;
    controller.abort();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  controllers.add(controller);
  try {
    return await work(controller.signal);
  } catch (err) {
    const name = received ?? local;
    if (name !== null && (err instanceof RunCancelledError || controller.signal.aborted)) throw new InterruptedError(name);
    throw err;
  } finally {
    controllers.delete(controller);
    process.removeListener("SIGINT", onInt);
    process.removeListener("SIGTERM", onTerm);
  }
}
