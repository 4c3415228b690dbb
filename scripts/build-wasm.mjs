#!/usr/bin/env node
// Assembles the WebAssembly text sources of the SIMD kernels (src/kernel/simd/*.wat) into
// dist/kernel/simd/*.wasm with wabt (a devDependency, pure JavaScript: no native toolchain).
// Run from anywhere: `node scripts/build-wasm.mjs`. Exits 1 with the assembler's message on error.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(root, "src", "kernel", "simd");
const outDir = join(root, "dist", "kernel", "simd");

const wabt = await wabtInit();
mkdirSync(outDir, { recursive: true });
let failed = false;
for (const name of readdirSync(srcDir).filter((f) => f.endsWith(".wat")).sort()) {
  const source = readFileSync(join(srcDir, name)); // bytes: wabt mis-sizes non-ASCII strings
  let mod;
  try {
    mod = wabt.parseWat(name, source, { simd: true, multi_value: true });
    mod.resolveNames();
    mod.validate();
    const { buffer } = mod.toBinary({ write_debug_names: true });
    if (!WebAssembly.validate(buffer)) throw new Error("this Node rejects the module (is WebAssembly SIMD enabled?)");
    const out = join(outDir, name.replace(/\.wat$/, ".wasm"));
    // write then rename, so a test worker that loads the module never sees half a file
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, buffer);
    renameSync(tmp, out);
    console.log(`build-wasm: ${join("src", "kernel", "simd", name)} -> ${out.slice(root.length + 1)} (${buffer.length} bytes)`);
  } catch (err) {
    failed = true;
    console.error(`build-wasm: ${name}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    mod?.destroy();
  }
}
process.exit(failed ? 1 : 0);
