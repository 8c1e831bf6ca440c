import { tmpdir } from "node:os"
import { join } from "node:path"
import { defineConfig } from "vitest/config"

// One config, three groups of files. Crypto-heavy property tests can take seconds each, hence the
// generous per-test timeout.
//
// Workers: vitest's default for `vitest run` is cores − 1, one fork on a 2-core machine, so every
// file ran after the other (462 s idle, 2026-12-05). Most files run two at a time ("parallel",
// group 0). The files that measure wall time (a signal's effect within 2 s, RSS after 50
// restarts) or hold the viewer's default port 8730 run afterwards one at a time ("serial",
// group 1): beside a second busy fork they failed (tried 2026-12-06).
//
// Isolation: the "parallel" files share their fork's module cache (`isolate: false`), so effect,
// the crypto and the card runtime are imported and transformed once per fork instead of once per
// file, which was about a third of the suite's CPU time. The price is that a file must leave no
// global state behind (environment variables, listeners, mocks); a file that mocks a module
// (`vi.mock`) runs in a fresh fork of its own ("isolated"), because a mock would otherwise leak
// into the files that follow it in the same fork.
const SERIAL = [
  "test/bin/**/*.test.ts",
  "test/app/live/watched-start.test.ts",
  "test/app/live/restart-burst.test.ts",
  "test/app/cli/view-command.test.ts",
  "test/app/cli/*signal*.test.ts",
]
const ISOLATED = ["test/app/live/card-timeline.test.ts"]

// Compile cache: the forks, and the CLI processes the tests start with `node --import tsx …`, keep
// V8's code cache of node_modules in the folder bin/tsm-twin.mjs uses (Node's default), so each
// of the suite's many CLI starts compiles effect and the rest less (≈ 2.3 → 1.8 s of CPU each).
const env = { NODE_COMPILE_CACHE: join(tmpdir(), "node-compile-cache") }
const shared = { testTimeout: 120_000, hookTimeout: 120_000, pool: "forks" as const, env }

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "isolated",
          include: ISOLATED,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: "parallel",
          include: ["test/**/*.test.ts"],
          exclude: [...SERIAL, ...ISOLATED],
          isolate: false,
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
