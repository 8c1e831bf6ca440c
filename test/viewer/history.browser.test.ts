// The viewer's charts in a real browser (Debian chromium via playwright-core) on 04-pilot-plan at
// 0.01: every chart covers the whole run once it is over; a client that opens at 80 % of the run
// sees the history from the first day; a resize from 1600 to 1280 px leaves no chart overlapping
// another; an injected outage shows as a band on the charts and an entry in the active-fault list;
// zoomed into three weeks, where the kept buckets hold several samples each, a chart asks the server
// for the span and draws every two-hour sample, and a double-click returns it to the buckets.
// Screenshots go to out/test-artifacts/viewer/history-*.png.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildViewer } from "../../app/live/build-viewer.ts"
import { demoRoute } from "../../app/live/demo-session.ts"
import { makeViewerSession, type ViewerSession } from "../../app/live/viewer-session.ts"
import { startViewerServer, type ViewerServer } from "../../sim/server/viewer-server.ts"
import { ARTIFACTS, launchChromium } from "./browser.ts"

const DAY_US = 86_400_000_000
/** The pilot's sampling step (app/live/pilot-run-session.ts SAMPLE_EVERY_US). */
const SAMPLE_US = 2 * 3_600_000_000
/** One simulated day a second until the outage is seen, then as fast as possible. */
const SPEED = 86_400

let dir = ""
let browser: Browser
let session: ViewerSession
let server: ViewerServer
let first: Page

const shot = (p: Page, name: string) =>
  p.screenshot({ path: join(ARTIFACTS, `history-${name}.png`), fullPage: true })

const charts = (p: Page) =>
  p.locator("series-chart").evaluateAll((els) =>
    els.map((e) => {
      const box = e.getBoundingClientRect()
      const canvas = e.shadowRoot?.querySelector("canvas")?.getBoundingClientRect()
      const d = (e as unknown as { dataset: Record<string, string> }).dataset
      return {
        first: Number(d.firstUs),
        last: Number(d.lastUs),
        bands: Number(d.bands),
        box: { x: box.x, y: box.y, w: box.width, h: box.height },
        canvasRight: canvas === undefined ? 0 : canvas.right,
      }
    }),
  )

const clockUs = async (p: Page) => Number(await p.locator("run-controls #clock").getAttribute("data-tus"))

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsm-viewer-history-"))
  const built = buildViewer(join(dir, "dist"))
  browser = await launchChromium()
  const dist = await built
  session = makeViewerSession({ scenario: "04-pilot-plan", seed: 5, scale: 0.01, speed: SPEED })
  server = await startViewerServer(session, { staticDir: dist, route: demoRoute })
  first = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  await first.goto(server.url)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await session?.close()
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

