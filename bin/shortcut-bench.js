#!/usr/bin/env node
// Entry point of the `shortcut-bench` bin: the compiled CLI in dist/ (built by `npm ci` / `npm run build`).
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2));
