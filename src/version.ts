// The package version, read once from package.json (the same file from src/ under vitest and dist/).
import { readFileSync } from "node:fs";

export const VERSION: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
