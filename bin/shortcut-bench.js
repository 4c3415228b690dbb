#!/usr/bin/env node
// Entry point of the `shortcut-bench` bin: the compiled CLI in dist/ (built by `npm ci` / `npm run build`).
import { main } from "../dist/cli.js";

// `shortcut-bench … | head`: the reader left; stop quietly instead of crashing on EPIPE.
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
