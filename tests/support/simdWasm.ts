// The SIMD kernel's tests load dist/kernel/simd/*.wasm: assemble them (scripts/build-wasm.mjs, which
// writes each atomically, so concurrent test workers are safe) when `name`.wasm is missing or older
// than its source.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function assembleSimdWasm(name: string): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const wat = `${root}src/kernel/simd/${name}.wat`;
  const wasm = `${root}dist/kernel/simd/${name}.wasm`;
  if (!existsSync(wasm) || statSync(wasm).mtimeMs < statSync(wat).mtimeMs) {
    execFileSync(process.execPath, [`${root}scripts/build-wasm.mjs`], { stdio: "pipe" });
  }
}
