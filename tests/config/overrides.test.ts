// Command-line overrides (Hydra style): --set key=value, --grid key=a,b,c on study, comma lists on
// run's model flags, and run --out writing a results directory that report and check accept.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyOverrides, parseValueList } from "../../src/config/overrides.js";
import { parseStudyConfig } from "../../src/config/studyConfig.js";
import { commandLine } from "../../src/commands/commandLine.js";
import { expectInputError } from "../support/expectInputError.js";
import { runCli } from "../support/cliInProcess.js";

const work = mkdtempSync(join(tmpdir(), "shortcut-bench-overrides-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(args, { cwd: work });

const config = { name: "x", base: { d: 8, lr: 0.5 }, grid: { lambda: [0, 1] }, seeds: 2 };
const none = { set: [], grid: [] };

describe("applyOverrides", () => {
  it("--set replaces base values (bare key or base.key), seeds and name; --grid replaces or adds grid keys", async () => {
    const out = applyOverrides(config, { set: ["lr=0.4", "base.steps=500", "seeds=3", "name=y", "activation=leaky", "trainSize=null"], grid: ["lambda=0,0.25", "width=16,32"] });
    expect(out).toEqual({
      name: "y",
      base: { d: 8, lr: 0.4, steps: 500, activation: "leaky", trainSize: null },
      grid: { lambda: [0, 0.25], width: [16, 32] },
      seeds: 3,
    });
    expect(config.base.lr).toBe(0.5); // the input is left as it was
    // --grid on a key of base moves it to the grid; a later --set wins
    expect(applyOverrides(config, { set: ["lr=0.1", "lr=0.2"], grid: ["d=8,16"] })).toMatchObject({ base: { lr: 0.2 }, grid: { lambda: [0, 1], d: [8, 16] } });
    expect(applyOverrides(config, { set: ["seeds=[0, 3,7]"], grid: [] })).toMatchObject({ seeds: [0, 3, 7] });
    expect(applyOverrides(config, none)).toEqual(config);
  });

  it("changes the config the hash is made from: the overridden config validates like a written one", async () => {
    const parsed = parseStudyConfig(applyOverrides(config, { set: ["lr=0.4"], grid: ["lambda=0,0.5,1"] }), "x.json5");
    expect(parsed.base.lr).toBe(0.4);
    expect(parsed.grid.lambda).toEqual([0, 0.5, 1]);
  });

  it("refuses bad overrides with an error naming the flag", async () => {
    const cases: Array<[{ set: string[]; grid: string[] }, RegExp]> = [
      [{ set: ["lr"], grid: [] }, /^--set: expected key=value \(e\.g\. --set lr=0\.4 or --set base\.steps=500\), got 'lr'$/],
      [{ set: ["=1"], grid: [] }, /^--set: expected key=value/],
      [{ set: ["lrr=1"], grid: [] }, /^--set: unknown key 'lrr'; did you mean 'lr'\?/],
      [{ set: ["lr=fast"], grid: [] }, /^--set lr: must be a number in \(0, 1000000\], got "fast"$/],
      [{ set: ["lambda=0.3"], grid: [] }, /^--set lambda: 'lambda' is a grid key of this config \(values \[0,1\]\); use --grid lambda=… to replace its values$/],
      [{ set: ["seed=3"], grid: [] }, /^--set seed: the seed of each run comes from 'seeds'/],
      [{ set: ["seeds=many"], grid: [] }, /^--set seeds: expected a count \(seeds=20\) or a list of seeds/],
      [{ set: [], grid: ["lambda=0,2"] }, /^--grid lambda: must be a number in \[0, 1\], got 2$/],
      [{ set: [], grid: ["lambda=0,,1"] }, /^--grid lambda: empty value in the list '0,,1'/],
      [{ set: [], grid: ["lambda=0,0"] }, /^--grid lambda: the value 0 appears twice in '0,0'$/],
      [{ set: [], grid: ["seeds=1,2"] }, /^--grid: unknown key 'seeds'/],
    ];
    for (const [overrides, pattern] of cases) expectInputError(() => applyOverrides(config, overrides), pattern);
  });

  it("parseValueList reads each value as its key's type", async () => {
    expect(parseValueList("activation", "relu,leaky", "--activation")).toEqual(["relu", "leaky"]);
    expect(parseValueList("width", "16, 32", "--width")).toEqual([16, 32]);
    expect(parseValueList("trainSize", "null,100", "--trainSize")).toEqual([null, 100]);
  });
});

describe("commandLine", () => {
  it("quotes what a shell would split or expand", async () => {
    expect(commandLine(["study", "my.json5", "--set", "lr=0.4", "--grid", "lambda=0,0.5"])).toBe("npx shortcut-bench study my.json5 --set lr=0.4 --grid lambda=0,0.5");
    expect(commandLine(["study", "--set", "description=two words", "--out", "it's"])).toBe("npx shortcut-bench study --set 'description=two words' --out 'it'\\''s'");
  });
});

describe("overrides through the CLI", () => {
  const tiny = "{ name: 'tiny', base: { d: 8, width: 16, batch: 8, steps: 40, evalEvery: 10, testPerGroup: 16 }, grid: { lambda: [0, 1] }, seeds: 2 }";
  writeFileSync(join(work, "tiny.json5"), tiny);

  it("study --set/--grid: in the resolved config, its hash and the reproduce line", async () => {
    const plain = await cli("study", "tiny.json5", "--out", "plain", "--quiet");
    expect(plain.code, plain.stderr).toBe(0);
    const args = ["study", "tiny.json5", "--set", "lr=0.4", "--grid", "lambda=0,0.5,1", "--out", "swept", "--quiet"];
    const swept = await cli(...args);
    expect(swept.code, swept.stderr).toBe(0);
    const resolved = (dir: string) => JSON.parse(readFileSync(join(work, dir, "config.resolved.json"), "utf8"));
    expect(resolved("swept").config.base.lr).toBe(0.4);
    expect(resolved("swept").config.grid.lambda).toEqual([0, 0.5, 1]);
    expect(resolved("swept").hash).not.toBe(resolved("plain").hash);
    expect(readFileSync(join(work, "swept", "report.md"), "utf8")).toContain(`npx shortcut-bench ${args.join(" ")}`);
    // the same overrides resume; different ones are a different config
    expect((await cli(...args)).code).toBe(0);
    const changed = await cli("study", "tiny.json5", "--set", "lr=0.3", "--grid", "lambda=0,0.5,1", "--out", "swept", "--quiet");
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/different study \(base\.lr was 0\.4, now 0\.3\)/);
  });

  it("study: a bad override exits 2 naming the flag; a model key given as a flag points to --set", async () => {
    const bad = await cli("study", "tiny.json5", "--set", "width=0", "--out", "bad", "--quiet");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set width: must be an integer in \[1, 65536\], got 0/);
    const flag = await cli("study", "tiny.json5", "--steps", "100");
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown argument: steps; set a model key with --set steps=VALUE, or sweep it with --grid steps=A,B/);
    const rule = await cli("study", "tiny.json5", "--set", "trainSize=4", "--out", "bad", "--quiet");
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/batch \(8\) must not exceed trainSize \(4\) \(with --set trainSize=4\)/);
  });

  it("run --lambda 0,1 --out DIR sweeps a grid into a results directory that report and check accept", async () => {
    const run = await cli("run", "--d", "8", "--width", "16", "--batch", "8", "--steps", "40", "--evalEvery", "10", "--testPerGroup", "16", "--lambda", "0,1", "--seeds", "2", "--out", "sweep", "--quiet");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^lambda\s/m);
    expect(run.stdout).toContain(`wrote ${join("sweep", "report.md")}`);
    const runs = readFileSync(join(work, "sweep", "runs.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(runs.map((r) => [r.condition.lambda, r.seed]).sort()).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect((await cli("report", "sweep")).code).toBe(0);
    writeFileSync(join(work, "rules.json5"), "[{ where: { lambda: 1 }, metric: 'events.spurious.n', op: '>=', value: 2 }]");
    const check = await cli("check", "sweep", "--thresholds", "rules.json5");
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^PASS /m);
  });

  it("run sweeps a boolean flag like any other (--bias true,false); a bare --bias is true, --no-bias false", async () => {
    const tiny = ["--d", "8", "--width", "16", "--batch", "8", "--steps", "20", "--evalEvery", "10", "--testPerGroup", "8", "--quiet", "--json"];
    const biasOf = async (...args: string[]) => {
      const r = await cli("run", ...tiny, ...args);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { runs: Array<{ condition: { bias?: boolean }; params: { bias: boolean } }> }).runs.map((run) => [run.condition.bias, run.params.bias]);
    };
    expect((await biasOf("--bias", "true,false")).sort()).toEqual([[false, false], [true, true]]);
    expect(await biasOf("--bias")).toEqual([[undefined, true]]);
    expect(await biasOf("--bias", "--lambda", "1")).toEqual([[undefined, true]]);
    expect(await biasOf("--no-bias")).toEqual([[undefined, false]]);
    const bad = await cli("run", ...tiny, "--bias", "maybe");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--bias: must be a boolean, got "maybe"/);
  });

  it("run: a bad list item names the flag, exit 2", async () => {
    for (const [args, pattern] of [
      [["--lambda", "0,1.5"], /--lambda: must be a number in \[0, 1\], got 1\.5/],
      [["--width", "16,16"], /--width: the value 16 appears twice in '16,16'/],
      [["--seed", "0,1"], /--seed: one first seed/],
    ] as Array<[string[], RegExp]>) {
      const r = await cli("run", ...args, "--steps", "10", "--quiet");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
