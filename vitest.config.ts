import { defineConfig } from "vitest/config"

// One config for the whole suite. Crypto-heavy property tests can take seconds each, hence the
// generous per-test timeout; the suite as a whole is kept well under CI's 15-minute target.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
})
