import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Tests mirror src/. End-to-end tests (a packed-tarball install, the paper's quick studies, several
// real processes racing for one results directory) are slow: they run with SB_SLOW=1, which
// `.ci/run` sets; the default suite stays quick for the edit–test loop.
const SLOW_TESTS = [
  "tests/e2e/packedInstall.test.ts",
  "tests/paper/paper.test.ts",
  "tests/paper/companions.test.ts",
  "tests/store/resultsSafety.test.ts",
];

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: process.env.SB_SLOW === "1" ? [] : SLOW_TESTS,
    // One test file per core, not vitest's cores − 1: most files spend their time waiting on the
    // child processes (the real bin) they spawn, so on 2 cores one worker left a core idle.
    maxWorkers: availableParallelism(),
    // Files share a worker's module cache instead of re-importing src/ for each file (most files
    // import the whole CLI, see tests/support/cliInProcess.ts; the commit that set this has the
    // timing). Safe while no test mocks a module and spies are restored where they are made.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
