// The flags that choose how `report` and `export --what pivot` lay out a study (issue 22): the
// pivot tables' rows and columns, the figures' colour key, facet key and step axis. They are
// checked against the study's grid once it is read (config/viewOptions.ts), so a bad value exits 2
// naming the flag and the grid keys allowed.
import type { Argv } from "yargs";
import { STEP_AXES, VIEW_KEYS, type ViewOptions } from "../config/viewOptions.js";

export function pivotFlags<T>(yargs: Argv<T>) {
  return yargs
    .option("rows", { type: "string", describe: "grid key whose values are the pivot tables' rows (default: the key with the most values)" })
    .option("cols", { type: "string", describe: "grid key whose values are the pivot tables' columns (default: the next)" });
}

export function figureFlags<T>(yargs: Argv<T>) {
  return pivotFlags(yargs)
    .option("colour", { type: "string", alias: "color", describe: "grid key that colours the figures' lines (default: the key with the most values)" })
    .option("facet", { type: "string", describe: "grid key with one panel per value, or 'none' (default: the next key when a panel would hold more than 6 lines)" })
    // not `choices`: a bad value must name the flag and exit 2 like the others, checked with them
    .option("x", { type: "string", describe: `the step axis: ${STEP_AXES.join(" | ")} (default: symlog from 100 steps, else linear)` });
}

/** The view flags given on the command line. */
export function viewOptionsOf(argv: Record<string, unknown>): ViewOptions {
  const options: ViewOptions = {};
  for (const key of VIEW_KEYS) if (typeof argv[key] === "string") (options as Record<string, string>)[key] = argv[key] as string;
  return options;
}
