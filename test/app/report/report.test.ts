// Proves the run report: targets judged with the right sign of margin (an unmeasured KPI fails),
// "what held it back" built from the diagnostics of the missed target only (ceiling, saturated
// party, outages before its day — not after), the folder written incrementally (CSV rows appended
// once, header with units, atomic summary) and report.html self-contained and drawn by a real
// browser with every chart visible.
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { heldBack } from "../../../app/report/held-back.ts"
import { RunReport } from "../../../app/report/run-report.ts"
import { evaluateTargets } from "../../../app/report/targets.ts"
import { ARTIFACTS, CHROMIUM, launchChromium } from "../../viewer/browser.ts"
import { outcomeFixture } from "./run-outcome-fixture.ts"

describe("targets and what held them back", () => {
  it("judges each target by day with a margin whose sign says pass or fail", () => {
    const [phase1, phase2] = evaluateTargets(outcomeFixture())
    // cardsIssued by day 2 is the series' day-2 row (200), not the final KPI (500).
    expect(phase1).toMatchObject({ value: 200, target: 300, pass: false, margin: -100, byDay: 2 })
    expect(phase2).toMatchObject({ value: 2_000_000, pass: true, margin: 3_000_000, byDay: null })
    const unmeasured = evaluateTargets(
      outcomeFixture(3, { targets: [{ phase: "p", kpi: "nothing", atLeast: 0 }] }),
    )
    expect(unmeasured[0]!.pass).toBe(false)
  })

  it("explains the miss from the ceiling, the saturated party and the outage before its day", () => {
    const o = outcomeFixture()
    const held = heldBack(o, evaluateTargets(o))
    expect(held).toHaveLength(1)
    expect(held[0]!.limits.map((l) => [l.kind, l.subject])).toEqual([
      ["adoption-ceiling", "the users"],
      ["capacity-bottleneck", "gzt-tsm HSM"],
      ["outage", "mtps"],
    ])
    const text = held[0]!.text
    expect(text).toContain("short by 100")
    expect(text).toContain("at most 210 and reached 200")
    expect(text).toContain("90 % mean utilisation (peak 100 %), turning away 12 requests")
    expect(text).toContain("mtps was down 30 min in 1 window, losing or refusing 4 requests")
    expect(text).not.toContain("cmcc-tsm")
  })

  it("says so when no limit was recorded", () => {
    const o = outcomeFixture(3, { utilisation: [], faults: [], diagnostics: [] })
    expect(heldBack(o, evaluateTargets(o))[0]!.text).toContain("none of the three limits explains the miss")
  })
})

describe("the run folder", () => {
  it("appends only new CSV rows at each snapshot and rewrites summary.json and report.html", () => {
    const dir = mkdtempSync(join(tmpdir(), "report-"))
    const report = new RunReport(dir)
    report.start({ scenario: "fixture", kind: "test", seed: 7, scenarioHash: "x", startEpochS: 0 })
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")).status).toBe("running")
    report.snapshot(outcomeFixture(2, { status: "running" }))
    report.finish(outcomeFixture(3), { flows: { legacy: 1 } })
    const csv = readFileSync(join(dir, "adoption.csv"), "utf8").trim().split("\n")
    expect(csv).toEqual([
      "tUs,date,cardsIssued (count)",
      "86400000000,2014-08-02,100",
      "172800000000,2014-08-03,200",
      "259200000000,2014-08-04,300",
    ])
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))
    expect(summary).toMatchObject({ status: "complete", seed: 7, targetsMissed: 1, flows: { legacy: 1 } })
    expect(summary.targets[0]).toMatchObject({ phase: "phase 1", pass: false, margin: -100 })
    expect(existsSync(join(dir, "summary.json.tmp"))).toBe(false)
    const html = readFileSync(join(dir, "report.html"), "utf8")
    for (const id of [
      "identity",
      "targets",
      "held-back",
      "series",
      "latency",
      "utilisation",
      "faults",
      "invariants",
      "kpis",
    ])
      expect(html).toContain(`<section id="${id}">`)
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org)/)
  })

  it.skipIf(!existsSync(CHROMIUM))(
    "renders in chromium with every chart visible",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "report-html-"))
      new RunReport(dir).finish(outcomeFixture(30))
      const browser = await launchChromium()
      try {
        const page = await browser.newPage({ viewport: { width: 1024, height: 800 } })
        const requests: string[] = []
        page.on("request", (r) => {
          if (!r.url().startsWith("file:")) requests.push(r.url())
        })
        await page.goto(`file://${join(dir, "report.html")}`)
        const charts = page.locator("svg.chart")
        expect(await charts.count()).toBe(4)
        for (let i = 0; i < 4; i++) expect((await charts.nth(i).boundingBox())!.width).toBeGreaterThan(600)
        expect(await page.locator("td.fail").count()).toBe(1)
        expect(await page.locator("rect.fault").count()).toBe(2)
        await page.screenshot({ path: join(ARTIFACTS, "../report/report.png"), fullPage: true })
        expect(requests).toEqual([])
      } finally {
        await browser.close()
      }
    },
    60_000,
  )
})
