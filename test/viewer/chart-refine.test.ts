// Proves the viewer's side of zooming below the kept buckets: a chart asks for a span only where
// its buckets are coarser than its pixels and no refined span covers the view yet; the server's
// answer lands on the right series (a KPI's by its one field); and the points drawn are the
// buckets outside the span and the server's samples inside it, in time order.
import { describe, expect, it } from "vitest"
import { mergeRefined, refineRequest } from "../../viewer/src/chart-refine.ts"
import { applyRecord, applyServerMessage, emptyState, KPI_SERIES } from "../../viewer/src/view-state.ts"

const H = 3_600_000_000

const filled = (samples: number) => {
  const state = emptyState("live")
  for (let i = 1; i <= samples; i++) {
    applyRecord(state, { tUs: i * 2 * H, series: "issuance queues", orders: i % 7, hsm: 0 })
    applyRecord(state, { tUs: i * 2 * H, series: KPI_SERIES, cards: i, apps: 1 })
  }
  return state
}

describe("zoom below the kept buckets", () => {
  it("asks only where the buckets are coarser than the pixels and nothing covers the view", () => {
    const few = filled(100).series.get("issuance queues")!
    // Every sample kept: nothing to ask.
    expect(refineRequest(few, 0, 200 * H, 500)).toBeNull()
    const state = filled(20_000)
    const q = state.series.get("issuance queues")!
    expect(q.buffer.resolution).toBeGreaterThan(1)
    // The whole run holds more points than half the pixels: the buckets do.
    expect(refineRequest(q, 0, 40_000 * H, 500)).toBeNull()
    const r = refineRequest(q, 10_000 * H, 10_400 * H, 500)!
    expect(r).toMatchObject({ series: "issuance queues", fields: ["orders", "hsm"] })
    expect(r.fromUs).toBeLessThan(10_000 * H)
    expect(r.toUs).toBeGreaterThan(10_400 * H)
    expect(r.points).toBeLessThanOrEqual(2048)
    const kpi = refineRequest(state.series.get("kpi:cards")!, 10_000 * H, 10_400 * H, 500)!
    expect(kpi).toMatchObject({ series: KPI_SERIES, fields: ["cards"] })
  })

  it("puts the answer on its series and draws it in place of the buckets", () => {
    const state = filled(20_000)
    const t = Array.from({ length: 201 }, (_, k) => (5000 + k) * 2 * H)
    applyServerMessage(state, {
      type: "window",
      series: KPI_SERIES,
      fields: ["cards"],
      fromUs: t[0]!,
      toUs: t.at(-1)!,
      t,
      values: [t.map((x) => x / (2 * H))],
      resolution: 1,
    })
    const cards = state.series.get("kpi:cards")!
    expect(cards.refined?.t).toHaveLength(201)
    expect(state.series.get("kpi:apps")!.refined).toBeNull()
    // Covered now: no second request for a view inside it.
    expect(refineRequest(cards, t[10]!, t[100]!, 500)).toBeNull()
    const merged = mergeRefined(cards.buffer.view(), cards.refined!)
    const inside = merged.t.filter((x) => x >= t[0]! && x <= t.at(-1)!)
    expect(inside).toEqual(t)
    for (let k = 1; k < merged.t.length; k++) expect(merged.t[k]!).toBeGreaterThan(merged.t[k - 1]!)
    expect(merged.t[0]).toBe(cards.buffer.view().t[0])
    // An answer whose fields do not match the series is refused, not drawn.
    const bad = state.badRecords
    applyServerMessage(state, {
      type: "window",
      series: "issuance queues",
      fields: ["orders"],
      fromUs: 0,
      toUs: 1,
      t: [0],
      values: [[1]],
      resolution: 1,
    })
    expect(state.badRecords).toBe(bad + 1)
    expect(state.series.get("issuance queues")!.refined).toBeNull()
  })
})
