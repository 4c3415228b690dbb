// `bench` flags (SPEC §7): parsing with errors that name the flag, the rows they plan, and the
// command line that reproduces them.
import { availableParallelism } from "node:os";
import { InputError } from "../config/inputError.js";
import { keySpec } from "../config/modelKeys.js";
import { DEFAULT_KERNEL, KERNELS, type KernelName } from "../kernel/registry.js";
import { rowKey } from "./baseline.js";
import type { ShardsMode } from "./measure.js";
import { PEER_LIBRARIES, type PeerLibrary, type PeerSize } from "./peer.js";

export const DEFAULT_SIZES: readonly PeerSize[] = [
  { d: 64, width: 128, batch: 64 },
  { d: 128, width: 128, batch: 64 },
  { d: 256, width: 256, batch: 128 },
  { d: 512, width: 512, batch: 256 },
  { d: 1024, width: 1024, batch: 256 },
  // the high-dimensional regime of the paper's claim 3 (issue 21): wide inputs, narrow and wide nets
  { d: 4096, width: 128, batch: 64 },
  { d: 8192, width: 128, batch: 64 },
  { d: 8192, width: 512, batch: 256 },
];
const SHARDS_MODES: readonly ShardsMode[] = ["auto", "fixed"];

export interface BenchFlags {
  sizes: PeerSize[];
  threads: number[];
  modes: ShardsMode[];
  kernels: KernelName[];
  repeats: number;
  seconds: number;
  json: boolean;
  /** The peers to run after measuring (none without --peer). */
  peers: PeerLibrary[];
  baseline?: string;
  tolerance: number;
  markdown?: string;
}

function single(flag: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new InputError(`--${flag} was given more than once`, { key: flag });
  return String(raw);
}

function sizeBounds(key: "d" | "width" | "batch"): [number, number] {
  const spec = keySpec(key);
  return [spec?.min ?? 1, spec?.max ?? 65536];
}

/** Parses `--sizes "d,width,batch;d,width,batch"`; every error names --sizes. */
export function parseSizes(text: string | undefined): PeerSize[] {
  if (text === undefined) return DEFAULT_SIZES.map((s) => ({ ...s }));
  const parts = text.split(";").map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0) throw new InputError(`--sizes must list at least one d,width,batch, got '${text}'`, { key: "sizes" });
  const sizes: PeerSize[] = [];
  for (const part of parts) {
    const fields = part.split(",").map((f) => f.trim());
    if (fields.length !== 3) {
      throw new InputError(`--sizes: '${part}' must be three integers d,width,batch (sizes are separated by ';')`, { key: "sizes" });
    }
    const values = fields.map(Number);
    const names = ["d", "width", "batch"] as const;
    names.forEach((name, i) => {
      const [min, max] = sizeBounds(name);
      if (fields[i] === "" || !Number.isInteger(values[i]) || values[i] < min || values[i] > max) {
        throw new InputError(`--sizes: ${name} in '${part}' must be an integer in [${min}, ${max}], got '${fields[i]}'`, { key: "sizes" });
      }
    });
    const size = { d: values[0], width: values[1], batch: values[2] };
    if (!sizes.some((s) => s.d === size.d && s.width === size.width && s.batch === size.batch)) sizes.push(size);
  }
  return sizes;
}

export function formatSizes(sizes: readonly PeerSize[]): string {
  return sizes.map((s) => `${s.d},${s.width},${s.batch}`).join(";");
}

function parseList<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new InputError(`--${flag} must list at least one of ${allowed.join(", ")}, got '${text}'`, { key: flag });
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new InputError(`--${flag}: '${item}' is not one of ${allowed.join(", ")}`, { key: flag });
    }
  }
  return [...new Set(items as T[])];
}

