#!/usr/bin/env node
// The installed entry point: runs the TypeScript CLI through tsx's loader, so `npx tsm-twin` works
// from a checkout without a build step.
import { spawnSync } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const result = spawnSync(
  process.execPath,
  // tsx is resolved from this package, not from the caller's folder, so the command works anywhere.
  ["--import", import.meta.resolve("tsx"), join(root, "app", "cli", "main.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", cwd: process.cwd() },
)
process.exit(result.status ?? 1)
