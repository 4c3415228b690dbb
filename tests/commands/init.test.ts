// `init` and the bundled default config: a starter config that validates and whose $schema resolves,
// and `study` without a config falling back to the bundled one outside the repository.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import JSON5 from "json5";
import { afterEach, describe, expect, it } from "vitest";
import { parseStudyConfig } from "../../src/config/studyConfig.js";
import { defaultStudyConfig, PACKAGE_ROOT, SCHEMA_FILE, SCHEMA_ID, schemaReference } from "../../src/packageFiles.js";
import { starterConfig } from "../../src/commands/init.js";

const bin = fileURLToPath(new URL("../../bin/shortcut-bench.js", import.meta.url));
const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shortcut-bench-init-"));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("schemaReference", () => {
  it("is a relative path that resolves inside the package, and the $id URL where Node would not find it", () => {
    const inside = join(PACKAGE_ROOT, "configs", "paper");
    expect(schemaReference(inside)).toBe("../../schema/study.schema.json");
    expect(resolve(inside, schemaReference(inside))).toBe(SCHEMA_FILE);
    expect(schemaReference(PACKAGE_ROOT)).toBe("./schema/study.schema.json");
    // from a folder that cannot reach the package: the schema file itself, offline (not the unpublished $id URL)
    expect(schemaReference(tempDir())).toBe(pathToFileURL(SCHEMA_FILE).href);
    expect(existsSync(fileURLToPath(schemaReference(tempDir())))).toBe(true);
    expect(SCHEMA_ID).toMatch(/^https:\/\/unpkg\.com\/shortcut-bench@\d+\.\d+\.\d+\/schema\/study\.schema\.json$/);
    expect((JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as { $id: string }).$id).toBe(SCHEMA_ID);
  });
});

describe("init", () => {
  it("the starter config is a valid study", () => {
    const config = parseStudyConfig(JSON5.parse(starterConfig("mine", SCHEMA_ID)), "mine.json5");
    expect(config.name).toBe("mine");
    expect(config.seeds).toHaveLength(10);
  });

  it("writes <dir>/<name>.json5, refuses to overwrite it without --force, and checks --name", () => {
    const dir = tempDir();
    const first = cli(dir, "init", "sub", "--name", "sweep");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`wrote ${join("sub", "sweep.json5")}`);
    const text = readFileSync(join(dir, "sub", "sweep.json5"), "utf8");
    expect(JSON5.parse(text).$schema).toBe(pathToFileURL(SCHEMA_FILE).href);
    const again = cli(dir, "init", "sub", "--name", "sweep");
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/sweep\.json5: already exists; use --force/);
    expect(cli(dir, "init", "sub", "--name", "sweep", "--force").code).toBe(0);
    const bad = cli(dir, "init", "--name", "a/b");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--name: letters, digits/);
    expect(existsSync(join(dir, "a"))).toBe(false);
    // a file where the directory should be: named, exit 2, no errno text
    const onFile = cli(dir, "init", join("sub", "sweep.json5"));
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toMatch(/sweep\.json5: not a directory; init writes study\.json5 into the directory given/);
    expect(onFile.stderr).not.toMatch(/EEXIST|ENOTDIR/);
  });
});

describe("the default study config", () => {
  it("is ./configs/quick.json5 where it exists, else the bundled one", () => {
    expect(defaultStudyConfig(PACKAGE_ROOT)).toEqual({ file: "configs/quick.json5", bundled: false });
    expect(defaultStudyConfig(tempDir())).toEqual({ file: join(PACKAGE_ROOT, "configs", "quick.json5"), bundled: true });
  });
});

describe("the README's install", () => {
  it("installs from a tarball or a clone, not by name from the npm registry, where the package is not", () => {
    const readme = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8");
    expect(readme).not.toMatch(/npm install shortcut-bench(?![-\w./])/);
    expect(readme).toMatch(/npm install \.\/shortcut-bench\/shortcut-bench-\d+\.\d+\.\d+\.tgz/);
  });
});
