/**
 * Builds the browser viewer (viewer/) with vite's API into `outDir`, so `tsm-twin view` and the
 * browser tests work from a clean clone without a separate build step.
 */
import { existsSync, readdirSync, statSync } from "node:fs"
import { join, resolve } from "node:path"

export const VIEWER_ROOT = resolve(import.meta.dirname, "../../viewer")
export const VIEWER_DIST_DEFAULT = resolve(import.meta.dirname, "../../out/viewer")

export const buildViewer = async (outDir: string): Promise<string> => {
  const { build } = await import("vite")
  await build({
    configFile: join(VIEWER_ROOT, "vite.config.ts"),
    root: VIEWER_ROOT,
    logLevel: "warn",
    // Production builds of lit and uPlot even when NODE_ENV says otherwise (vitest sets "test", and
    // vite then resolves lit's development export, which warns in the console and runs slower).
    mode: "production",
    resolve: { conditions: ["production", "browser", "module", "import", "default"] },
    build: { outDir, emptyOutDir: true },
  })
  return outDir
}

/** What the bundle is built from: the viewer's sources and what it imports of sim/ and model/. */
const SOURCES = [
  VIEWER_ROOT,
  resolve(VIEWER_ROOT, "../sim/server/protocol.ts"),
  resolve(VIEWER_ROOT, "../model/signals"),
]

const newestMtimeMs = (path: string): number => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path)
    .filter((name) => name !== "node_modules" && name !== "dist")
    .reduce((newest, name) => Math.max(newest, newestMtimeMs(join(path, name))), stat.mtimeMs)
}

/**
 * The built viewer in `outDir`, building it first when it is missing or older than any of its
 * sources (a checkout that moved on must not serve yesterday's viewer).
 */
export const ensureViewer = async (outDir: string, rebuild = false): Promise<string> => {
  const index = join(outDir, "index.html")
  const fresh =
    existsSync(index) && statSync(index).mtimeMs >= Math.max(...SOURCES.filter(existsSync).map(newestMtimeMs))
  return !rebuild && fresh ? outDir : buildViewer(outDir)
}
