// Proves the viewer end to end in a real browser (Debian chromium via playwright-core): the page
// loads from `tsm-twin view`'s server and connects, KPIs advance, a fault injected from the panel
// shows on the topology, pause stops the simulated clock, the inspector shows an issuance's real
// APDUs and a transaction's decoded as TLV trees, and a recorded run file replayed without a server shows the same
// screens as the live view of that run. Screenshots go to out/test-artifacts/viewer/.
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { gunzipSync } from "node:zlib"
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
/** The MTPS-outage demo as fast as possible, recorded to `file` (plain, or compressed for .gz). */
const demoRecording = (file: string) =>
  makeDemoSession({ speed: null, seed: 5, scenario: "demo-02-mtps-outage", recordPath: file })
const recordDemo = async (file: string) => {
  const recorded = demoRecording(file)
  await recorded.finished()
  await recorded.close()
}

/** Drags the replay's scrub bar to the end of the recording, as a user would. */
const scrubToEnd = (p: Page) =>
  p.locator("replay-controls #scrub").evaluate((el) => {
    const input = el as unknown as { max: string; value: string; dispatchEvent: (e: unknown) => void }
    input.value = input.max
    input.dispatchEvent(new Event("input", { bubbles: true }))
  })
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
    // Dispatched on the button found, not clicked at its position: the list gains flows at its top
    // ten times a second, so a pointer click can land on the flow that took the button's place.
    await page
      .locator('flow-inspector button[data-flow^="issuance-"]:not(.bad)')
      .first()
      .dispatchEvent("click", undefined, { timeout: 10_000 })
    await page.locator('flow-inspector .apdu[data-apdu="STORE DATA"]').first().waitFor({ timeout: 30_000 })
    const issuance = (await page.locator("flow-inspector .steps").textContent()) ?? ""
    for (const name of ["SELECT", "INITIALIZE UPDATE", "EXTERNAL AUTHENTICATE", "INSTALL", "PUT KEY", "LOAD"])
      expect(issuance).toContain(name)
    expect(issuance).toMatch(/tsm → mtps/)
    await shot(page, "05-inspector-issuance")
    // The issuance's commands are enciphered under the secure channel, so its trees come from the
    // card's answers; a purchase shows the PPSE, GPO and record templates as TLV.
    await page
      .locator('flow-inspector button[data-flow^="transaction-"]:not(.bad)')
      .first()
      .dispatchEvent("click", undefined, { timeout: 10_000 })
    // Every purchase runs GPO; only an online one runs GENERATE AC (a qPBOC offline approval gets
    // its TC at GPO), and which kind is traced first depends on timing.
    await page
      .locator('flow-inspector .apdu[data-apdu="GET PROCESSING OPTIONS"]')
      .first()
      .waitFor({ timeout: 30_000 })
    expect(await page.locator("flow-inspector ul.tlv .tag").count()).toBeGreaterThan(10)
    const transaction = (await page.locator("flow-inspector .steps").textContent()) ?? ""
    expect(transaction).toContain("FCI template")
    await shot(page, "06-inspector-transaction")
  })

  it("replays a recorded run file without a server and shows what the live view showed", async () => {
    const file = join(dir, "run.ndjson")
    const recorded = demoRecording(file)
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
      await expect
        .poll(() => replayPage.locator("#connection").textContent(), { timeout: 30_000 })
        .toBe("replay")
      // Played back, not jumped to the end: it starts at the beginning and the clock moves on play.
      const clock = () => replayPage.locator("run-controls #clock").getAttribute("data-tus").then(Number)
      expect(await clock()).toBe(0)
      await replayPage.locator("replay-controls #play").click()
      await expect.poll(clock, { timeout: 5_000 }).toBeGreaterThan(0)
      await replayPage.locator("replay-controls #play").click()
      // Scrubbed to the end, it shows the run's final screen and digest.
      await scrubToEnd(replayPage)
      const end = JSON.parse(readFileSync(file, "utf8").trim().split("\n").at(-1)!)
      await expect.poll(() => replayPage.locator("#digest").textContent()).toBe(end.digest)
      expect(await livePage.locator("#digest").textContent()).toBe(end.digest)
      for (const panel of ["kpi-panel", "topology-panel", "#clock"]) {
        expect(await replayPage.locator(panel).textContent(), panel).toBe(
          await livePage.locator(panel).textContent(),
        )
      }
      expect(await replayPage.locator('kpi-panel td[data-status="fail"]').count()).toBeGreaterThan(0)
      await replayPage.locator('flow-inspector button[data-flow^="issuance-"]:not(.bad)').first().click()
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

  it("replays a compressed recording from a file:// page, with no server at all", async () => {
    const file = join(dir, "run.ndjson.gz")
    await recordDemo(file)
    const text = gunzipSync(readFileSync(file)).toString("utf8")
    const end = JSON.parse(text.trim().split("\n").at(-1)!)
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    try {
      await page.goto(`${pathToFileURL(join(dist, "index.html")).href}?ws=ws://127.0.0.1:9/none`)
      await page.locator("run-controls #replay").setInputFiles(file)
      await expect.poll(() => page.locator("#connection").textContent(), { timeout: 30_000 }).toBe("replay")
      await scrubToEnd(page)
      await expect.poll(() => page.locator("#digest").textContent()).toBe(end.digest)
      await shot(page, "09-replay-file-url")
    } finally {
      await page.close()
    }
  })

  it("serves a recording with tsm-twin replay, which the page plays from its start", async () => {
    const file = join(dir, "run.ndjson.gz")
    if (!existsSync(file)) {
      await recordDemo(file)
    }
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "app/cli/main.ts", "replay", file, "--port", "0"],
      {
        cwd: join(import.meta.dirname, "../.."),
        stdio: ["ignore", "pipe", "pipe"],
      },
    )
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    try {
      let out = ""
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString()
      })
      await expect.poll(() => /viewer: (\S+)/.exec(out)?.[1], { timeout: 60_000 }).toBeDefined()
      await page.goto(/viewer: (\S+)/.exec(out)![1]!)
      await expect.poll(() => page.locator("#connection").textContent(), { timeout: 30_000 }).toBe("replay")
      const clock = () => page.locator("run-controls #clock").getAttribute("data-tus").then(Number)
      await page.locator("replay-controls #replay-speed").selectOption({ label: "1 year/s" })
      await page.locator("replay-controls #play").click()
      await expect
        .poll(() => page.locator("run-controls #state").textContent(), { timeout: 30_000 })
        .toBe("done")
      expect(await clock()).toBeGreaterThan(0)
      expect(await page.locator("#digest").textContent()).toMatch(/^[0-9a-f]{64}$/)
      await shot(page, "10-replay-command")
    } finally {
      await page.close()
      child.kill("SIGINT")
    }
  })
})