describe("viewer charts over the whole run", () => {
  let endUs = 0
  it("shows an injected outage as a band and an active fault", async () => {
    await expect.poll(() => first.locator("#connection").textContent(), { timeout: 20_000 }).toBe("live")
    endUs = session.info().endUs
    await first.locator('fault-panel button[data-fault="mtps-down-72h"]').click()
    await first
      .locator("fault-list #active-faults li.outage", { hasText: "mtps" })
      .waitFor({ timeout: 10_000 })
    await expect
      .poll(async () => Math.max(...(await charts(first)).map((c) => c.bands)), { timeout: 5_000 })
      .toBeGreaterThan(0)
    expect(await first.locator("fault-list #command-log li", { hasText: "inject accepted" }).count()).toBe(1)
    await shot(first, "01-outage")
    await first.locator("run-controls #speed").selectOption({ label: "as fast as possible" })
    await first
      .locator("fault-list #command-log li", { hasText: "speed accepted" })
      .waitFor({ timeout: 10_000 })
    // The speed in force, as the server's progress reports it, is "as fast as possible" (it once read
    // "1 week/s"), and the rate shown is the one measured from the frames.
    await expect
      .poll(() => first.locator("run-controls #speed option[selected]").textContent(), { timeout: 10_000 })
      .toBe("as fast as possible")
    await expect
      .poll(() => first.locator("run-controls #sim-rate").textContent(), { timeout: 10_000 })
      .toMatch(/^\d+(\.\d+)? sim days\/s$/)
  })

  it("gives a client that opens at 80 % of the run the history from the first day", async () => {
    await expect.poll(() => clockUs(first), { timeout: 60_000, interval: 100 }).toBeGreaterThan(0.8 * endUs)
    if ((await first.locator("run-controls #state").textContent()) === "running")
      expect(await first.locator("series-chart [data-pace]").count()).toBeGreaterThan(0)
    const late = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    await late.goto(server.url)
    await expect.poll(async () => (await charts(late)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5)
    const seen = await charts(late)
    for (const c of seen) expect(c.first).toBeLessThan(DAY_US)
    // The late client also sees the outage injected before it came.
    expect(Math.max(...seen.map((c) => c.bands))).toBeGreaterThan(0)
    await shot(late, "02-late-client")
    await late.close()
  })

  it("covers the whole run on every chart once the run is over", async () => {
    await expect
      .poll(() => first.locator("run-controls #state").textContent(), { timeout: 60_000 })
      .toBe("done")
    await first.waitForTimeout(500)
    const seen = await charts(first)
    expect(seen.length).toBeGreaterThanOrEqual(5)
    for (const c of seen) {
      expect(c.first).toBeLessThan(DAY_US)
      expect(c.last).toBeGreaterThan(endUs - 2 * DAY_US)
    }
    await shot(first, "03-done-1600")
  })

  it("zooms below the kept buckets to every sample, and back to the buckets", async () => {
    const chart = first.locator("series-chart").filter({ hasText: "issuance queues" })
    const attr = async (name: string) => (await chart.getAttribute(`data-${name}`)) ?? ""
    // The whole run is kept in min/max buckets of several samples each by now.
    expect(Number(await attr("resolution"))).toBeGreaterThan(1)
    const whole = Number(await attr("x-max")) - Number(await attr("x-min"))
    // The mouse works in viewport coordinates: the drag must start on the chart, wherever the
    // earlier full-page screenshots and the lists above it have left the scroll.
    await chart.locator(".u-over").scrollIntoViewIfNeeded()
    const over = (await chart.locator(".u-over").boundingBox())!
    const y = over.y + over.height / 2
    const x0 = over.x + over.width * 0.4
    // About 2 % of the width: three weeks of the three years.
    await first.mouse.move(x0, y)
    await first.mouse.down()
    await first.mouse.move(x0 + over.width * 0.02, y, { steps: 4 })
    await first.mouse.up()
    await expect.poll(() => attr("refined"), { timeout: 30_000 }).toBe("true")
    expect(await attr("shown-resolution")).toBe("1")
    const spanUs = (Number(await attr("x-max")) - Number(await attr("x-min"))) * 1e6
    expect(spanUs).toBeLessThan(0.05 * whole * 1e6)
    // Every two-hour sample in the view is drawn, not one point per bucket.
    const samplesInView = spanUs / SAMPLE_US
    expect(Number(await attr("in-view"))).toBeGreaterThanOrEqual(Math.floor(samplesInView) - 1)
    expect(Number(await attr("in-view"))).toBeLessThanOrEqual(Math.ceil(samplesInView) + 1)
    // …and uPlot draws them: its visible index range spans them (it once kept the old data's).
    const drawn = await chart.evaluate((e) => {
      const idxs = (e as unknown as { plot: { series: Array<{ idxs: [number, number] }> } }).plot.series[0]!
        .idxs
      return idxs[1] - idxs[0] + 1
    })
    expect(drawn).toBeGreaterThanOrEqual(Math.floor(samplesInView) - 1)
    await chart.screenshot({ path: join(ARTIFACTS, "history-05-zoomed-full-resolution.png") })
    // The screenshot may have scrolled the chart: find it again.
    const again = (await chart.locator(".u-over").boundingBox())!
    await first.mouse.dblclick(again.x + again.width * 0.5, again.y + again.height / 2)
    await expect.poll(() => attr("refined")).toBe("false")
    expect(Number(await attr("x-max")) - Number(await attr("x-min"))).toBeGreaterThanOrEqual(whole * 0.99)
    await chart.screenshot({ path: join(ARTIFACTS, "history-06-zoomed-out-buckets.png") })
  }, 60_000)

  it("leaves no chart overlapping another after a resize from 1600 to 1280 px", async () => {
    await first.setViewportSize({ width: 1280, height: 1000 })
    await first.waitForTimeout(500)
    const seen = await charts(first)
    for (const [i, a] of seen.entries()) {
      expect(a.canvasRight).toBeLessThanOrEqual(a.box.x + a.box.w + 1)
      for (const b of seen.slice(i + 1)) {
        const apart =
          a.box.x + a.box.w <= b.box.x + 1 ||
          b.box.x + b.box.w <= a.box.x + 1 ||
          a.box.y + a.box.h <= b.box.y + 1 ||
          b.box.y + b.box.h <= a.box.y + 1
        expect(apart).toBe(true)
      }
    }
    await shot(first, "04-resized-1280")
  })
})
