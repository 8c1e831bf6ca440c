/**
 * Builds the viewer (lit + uPlot) into out/viewer by default; `tsm-twin view` and the browser tests
 * build it through vite's API with their own outDir. Lit's `static properties` are used instead of
 * decorators because vite 8 does not lower standard decorators (STACK.md).
 */
import { resolve } from "node:path"
import { defineConfig } from "vite"

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  build: {
    outDir: resolve(import.meta.dirname, "../out/viewer"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 2048,
  },
  server: { host: "127.0.0.1" },
})
