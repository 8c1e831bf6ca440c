// Proves report.html's chart rules: counts and yuan never share an axis (a chart per targeted KPI,
// the rest one chart per unit), y tick labels are compact enough for the margin, close targets'
// labels do not print over each other, and a tiny utilisation still draws a visible bar on an axis
// that ends just past it.
import { describe, expect, it } from "vitest"
import { formatCompact, formatPercent, monthTicks } from "../../../app/report/axis-text.ts"
import { reportHtml } from "../../../app/report/report-html.ts"
import { evaluateTargets } from "../../../app/report/targets.ts"
import { outcomeFixture } from "./run-outcome-fixture.ts"

const DAY = 86_400_000_000

const outcome = () =>
  outcomeFixture(3, {
    targets: [
      { phase: "phase 1", kpi: "cards", atLeast: 4000, byDay: 2 },
      { phase: "phase 2", kpi: "cards", atLeast: 4200, byDay: 3 },
      { phase: "phase 1", kpi: "valueYuan", atLeast: 400_000_000, byDay: 2 },
    ],
    series: [
      {
        name: "phase-kpis",
        columns: [
          { name: "cards", unit: "count" },
          { name: "valueYuan", unit: "yuan" },
          { name: "cardsHeld", unit: "count" },
        ],
        rows: [1, 2, 3].map((d) => [d * DAY, 100 * d, 1e7 * d, 90 * d]),
      },
    ],
    utilisation: [{ party: "mtps", meanRatio: 0.000003, peakRatio: 0.00001, refused: 0 }],
  })

const svgs = (html: string) => [...html.matchAll(/<svg class="chart"[\s\S]*?<\/svg>/g)].map((m) => m[0])

describe("report.html charts", () => {
  const o = outcome()
  const html = reportHtml(o, evaluateTargets(o), [])
  const series = svgs(html.slice(html.indexOf('id="series"'), html.indexOf('id="latency"')))

  it("gives each targeted KPI its own chart and the other columns one chart per unit", () => {
    expect(series.map((s) => /aria-label="([^"]+)"/.exec(s)![1])).toEqual([
      "phase-kpis: cards",
      "phase-kpis: valueYuan",
      "phase-kpis",
    ])
    expect(series[0]).not.toContain("valueYuan (yuan)")
    expect(series[1]).not.toContain("cards (count)")
  })

  it("prints compact y ticks and keeps close targets' labels apart", () => {
    const labels = [...series[1]!.matchAll(/text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[1]!)
    expect(labels.some((l) => l.includes("M"))).toBe(true)
    for (const l of labels.filter((x) => !x.startsWith("phase"))) expect(l.length).toBeLessThanOrEqual(7)
    const ys = [
      ...series[0]!.matchAll(/<text x="[\d.]+" y="([\d.]+)" text-anchor="end" fill="#555">phase/g),
    ].map((m) => Number(m[1]))
    expect(ys).toHaveLength(2)
    expect(Math.abs(ys[0]! - ys[1]!)).toBeGreaterThanOrEqual(12)
  })

  it("draws a 0.001 % utilisation as a visible bar", () => {
    const util = svgs(html.slice(html.indexOf('id="utilisation"')))[0]!
    const widths = [...util.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(Math.max(...widths)).toBeGreaterThan(100)
    expect(util).toContain("0.001 %")
  })

  it("formats axis values so that neighbouring ticks differ", () => {
    expect([0, 0.000002, 0.000004].map((v) => formatPercent(v, 0.000002))).toEqual([
      "0.0000 %",
      "0.0002 %",
      "0.0004 %",
    ])
    expect(formatCompact(1_600_000_000)).toBe("1.6 bn")
    expect(formatCompact(40_000)).toBe("40 k")
    // 2014-08-01 start: January and July starts over a three-year run.
    const ticks = monthTicks(1_406_851_200, 0, 1096)
    expect(ticks[0]).toBe(153) // 2015-01-01
    expect(ticks).toHaveLength(6)
  })
})
