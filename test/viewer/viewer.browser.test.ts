// Proves the viewer end to end in a real browser (Debian chromium via playwright-core): the page
// loads from `tsm-twin view`'s server and connects, KPIs advance, a fault injected from the panel
// shows on the topology, pause stops the simulated clock, the inspector shows an issuance's real
// APDUs and a transaction's decoded as TLV trees, and a recorded run file replayed without a server shows the same
// screens as the live view of that run. Screenshots go to out/test-artifacts/viewer/.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildViewer } from "../../app/live/build-viewer.ts"
import { type DemoSession, demoRoute, makeDemoSession } from "../../app/live/demo-session.ts"
import { startViewerServer, type ViewerServer } from "../../sim/server/viewer-server.ts"
import { ARTIFACTS, launchChromium } from "./browser.ts"

const WEEK_PER_SECOND = 604_800

let dir = ""
let dist = ""
let browser: Browser
let session: DemoSession
let server: ViewerServer
let page: Page

const shot = (p: Page, name: string) => p.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
const number = async (p: Page, selector: string, attribute: string) =>
  Number(await p.locator(selector).first().getAttribute(attribute))

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsm-viewer-"))
  const built = buildViewer(join(dir, "dist"))
  browser = await launchChromium()
  dist = await built
  session = makeDemoSession({ speed: WEEK_PER_SECOND, seed: 3 })
  server = await startViewerServer(session, { staticDir: dist, route: demoRoute })
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  await page.goto(server.url)
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await session?.close()
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

describe("viewer in chromium", () => {
  it("loads, connects and shows the run", async () => {
    await expect.poll(() => page.locator("#connection").textContent(), { timeout: 10_000 }).toBe("live")
    await expect.poll(() => page.locator("#run-seed").textContent()).toBe("3")
    await page.locator('topology-panel [data-party="tsm"]').waitFor()
    await shot(page, "01-connected")
  })

  it("advances the KPIs", async () => {
    const selector = 'kpi-panel tr[data-kpi="cards"] td.value'
    await page.locator(selector).waitFor()
    const before = await number(page, selector, "data-value")
    await expect.poll(() => number(page, selector, "data-value"), { timeout: 10_000 }).toBeGreaterThan(before)
    await shot(page, "02-kpis")
  })

  it("shows a fault injected from the panel on the topology", async () => {
    await page.locator('fault-panel button[data-fault="mtps-outage-7d"]').click()
    await page.locator('topology-panel g.down[data-party="mtps"]').waitFor({ timeout: 5_000 })
    await shot(page, "03-fault")
  })

  it("stops the simulated clock on pause and restarts it on resume", async () => {
    await page.locator("run-controls #pause").click()
    await expect
      .poll(() => page.locator("run-controls #state").textContent(), { timeout: 5_000 })
      .toBe("paused")
    await page.waitForTimeout(300)
    const pausedAt = await number(page, "run-controls #clock", "data-tus")
    await page.waitForTimeout(1_000)
    expect(await number(page, "run-controls #clock", "data-tus")).toBe(pausedAt)
    await shot(page, "04-paused")
    await page.locator("run-controls #resume").click()
    await expect
      .poll(() => number(page, "run-controls #clock", "data-tus"), { timeout: 5_000 })
      .toBeGreaterThan(pausedAt)
  })

  it("inspects an issuance down to its APDUs, and a transaction's as TLV trees", async () => {
    await page.locator('flow-inspector button[data-flow^="issuance-"]').first().click({ timeout: 10_000 })
    await page.locator('flow-inspector .apdu[data-apdu="STORE DATA"]').first().waitFor({ timeout: 5_000 })
    const issuance = (await page.locator("flow-inspector .steps").textContent()) ?? ""
    for (const name of ["SELECT", "INITIALIZE UPDATE", "EXTERNAL AUTHENTICATE", "INSTALL", "PUT KEY", "LOAD"])
      expect(issuance).toContain(name)
    expect(issuance).toMatch(/tsm → mtps/)
    await shot(page, "05-inspector-issuance")
    // The issuance's commands are enciphered under the secure channel, so its trees come from the
    // card's answers; a purchase shows the PPSE, GPO and record templates as TLV.
    await page.locator('flow-inspector button[data-flow^="transaction-"]').first().click({ timeout: 10_000 })
    await page.locator('flow-inspector .apdu[data-apdu="GENERATE AC"]').first().waitFor({ timeout: 5_000 })
    expect(await page.locator("flow-inspector ul.tlv .tag").count()).toBeGreaterThan(10)
    const transaction = (await page.locator("flow-inspector .steps").textContent()) ?? ""
    expect(transaction).toContain("FCI template")
    await shot(page, "06-inspector-transaction")
  })

  it("replays a recorded run file without a server and shows what the live view showed", async () => {
    const file = join(dir, "run.ndjson")
    const recorded = makeDemoSession({
      speed: null,
      seed: 5,
      scenario: "demo-02-mtps-outage",
      recordPath: file,
    })
    await recorded.finished()
    const live = await startViewerServer(recorded, { staticDir: dist, route: demoRoute })
    const livePage = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    const replayPage = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    try {
      await livePage.goto(live.url)
      await expect
        .poll(() => livePage.locator("#digest").textContent(), { timeout: 10_000 })
        .toMatch(/^[0-9a-f]{64}$/)
      await replayPage.goto(`${live.url}?ws=ws://127.0.0.1:9/none`)
      await replayPage.locator("run-controls #replay").setInputFiles(file)
      await expect.poll(() => replayPage.locator("#connection").textContent()).toBe("replay")
      const end = JSON.parse(readFileSync(file, "utf8").trim().split("\n").at(-1)!)
      expect(await replayPage.locator("#digest").textContent()).toBe(end.digest)
      expect(await livePage.locator("#digest").textContent()).toBe(end.digest)
      for (const panel of ["kpi-panel", "topology-panel", "#clock"]) {
        expect(await replayPage.locator(panel).textContent(), panel).toBe(
          await livePage.locator(panel).textContent(),
        )
      }
      expect(await replayPage.locator('kpi-panel td[data-status="fail"]').count()).toBeGreaterThan(0)
      await replayPage.locator('flow-inspector button[data-flow^="issuance-"]').first().click()
      await replayPage
        .locator('flow-inspector .apdu[data-apdu="STORE DATA"]')
        .first()
        .waitFor({ timeout: 5_000 })
      await shot(livePage, "07-live-finished")
      await shot(replayPage, "08-replay")
    } finally {
      await livePage.close()
      await replayPage.close()
      await live.close()
      await recorded.close()
    }
  })
})
