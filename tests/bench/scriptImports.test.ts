// The measurement scripts (bench/*.mjs, scripts/*.mjs) import compiled modules by path at run time
// (`await dist("analysis/summary.js")`), which neither tsc nor knip can follow: check here that every
// name they take from dist/ is still exported, so narrowing an export cannot silently break a script.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

const scripts = ["bench", "scripts"].flatMap((dir) =>
  readdirSync(`${root}${dir}`, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".mjs")).map((e) => `${dir}/${e.name}`),
);

/** The names a script takes from each dist module: `const { a, b: c } = await dist("m.js")` and `const m = await dist("m.js")` … `m.a`. */
function distImports(source: string): Array<{ module: string; names: string[] }> {
  const out: Array<{ module: string; names: string[] }> = [];
  for (const m of source.matchAll(/const \{([^}]*)\} = await dist\("([^"]+)"\)/g)) {
    out.push({ module: m[2], names: m[1].split(",").map((x) => x.trim().split(":")[0].trim()).filter(Boolean) });
  }
  for (const m of source.matchAll(/const (\w+) = await dist\("([^"]+)"\)/g)) {
    out.push({ module: m[2], names: [...new Set([...source.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, "g"))].map((u) => u[1]))] });
  }
  return out;
}

describe("bench and scripts import only what dist/ exports", () => {
  it("finds the scripts' dist imports", () => {
    expect(distImports(readFileSync(`${root}bench/calibration.mjs`, "utf8")).map((i) => i.module)).toContain("analysis/summary.js");
  });
  for (const script of scripts) {
    it(script, async () => {
      for (const { module, names } of distImports(readFileSync(`${root}${script}`, "utf8"))) {
        const exported = Object.keys(await import(`${root}dist/${module}`));
        for (const name of names) expect(exported, `${script}: ${name} from dist/${module}`).toContain(name);
      }
    });
  }
});
