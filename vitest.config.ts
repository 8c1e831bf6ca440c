import { defineConfig } from "vitest/config"

// One config for the whole suite. Crypto-heavy property tests can take seconds each, hence the
// generous per-test timeout.
//
// Workers: vitest's default for `vitest run` is cores − 1, which is one fork on the 2-core
// machines the twin is developed and tested on, so every test file ran after the other and a core
// stood idle whenever a test waited for a child process (chromium, a CLI subprocess, pcscd,
// tshark) — most of the suite's slowest files do. Two forks keep both cores busy. Files stay
// isolated (a fresh fork each): tests install signal listeners, set environment variables and use
// module-level state (Effect's metric registry, the viewer's sessions), which must not leak from
// one file into another.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    isolate: true,
  },
})
