// The viewer's moving topology, drill-downs, time controls and sequence-chart inspector in a real
// browser (Debian chromium via playwright-core), on 08-mtps-outage (MTPS down 2014-09-10 08:00 for
// 72 h) at 0.01: the topology shows nine parties with the SE, throughput and animated edges, and
// its same-column edges bend out where no box covers them; "run to" a date pauses the clock on that
// date; "next fault" pauses once MTPS is down, drawn red; MTPS's panel shows the outage and its
// refusals by cause; the cards KPI opens with its chart and the report's why, a drag zooms it, a
// Shift-drag pans it and a double-click shows the whole run again; "next traced issuance"
// pauses after one, whose messages the sequence chart draws per party with simulated times and
// durations — each APDU the card time the run charged, one after another, the card's session a span
// whose length is their sum, each card-story step bracketed with its own — and the party and
// outcome filters narrow it. Screenshots go to out/test-artifacts/viewer/drill-*.png.
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

/** 08's time zero, 2014-08-01, in µs since the Unix epoch (the hello's epochUs). */
const EPOCH_US = Date.UTC(2014, 7, 1) * 1000
/** Two simulated days per wall second: the run-to commands do the long stretches. */
const SPEED = 2 * 86_400

let dir = ""
let browser: Browser
let session: ViewerSession
let server: ViewerServer
let page: Page

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `drill-${name}.png`), fullPage: true })
const clockUs = async () => Number(await page.locator("run-controls #clock").getAttribute("data-tus"))
const state = () => page.locator("run-controls #state").textContent()
const waitPaused = () => expect.poll(state, { timeout: 60_000 }).toBe("paused")

/** Runs to a date through the time controls and waits until the clock stands on it, paused. */
const runToDate = async (date: string): Promise<void> => {
  const tUs = Date.parse(`${date}T00:00:00Z`) * 1000 - EPOCH_US
  await page.locator("time-controls #run-to-date").fill(date)
  await page.locator("time-controls #run-to").click()
  await expect.poll(clockUs, { timeout: 60_000 }).toBe(tUs)
  await waitPaused()
}

/** Commands the server has acknowledged so far, as the command log lists them. */
const accepted = async () =>
  (await page.locator("fault-list #command-log li").allTextContents()).filter((t) => t.endsWith("accepted"))
    .length

