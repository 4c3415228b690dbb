// NumPy's .npy format, version 1.0 (numpy.lib.format): the magic "\x93NUMPY", version 1.0, a
// little-endian u16 header length, an ASCII Python-dict header padded with spaces to a multiple of
// 64 bytes and ended by "\n", then the raw array. Written here for float32 ('<f4', C order) only: what
// numpy.load reads directly (and torch.from_numpy(numpy.load(f)) into PyTorch without a copy).
import { InputError } from "../config/inputError.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const PREAMBLE = MAGIC.length + 4; // magic, major, minor, u16 header length

/** The bytes of a .npy file holding `values` as a float32 array of `shape` (C order). */
export function encodeNpyFloat32(values: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((n, s) => n * s, 1);
  if (count !== values.length) throw new RangeError(`npy: shape (${shape.join(", ")}) holds ${count} values, got ${values.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const padded = Math.ceil((PREAMBLE + header.length + 1) / 64) * 64;
  header = header.padEnd(padded - PREAMBLE - 1, " ") + "\n";
  const bytes = new Uint8Array(padded + 4 * values.length);
  bytes.set(MAGIC, 0);
  bytes[6] = 1; // major
  bytes[7] = 0; // minor
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[PREAMBLE + i] = header.charCodeAt(i);
  for (let i = 0; i < values.length; i++) view.setFloat32(padded + 4 * i, values[i], true);
  return bytes;
}

/** Reads a float32 .npy file's bytes (as `encodeNpyFloat32` writes them); `file` names it in errors. */
export function decodeNpyFloat32(bytes: Uint8Array, file: string): { values: Float32Array; shape: number[] } {
  const bad = (why: string): never => {
    throw new InputError(`${file}: not a float32 .npy file (${why})`, { file });
  };
  if (bytes.length < PREAMBLE || MAGIC.some((b, i) => bytes[i] !== b)) bad("no \\x93NUMPY magic");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[6] !== 1) bad(`version ${bytes[6]}.${bytes[7]}, expected 1.0`);
  const headerLength = view.getUint16(8, true);
  const header = String.fromCharCode(...bytes.subarray(PREAMBLE, PREAMBLE + headerLength));
  if (!/'descr':\s*'<f4'/.test(header)) bad(`header ${header.trim()}: descr must be '<f4'`);
  if (!/'fortran_order':\s*False/.test(header)) bad("Fortran order");
  const dims = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (dims === null) bad("no shape");
  const shape = (dims as RegExpExecArray)[1].split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  const count = shape.reduce((n, s) => n * s, 1);
  const start = PREAMBLE + headerLength;
  if (bytes.length !== start + 4 * count) bad(`${bytes.length - start} data bytes for shape (${shape.join(", ")})`);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(start + 4 * i, true);
  return { values, shape };
}
