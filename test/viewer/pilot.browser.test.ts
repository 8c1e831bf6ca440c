// Proves the viewer on the pilot itself in a real browser (Debian chromium via playwright-core):
// 04-pilot-plan at a tiny scale loads and connects, the picker lists the library's pilot scenarios
// and the demo, the phase KPIs advance, a fault injected from the panel turns the party red on the
// topology, pause stops the simulated clock, and the inspector shows a byte-level issuance's hops
// across parties and its APDUs with a plaintext STORE DATA decoded as a DGI/TLV tree.
// Screenshots go to out/test-artifacts/viewer/pilot-*.png.
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

/** Five simulated days per wall second: the first traced issuance of seed 3 comes on day ~10. */
const SPEED = 5 * 86_400

let dir = ""
let browser: Browser
let session: ViewerSession
let server: ViewerServer
let page: Page

const shot = (p: Page, name: string) =>
  p.screenshot({ path: join(ARTIFACTS, `pilot-${name}.png`), fullPage: true })
const number = async (p: Page, selector: string, attribute: string) =>
  Number(await p.locator(selector).first().getAttribute(attribute))

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsm-viewer-pilot-"))
  const built = buildViewer(join(dir, "dist"))
  browser = await launchChromium()
  const dist = await built
  session = makeViewerSession({ scenario: "04-pilot-plan", seed: 3, scale: 0.002, speed: SPEED })
  server = await startViewerServer(session, { staticDir: dist, route: demoRoute })
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
  await page.goto(server.url)
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await session?.close()
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

describe("viewer on the pilot in chromium", () => {
  it("loads, connects and lists the pilot scenarios and the demo", async () => {
    await expect.poll(() => page.locator("#connection").textContent(), { timeout: 10_000 }).toBe("live")
    await expect.poll(() => page.locator("#run-seed").textContent()).toBe("3")
    await page.locator('topology-panel [data-party="gzt-tsm.hsm"]').waitFor()
    const options = await page.locator("run-controls #scenario option").allTextContents()
    const joined = options.join("\n")
    for (const id of ["04-pilot-plan", "08-mtps-outage", "14-province-scale"]) expect(joined).toContain(id)
    expect(joined).toMatch(/demo/)
    await shot(page, "01-connected")
  })

  it("advances the phase KPIs", async () => {
    const selector = 'kpi-panel tr[data-kpi="transactions"] td.value'
    await page.locator(selector).waitFor()
    const before = await number(page, selector, "data-value")
    await expect.poll(() => number(page, selector, "data-value"), { timeout: 15_000 }).toBeGreaterThan(before)
    expect(await page.locator('kpi-panel tr[data-kpi="cards"] td[data-status]').count()).toBe(3)
    await shot(page, "02-kpis")
  })

  it("shows a fault injected from the panel on the topology", async () => {
    await page.locator('fault-panel button[data-fault="mtps-down-72h"]').click()
    await page.locator('topology-panel g.down[data-party="mtps"]').waitFor({ timeout: 10_000 })
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

  it("inspects a byte-level issuance down to its APDUs and a plaintext STORE DATA's DGI tree", async () => {
    const issuance = page.locator('flow-inspector button[data-flow^="issuance-"]').first()
    await issuance.click({ timeout: 30_000 })
    await page.locator('flow-inspector .apdu[data-apdu="STORE DATA"]').first().waitFor({ timeout: 10_000 })
    const text = (await page.locator("flow-inspector .steps").textContent()) ?? ""
    for (const name of [
      "SELECT",
      "INITIALIZE UPDATE",
      "EXTERNAL AUTHENTICATE",
      "INSTALL",
      "PUT KEY",
      "STORE DATA",
    ])
      expect(text).toContain(name)
    expect(text).toMatch(/→ mtps/)
    const dgi = page.locator('flow-inspector .apdu[data-apdu="STORE DATA"] .plain[data-format="dgi"]')
    expect(await dgi.count()).toBeGreaterThan(0)
    // A DGI whose value is BER-TLV shows nested tags (e.g. DGI 0101 holding a 70 record template).
    expect(await dgi.locator("ul.tlv ul.tlv .tag").count()).toBeGreaterThan(0)
    await dgi.first().scrollIntoViewIfNeeded()
    await shot(page, "05-inspector-issuance")
  })
})
