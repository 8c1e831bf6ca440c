#!/usr/bin/env node
// The installed entry point: registers tsx's loader in this very process and imports the
// TypeScript CLI, so `npx tsm-twin` works from a checkout without a build step. No child process:
// SIGINT/SIGTERM reach the CLI itself (it stops a run between chunks and exits 130/143), and a
// killed wrapper cannot leave an orphan that keeps running and writes "complete" later.
import { enableCompileCache } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
// tsx is resolved from this package, not from the caller's folder, so the command works anywhere.
import { register } from "tsx/esm/api"

// V8's code cache for the modules that follow (effect and the rest of node_modules), kept in the
// system temp folder: every later start compiles less (Node's module.enableCompileCache).
enableCompileCache()
register()
const root = join(dirname(fileURLToPath(import.meta.url)), "..")
await import(pathToFileURL(join(root, "app", "cli", "main.ts")).href)
