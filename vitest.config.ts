import { defineConfig } from "vitest/config"

// One config for the whole suite. Crypto-heavy property tests can take seconds each, hence the
// generous per-test timeout.
//
// Workers: vitest's default for `vitest run` is cores − 1, one fork on a 2-core machine, so files
// run one after the other. Two forks were tried (2026-12-06) and left out: some tests hold the
// viewer's default port 8730 or assert a signal's effect within 2 s of wall time, and beside a
// second busy fork they failed; they must be made safe to run side by side first.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
})
