// A reusable, abortable barrier for the shards of one run, on an Int32Array in shared memory.
// Arrivals spin on Atomics.load for a bounded while before sleeping in Atomics.wait: a round that
// goes straight to wait/notify costs an order of magnitude more than a spinning one (SPEC §3 gives both).
import { Control } from "./layout.js";

/** Thrown in the shards that were waiting when another shard (or the main thread) aborted the run. */
export class BarrierAbortedError extends Error {
  static readonly MESSAGE = "run aborted: another shard failed or the run was cancelled";
  constructor() {
    super(BarrierAbortedError.MESSAGE);
    this.name = "BarrierAbortedError";
  }
}

/** Spins before sleeping; bounded so oversubscribed threads (more shards than cores) still yield. */
const SPIN_LIMIT = 20_000;
/** A sleeping waiter re-checks the abort flag at least this often, even if a notify were lost. */
const WAIT_TIMEOUT_MS = 200;

export class Barrier {
  constructor(
    private readonly control: Int32Array,
    private readonly parties: number,
  ) {}

  /** Blocks until all `parties` have arrived; throws BarrierAbortedError if the run is aborted. */
  arrive(): void {
    const c = this.control;
    if (Atomics.load(c, Control.aborted) !== 0) throw new BarrierAbortedError();
    if (this.parties === 1) return;
    const generation = Atomics.load(c, Control.barrierGeneration);
    if (Atomics.add(c, Control.barrierCount, 1) === this.parties - 1) {
      // last to arrive: reset the count, then open the next generation
      Atomics.store(c, Control.barrierCount, 0);
      Atomics.add(c, Control.barrierGeneration, 1);
      Atomics.notify(c, Control.barrierGeneration);
      return;
    }
    for (let spin = 0; spin < SPIN_LIMIT; spin++) {
      if (Atomics.load(c, Control.barrierGeneration) !== generation) return this.checkAborted();
    }
    while (Atomics.load(c, Control.barrierGeneration) === generation) {
      Atomics.wait(c, Control.barrierGeneration, generation, WAIT_TIMEOUT_MS);
    }
    this.checkAborted();
  }

  private checkAborted(): void {
    if (Atomics.load(this.control, Control.aborted) !== 0) throw new BarrierAbortedError();
  }
}

/** Aborts a run: every shard waiting at (or next arriving at) its barrier throws. Safe from any thread. */
export function abortRun(control: Int32Array): void {
  Atomics.store(control, Control.aborted, 1);
  Atomics.add(control, Control.barrierGeneration, 1);
  Atomics.notify(control, Control.barrierGeneration);
}

/** True for a BarrierAbortedError, also after it crossed a thread (which keeps only the message). */
export function isBarrierAbort(err: unknown): boolean {
  return err instanceof Error && err.message === BarrierAbortedError.MESSAGE;
}
