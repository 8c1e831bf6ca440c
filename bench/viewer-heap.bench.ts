/**
 * `npm run bench:viewer-heap`: the browser's memory while it watches a whole pilot run at full speed
 * (issue [viewer]: "browser heap bounded over a full 1× run at max speed"). 04-pilot-plan at
 * BENCH_VIEWER_HEAP_SCALE (default 1) runs live as fast as possible with Debian's chromium attached;
 * every 2 s of wall time the page's JS heap is read after a forced GC (CDP HeapProfiler.collectGarbage,
 * then Runtime.getHeapUsage), with the simulated date. Prints each sample, the peak and the last, and
 * the ratio of the last quarter's mean to the first quarter's: bounded memory stays near 1, a leak
 * grows with the run. Figures, not assertions.
 */
import { mkdtempSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { buildViewer } from "../app/live/build-viewer.ts"
import { demoRoute } from "../app/live/demo-session.ts"
import { makeViewerSession } from "../app/live/viewer-session.ts"
import { startViewerServer } from "../sim/server/viewer-server.ts"
import { launchChromium } from "../test/viewer/browser.ts"
import { printLine } from "./measure.ts"

const SCALE = Number(process.env.BENCH_VIEWER_HEAP_SCALE ?? 1)
const DAY_US = 86_400_000_000

const dist = await buildViewer(join(mkdtempSync(join(tmpdir(), "viewer-heap-")), "dist"))
const browser = await launchChromium()
const session = makeViewerSession({ scenario: "04-pilot-plan", scale: SCALE, speed: null })
const server = await startViewerServer(session, { staticDir: dist, route: demoRoute })
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
const cdp = await page.context().newCDPSession(page)
await page.goto(server.url)
const t0 = performance.now()
const samples: Array<{ day: number; heapMiB: number }> = []
let finished = false
void session.finished().then(() => {
  finished = true
})
while (!finished) {
  await new Promise((r) => setTimeout(r, 2_000))
  await cdp.send("HeapProfiler.collectGarbage")
  const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number }
  const tUs = Number(await page.locator("run-controls #clock").getAttribute("data-tus"))
  const sample = { day: Math.round(tUs / DAY_US), heapMiB: Number((heap.usedSize / 2 ** 20).toFixed(2)) }
  samples.push(sample)
  printLine({
    bench: "viewer-heap",
    scale: SCALE,
    wallS: Math.round((performance.now() - t0) / 1000),
    ...sample,
    loadAverage: loadavg().map((x) => Number(x.toFixed(1))),
  })
}
const quarter = Math.max(1, Math.floor(samples.length / 4))
const mean = (xs: ReadonlyArray<{ heapMiB: number }>) => xs.reduce((a, s) => a + s.heapMiB, 0) / xs.length
printLine({
  bench: "viewer-heap",
  scale: SCALE,
  samples: samples.length,
  peakMiB: Math.max(...samples.map((s) => s.heapMiB)),
  lastMiB: samples.at(-1)?.heapMiB ?? 0,
  lastQuarterOverFirst: Number((mean(samples.slice(-quarter)) / mean(samples.slice(0, quarter))).toFixed(2)),
  wallS: Math.round((performance.now() - t0) / 1000),
  loadAverage: loadavg().map((x) => Number(x.toFixed(1))),
})
await browser.close()
await server.close()
await session.close()
