/**
 * Which Node runs the twin (issue 11 item 8): the `node` dev dependency puts the pinned Node LTS in
 * node_modules/.bin, which `npm test`/`npm run`/`npx` put first on PATH, so vitest, its forked
 * workers and the worker threads of sim/run all run on it, not on the machine's system Node.
 */
import { readFileSync } from "node:fs"
import { Worker } from "node:worker_threads"
import { describe, expect, it } from "vitest"

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  devDependencies: Record<string, string>
  engines: { node: string }
}
const pinned = pkg.devDependencies.node
const major = (version: string) => Number(version.replace(/^v|^>=/, "").split(".")[0])

describe("runtime", () => {
  it("runs the tests on the Node that package.json pins, which engines admits", () => {
    // The CI log shows this line: the figure the README quotes.
    console.log(`tests run on Node ${process.version} (${process.execPath})`)
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/)
    expect(process.version).toBe(`v${pinned}`)
    expect(major(process.version)).toBeGreaterThanOrEqual(major(pkg.engines.node))
  })

  it("starts worker threads on the same Node", async () => {
    const version = await new Promise<string>((resolve, reject) => {
      const w = new Worker("require('node:worker_threads').parentPort.postMessage(process.version)", {
        eval: true,
      })
      w.once("message", (v: string) => {
        resolve(v)
        void w.terminate()
      })
      w.once("error", reject)
    })
    expect(version).toBe(`v${pinned}`)
  })
})
