import { defineConfig } from "vitest/config"

// One config, two groups of files. Crypto-heavy property tests can take seconds each, hence the
// generous per-test timeout.
//
// Workers: vitest's default for `vitest run` is cores − 1, one fork on a 2-core machine, so every
// file ran after the other (462 s idle, 2026-12-05). Most files run two at a time ("parallel",
// group 0). The files that measure wall time (a signal's effect within 2 s, RSS after 50
// restarts) or hold the viewer's default port 8730 run afterwards one at a time ("serial",
// group 1): beside a second busy fork they failed (tried 2026-12-06).
const SERIAL = [
  "test/bin/**/*.test.ts",
  "test/app/live/watched-start.test.ts",
  "test/app/live/restart-burst.test.ts",
  "test/app/cli/view-command.test.ts",
  "test/app/cli/*signal*.test.ts",
]

const shared = { testTimeout: 120_000, hookTimeout: 120_000, pool: "forks" as const }

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "parallel",
          include: ["test/**/*.test.ts"],
          exclude: SERIAL,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: "serial",
          include: SERIAL,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
