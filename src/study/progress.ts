// Progress on stderr: a live line on a TTY (runs done/total, steps/s, ETA), plain periodic lines
// otherwise, nothing when quiet. The ETA weighs runs by their work (flopsPerStep × steps): a grid
// over d holds runs hundreds of times the cost of others, so counting runs or steps misleads.
import type { Engine } from "../pool/engine.js";

const TTY_INTERVAL_MS = 250;
const PLAIN_INTERVAL_MS = 10_000;

export class Progress {
  private done = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = performance.now();
  private readonly isTty: boolean;

  constructor(
    private readonly engine: Pick<Engine, "stepsDone" | "flopsDone">,
    private readonly totalRuns: number,
    /** The work of all the runs to do, in flops (plannedFlops). */
    private readonly totalFlops: number,
    private readonly quiet: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.isTty = Boolean(stream.isTTY);
  }

  start(): void {
    if (this.quiet || this.totalRuns === 0) return;
    this.timer = setInterval(() => this.print(), this.isTty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS);
    this.timer.unref();
  }

  runDone(): void {
    this.done++;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.quiet || this.totalRuns === 0) return;
    this.print();
    if (this.isTty) this.stream.write("\n");
  }

  line(): string {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const steps = this.engine.stepsDone();
    const rate = seconds > 0 ? steps / seconds : 0;
    const eta = formatDuration(etaSeconds(this.totalFlops, this.engine.flopsDone(), seconds));
    const width = 24;
    const filled = Math.round((width * this.done) / this.totalRuns);
    const bar = this.isTty ? `[${"#".repeat(filled)}${".".repeat(width - filled)}] ` : "";
    return `${bar}runs ${this.done}/${this.totalRuns} · ${Math.round(rate).toLocaleString("en-US")} steps/s · elapsed ${formatDuration(seconds)} · ETA ${eta}`;
  }

  private print(): void {
    if (this.isTty) this.stream.write(`\r${this.line()}\x1b[K`);
    else this.stream.write(`${this.line()}\n`);
  }
}

/** Seconds left: the work left at the rate the work done so far went (NaN before any is done). */
export function etaSeconds(totalFlops: number, flopsDone: number, elapsedSeconds: number): number {
  return flopsDone > 0 ? (Math.max(0, totalFlops - flopsDone) * elapsedSeconds) / flopsDone : NaN;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