/** Clicks a run-to button and waits for the run to pause again further on. */
const runToNext = async (button: string): Promise<number> => {
  const before = await clockUs()
  const acks = await accepted()
  await page.locator(`time-controls ${button}`).click()
  // Frames after the ack show the resumed run: a "paused" read then is the run-to's own pause.
  await expect.poll(accepted).toBe(acks + 1)
  await expect
    .poll(async () => (await state()) === "paused" && (await clockUs()) > before, { timeout: 60_000 })
    .toBe(true)
  return clockUs()
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsm-viewer-drill-"))
  const built = buildViewer(join(dir, "dist"))
  browser = await launchChromium()
  const dist = await built
  session = makeViewerSession({ scenario: "08-mtps-outage", seed: 3, scale: 0.01, speed: SPEED })
  // Paused from the start, so a slow page load on a busy machine cannot let the run pass 2014-09-01.
  await session.command({ type: "pause" })
  server = await startViewerServer(session, { staticDir: dist, route: demoRoute })
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
  await page.goto(server.url)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await session?.close()
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

describe("viewer drill-downs, time controls and sequence chart in chromium", () => {
  it("runs to a date and pauses on it", async () => {
    await expect.poll(() => page.locator("#connection").textContent(), { timeout: 20_000 }).toBe("live")
    await runToDate("2014-09-01")
    expect(await page.locator("run-controls #clock").textContent()).toBe("2014-09-01 00:00")
  }, 90_000)

  it("draws a topology that moves: throughput, animated edges, the SE, visible same-column edges", async () => {
    // Throughput is per two-hour interval: watch the running run until something flows, then pause.
    await page.locator("run-controls #resume").click()
    await expect.poll(state).toBe("running")
    await expect.poll(() => page.locator("topology-panel g.party").count(), { timeout: 20_000 }).toBe(9)
    await page.locator('topology-panel g[data-party="se"]').waitFor()
    // One look at the panel: a party with throughput, and the edges it sends on animated.
    const flowing = () =>
      page.locator("topology-panel").evaluate((host) => {
        const root = host.shadowRoot!
        const busiest = Math.max(
          ...[...root.querySelectorAll("g.party")].map((g) => Number(g.getAttribute("data-throughput"))),
        )
        return { busiest, moving: root.querySelectorAll("path.edge:not(.idle)").length }
      })
    await expect
      .poll(
        async () => {
          const f = await flowing()
          return f.busiest > 0 && f.moving > 0
        },
        { timeout: 30_000 },
      )
      .toBe(true)
    await page.locator("run-controls #pause").click()
    await waitPaused()
    await page.locator("topology-panel").screenshot({ path: join(ARTIFACTS, "drill-01-topology.png") })
    // orders → HSM sit in one column: the edge bends out to the right of the boxes.
    const geometry = await page.locator("topology-panel").evaluate((host) => {
      const root = host.shadowRoot!
      const edge = root.querySelector('path[data-edge="gzt-tsm.orders>gzt-tsm.hsm"]')!
      const box = root.querySelector('g[data-party="gzt-tsm.orders"] rect')!
      return { edgeRight: edge.getBoundingClientRect().right, boxRight: box.getBoundingClientRect().right }
    })
    expect(geometry.edgeRight).toBeGreaterThan(geometry.boxRight + 10)
  }, 60_000)

  it("runs to the next fault: MTPS down on the map, its panel with the outage, the TSM's parked orders by cause", async () => {
    const at = await runToNext("#next-fault")
    const startUs = Date.UTC(2014, 8, 10, 8) * 1000 - EPOCH_US
    // The first two-hour boundary after the outage's start (its event follows the boundary at 08:00).
    expect(at).toBeGreaterThanOrEqual(startUs)
    expect(at).toBeLessThanOrEqual(startUs + 2 * 3_600_000_000)
    await page.locator('topology-panel g.down[data-party="mtps"]').waitFor({ timeout: 10_000 })
    await page.locator('topology-panel g[data-party="mtps"]').click()
    await expect.poll(() => page.locator("party-panel #party-state").textContent()).toBe("OUTAGE")
    await shot("02-fault-party-panel")
    // Past the outage's end (2014-09-13 08:00): the panel lists its beginning and end.
    await runToDate("2014-09-15")
    await expect.poll(() => page.locator("party-panel #party-state").textContent()).toBe("up")
    const events = (await page.locator("party-panel #party-events").textContent()) ?? ""
    expect(events).toContain("outage began")
    expect(events).toContain("outage ended")
    await page.locator("party-panel").screenshot({ path: join(ARTIFACTS, "drill-03-party-panel.png") })
    // A downed MTPS refuses nothing: the TSM parks its orders until MTPS is back, and its panel
    // shows them among its errors by cause (the world's own decision counts).
    await page.locator('topology-panel g[data-party="gzt-tsm.orders"]').click()
    await expect
      .poll(async () => {
        const errors = (await page.locator("party-panel #party-errors").textContent()) ?? ""
        return Number(/parked: party down (\d+)/.exec(errors)?.[1] ?? 0)
      })
      .toBeGreaterThan(0)
    await page.locator("party-panel #party-close").click()
    expect(await page.locator("party-panel").count()).toBe(0)
  }, 120_000)

  it("opens a KPI with its chart and the report's why", async () => {
    await page.locator('kpi-panel button[data-open="cards"]').click()
    await page.locator("kpi-detail series-chart").waitFor()
    await expect.poll(() => page.locator("kpi-detail #kpi-why p").count(), { timeout: 10_000 }).toBe(3)
    const why = (await page.locator("kpi-detail #kpi-why").textContent()) ?? ""
    expect(why).toContain("phase 1 (2015-07): not judged yet")
    // Every target label of every KPI chart starts and ends inside its plot (they used to start left of it).
    const labels = await page
      .locator("series-chart[data-target-labels]")
      .evaluateAll((els) =>
        els.flatMap((e) => JSON.parse(e.getAttribute("data-target-labels")!) as number[][]),
      )
    expect(labels.length).toBeGreaterThanOrEqual(12)
    for (const [left, right, plotLeft, plotRight] of labels) {
      expect(left).toBeGreaterThanOrEqual(plotLeft!)
      expect(right).toBeLessThanOrEqual(plotRight!)
    }
    await page.locator("kpi-detail").screenshot({ path: join(ARTIFACTS, "drill-04-kpi.png") })
    // Drag zooms into a span, Shift-drag pans it keeping its width, double-click shows the whole run.
    const chart = page.locator("kpi-detail series-chart")
    const span = async () => {
      const min = Number(await chart.getAttribute("data-x-min"))
      const max = Number(await chart.getAttribute("data-x-max"))
      return { min, max, width: max - min }
    }
    const whole = await span()
    const over = (await chart.locator(".u-over").boundingBox())!
    const y = over.y + over.height / 2
    await page.mouse.move(over.x + over.width * 0.3, y)
    await page.mouse.down()
    await page.mouse.move(over.x + over.width * 0.6, y, { steps: 5 })
    await page.mouse.up()
    await expect.poll(async () => (await span()).width).toBeLessThan(whole.width * 0.5)
    const zoomed = await span()
    await page.keyboard.down("Shift")
    await page.mouse.move(over.x + over.width * 0.5, y)
    await page.mouse.down()
    await page.mouse.move(over.x + over.width * 0.5 + 100, y, { steps: 5 })
    await page.mouse.up()
    await page.keyboard.up("Shift")
    const panned = await span()
    expect(panned.min).toBeLessThan(zoomed.min)
    expect(Math.abs(panned.width - zoomed.width)).toBeLessThan(zoomed.width * 0.01)
    await page.mouse.dblclick(over.x + over.width * 0.5, y)
    await expect.poll(async () => (await span()).width).toBeGreaterThanOrEqual(whole.width * 0.99)
    await page.locator("kpi-detail #kpi-close").click()
  }, 60_000)

  it("runs to the next traced issuance and draws it as a sequence chart, filtered", async () => {
    const before = await page.locator("flow-inspector button[data-flow]").count()
    await runToNext("#next-issuance")
    await expect
      .poll(() => page.locator("flow-inspector button[data-flow]").count(), { timeout: 10_000 })
      .toBeGreaterThan(before)
    await page
      .locator('flow-inspector button[data-flow^="issuance-"][data-ok="true"][data-card="true"]')
      .first()
      .click()
    const rows = page.locator("flow-inspector sequence-chart g.msg")
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(10)
    const columns = await page.locator("flow-inspector sequence-chart text.party").allTextContents()
    for (const p of ["users", "bank-host", "mtps", "se"]) expect(columns).toContain(p)
    // Rows are in time order, and each shows its simulated time to the millisecond and a duration.
    const times = await rows.locator("text.time").allTextContents()
    expect(times[0]).toMatch(/^\d\d-\d\d \d\d:\d\d:\d\d\.\d\d\d$/)
    expect(await rows.first().locator("text.dur").textContent()).toBe("start")
    expect([...times].sort()).toEqual(times.map((t) => t).sort())
    // The card's rows carry the time the run charged (the OTA model): each OTA step is its
    // script's delivery over the bearer, then its APDUs, each starting where the row before it
    // ended; the card's span is their sum, as are its brackets together.
    const card = await page
      .locator('flow-inspector sequence-chart g.msg:not([data-duration-us=""])')
      .evaluateAll((gs) =>
        gs.map((g) => ({
          t: Number(g.getAttribute("data-t-us")),
          d: Number(g.getAttribute("data-duration-us")),
          delivery: g.getAttribute("data-delivery") === "true",
        })),
      )
    expect(card.filter((r) => !r.delivery).length).toBeGreaterThan(20)
    expect(card.filter((r) => r.delivery)).toHaveLength(2)
    expect(card[0]!.delivery).toBe(true)
    for (let i = 1; i < card.length; i++)
      if (!card[i]!.delivery) expect(card[i]!.t).toBe(card[i - 1]!.t + card[i - 1]!.d)
      else expect(card[i]!.t).toBeGreaterThanOrEqual(card[i - 1]!.t + card[i - 1]!.d)
    const sum = card.reduce((n, r) => n + r.d, 0)
    const cardUs = Number(
      await page.locator("flow-inspector sequence-chart g.card").getAttribute("data-card-us"),
    )
    expect(cardUs).toBe(sum)
    const brackets = await page
      .locator("flow-inspector sequence-chart g.step-group")
      .evaluateAll((gs) => gs.map((g) => Number(g.getAttribute("data-duration-us"))))
    expect(brackets.length).toBeGreaterThanOrEqual(7)
    expect(brackets.reduce((n, d) => n + d, 0)).toBe(sum)
    expect(await page.locator("flow-inspector sequence-chart text.card-label").textContent()).toMatch(
      /^card \((NFC-SIM|NFC-SD|eSE)\) [\d.]+ s over (sms-pp|bip|http-admin): bearer [\d.]+ (ms|s|min) \+ SE [\d.]+ (ms|s), \d+ APDUs, \d+ (packets|messages)$/,
    )
    await page.locator("flow-inspector").screenshot({ path: join(ARTIFACTS, "drill-05-sequence.png") })
    const all = await rows.count()
    await page.locator("flow-inspector #party-filter").selectOption("mtps")
    await expect.poll(() => rows.count()).toBeLessThan(all)
    const labels = await page.locator("flow-inspector .step b").allTextContents()
    for (const l of labels) expect(l).toMatch(/mtps/)
    await page.locator("flow-inspector #outcome-filter").selectOption("failed")
    const shown = await page
      .locator("flow-inspector button[data-flow]")
      .evaluateAll((bs) => bs.map((b) => b.getAttribute("data-ok")))
    for (const ok of shown) expect(ok).toBe("false")
    await shot("06-page")
  }, 120_000)
})
