/**
 * Builds the viewer (lit + uPlot) into out/viewer by default; `tsm-twin view` and the browser tests
 * build it through vite's API with their own outDir. Lit's `static properties` are used instead of
 * decorators because vite 8 does not lower standard decorators (STACK.md).
 */
import { resolve } from "node:path"
import { defineConfig, type Plugin } from "vite"

/**
 * The page must open from a file:// URL too (a run file replayed with no server): browsers refuse
 * module scripts from file://, so the bundle is one classic IIFE script loaded with `defer`.
 */
const classicScript = (): Plugin => ({
  name: "tsm-twin-classic-script",
  enforce: "post",
  transformIndexHtml: (html) => html.replace(/<script type="module" crossorigin src=/g, "<script defer src="),
})

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  build: {
    outDir: resolve(import.meta.dirname, "../out/viewer"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 2048,
    modulePreload: false,
    rollupOptions: { output: { format: "iife" } },
  },
  plugins: [classicScript()],
  server: { host: "127.0.0.1" },
})
