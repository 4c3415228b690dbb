#!/usr/bin/env node
// Entry point of the `shortcut-bench` bin: the compiled CLI in dist/ (shipped built in the package;
// in a clone of the repository, `npm run build` or `npm test` makes it).
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("shortcut-bench: error: dist/ is not built; in a clone of the repository run `npm run build` (or `npm test`, which builds first)\n");
  process.exit(2);
}
const { main } = await import(cli.href);

// `shortcut-bench … | head`: the reader left; stop quietly instead of crashing on EPIPE.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
