/**
 * Builds the browser viewer (viewer/) with vite's API into `outDir`, so `tsm-twin view` and the
 * browser tests work from a clean clone without a separate build step.
 */
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"

export const VIEWER_ROOT = resolve(import.meta.dirname, "../../viewer")
export const VIEWER_DIST_DEFAULT = resolve(import.meta.dirname, "../../out/viewer")

export const buildViewer = async (outDir: string): Promise<string> => {
  const { build } = await import("vite")
  await build({
    configFile: join(VIEWER_ROOT, "vite.config.ts"),
    root: VIEWER_ROOT,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  })
  return outDir
}

/** The built viewer in `outDir`, building it first when it is not there. */
export const ensureViewer = async (outDir: string, rebuild = false): Promise<string> =>
  !rebuild && existsSync(join(outDir, "index.html")) ? outDir : buildViewer(outDir)
