// The machine a benchmark ran on: what a reader needs to compare two throughput numbers.
import { readFileSync } from "node:fs";
import { arch, availableParallelism, cpus, platform } from "node:os";

export interface MachineInfo {
  /** CPU model of the first core, as the OS reports it. */
  cpu: string;
  /** os.availableParallelism(): the threads this process may run at once. */
  cores: number;
  /** Node version, e.g. "v20.19.0". */
  node: string;
  platform: string;
  arch: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model?.trim() || "unknown",
    cores: availableParallelism(),
    node: process.version,
    platform: platform(),
    arch: arch(),
  };
}

/** Busy and total CPU seconds of the whole machine since boot, from /proc/stat (Linux), else undefined. */
function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
    if (fields.length < 5 || fields.some((x) => !Number.isFinite(x))) return undefined;
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = fields[3] + fields[4]; // idle + iowait
    return { busy: (total - idle) / USER_HZ, total: total / USER_HZ };
  } catch {
    return undefined;
  }
}

/** /proc/stat counts in USER_HZ ticks, 100 per second on every Linux architecture Node runs on. */
const USER_HZ = 100;

/**
 * Measures the share of all cores that *other* processes keep busy between `start()` and `stop()`:
 * machine busy time minus this process's own CPU time (all its threads, workers included), over
 * machine total time. undefined off Linux or over too short an interval to tell.
 */
export class OthersBusyMeter {
  private m0 = machineCpuSeconds();
  private c0 = process.cpuUsage();

  start(): void {
    this.m0 = machineCpuSeconds();
    this.c0 = process.cpuUsage();
  }

  /** Share in [0, 1]; `childCpuSeconds` adds CPU time of a child process to this process's own. */
  stop(childCpuSeconds = 0): number | undefined {
    const m1 = machineCpuSeconds();
    const c = process.cpuUsage(this.c0);
    if (this.m0 === undefined || m1 === undefined || m1.total - this.m0.total < 0.02) return undefined;
    const ours = (c.user + c.system) / 1e6 + childCpuSeconds;
    return Math.min(1, Math.max(0, (m1.busy - this.m0.busy - ours) / (m1.total - this.m0.total)));
  }
}