/** Parses `--threads 1,2,4` (default 1 … available parallelism), ascending and without repeats. */
export function parseThreadsList(text: string | undefined): number[] {
  if (text === undefined) return Array.from({ length: availableParallelism() }, (_, i) => i + 1);
  const items = text.split(",").map((s) => s.trim());
  const out = items.map((item) => {
    const n = Number(item);
    if (item === "" || !Number.isInteger(n) || n < 1 || n > 1024) {
      throw new InputError(`--threads must be a comma list of integers in [1, 1024], got '${text}'`, { key: "threads" });
    }
    return n;
  });
  return [...new Set(out)].sort((a, b) => a - b);
}

function parseNumber(flag: string, text: string, ok: (x: number) => boolean, range: string, integer = false): number {
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x) || (integer && !Number.isInteger(x)) || !ok(x)) {
    throw new InputError(`--${flag} must be ${integer ? "an integer" : "a number"} in ${range}, got '${text}'`, { key: flag });
  }
  return x;
}

/** `--peer` alone (or `--peer true`) is NumPy; `--peer torch`, `--peer numpy,torch` name them. */
function parsePeers(raw: unknown): PeerLibrary[] {
  if (raw === undefined || raw === false || raw === "false") return [];
  const text = single("peer", raw);
  if (text === undefined || text === "" || text === "true") return ["numpy"];
  return parseList("peer", text, PEER_LIBRARIES);
}

export function parseBenchFlags(argv: Record<string, unknown>): BenchFlags {
  const markdown = single("markdown", argv.markdown);
  const baseline = single("baseline", argv.baseline);
  if (markdown === "") throw new InputError("--markdown needs a file name", { key: "markdown" });
  if (baseline === "") throw new InputError("--baseline needs a file name", { key: "baseline" });
  return {
    sizes: parseSizes(single("sizes", argv.sizes)),
    threads: parseThreadsList(single("threads", argv.threads)),
    modes: parseList("shards", single("shards", argv.shards) ?? "auto,fixed", SHARDS_MODES),
    kernels: parseList("kernel", single("kernel", argv.kernel) ?? DEFAULT_KERNEL, KERNELS),
    repeats: parseNumber("repeats", single("repeats", argv.repeats) ?? "5", (x) => x >= 1 && x <= 1000, "[1, 1000]", true),
    seconds: parseNumber("seconds", single("seconds", argv.seconds) ?? "0.5", (x) => x > 0 && x <= 600, "(0, 600]"),
    json: Boolean(argv.json),
    peers: parsePeers(argv.peer),
    baseline,
    tolerance: parseNumber("tolerance", single("tolerance", argv.tolerance) ?? "0.25", (x) => x >= 0 && x < 1, "[0, 1)"),
    markdown,
  };
}

/** The command line that reproduces a bench with these flags (for reports). */
export function benchCommandLine(flags: BenchFlags): string {
  const parts = [
    "shortcut-bench bench",
    `--sizes "${formatSizes(flags.sizes)}"`,
    `--threads ${flags.threads.join(",")}`,
    `--shards ${flags.modes.join(",")}`,
    `--kernel ${flags.kernels.join(",")}`,
    `--repeats ${flags.repeats}`,
    `--seconds ${flags.seconds}`,
  ];
  if (flags.peers.length > 0) parts.push(flags.peers.join(",") === "numpy" ? "--peer" : `--peer ${flags.peers.join(",")}`);
  if (flags.baseline !== undefined) parts.push(`--baseline ${flags.baseline} --tolerance ${flags.tolerance}`);
  if (flags.markdown !== undefined) parts.push(`--markdown ${flags.markdown}`);
  return parts.join(" ");
}

/** The rows a bench with these flags will produce, as baseline keys (S does not matter for matching). */
export function plannedKeys(flags: BenchFlags): string[] {
  return flags.threads.flatMap((threads) =>
    flags.sizes.flatMap((size) => flags.kernels.flatMap((kernel) => flags.modes.map((shardsMode) => rowKey({ ...size, threads, shardsMode, kernel })))),
  );
}

export function sizeLabel(s: PeerSize): string {
  return `${s.d},${s.width},${s.batch}`;
}
