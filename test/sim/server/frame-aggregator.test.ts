// Proves the aggregator's bounds: whatever arrives, a frame carries at most the protocol's record
// count, the newest record per key always survives, appended groups are thinned evenly, and the
// snapshot holds the latest per key plus recent history.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { FrameAggregator } from "../../../sim/server/frame-aggregator.ts"

const route = (r: Readonly<Record<string, unknown>>) =>
  typeof r.key === "string"
    ? ({ mode: "latest", key: r.key } as const)
    : ({ mode: "append", group: String(r.g) } as const)

describe("FrameAggregator", () => {
  it("keeps frames within the record bound and the newest value per key", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ key: fc.constantFrom("a", "b", "c"), v: fc.nat() }),
            fc.record({ g: fc.nat(3), v: fc.nat() }),
          ),
          {
            maxLength: 3000,
          },
        ),
        (records) => {
          const agg = new FrameAggregator({ route, recordsPerFrameMax: 64, groupPendingMax: 40 })
          for (const r of records) agg.add(r)
          const frame = agg.take()
          expect(frame.records.length).toBeLessThanOrEqual(64)
          for (const key of ["a", "b", "c"]) {
            const last = records.filter((r) => "key" in r && r.key === key).at(-1)
            if (last !== undefined) expect(frame.records).toContainEqual(last)
          }
          const appended = records.filter((r) => !("key" in r)).length
          const framedAppended = frame.records.filter((r) => !("key" in r)).length
          expect(framedAppended + frame.dropped).toBe(appended)
        },
      ),
      { numRuns: 200 },
    )
  })

  it("thins an overflowing group evenly rather than cutting its end", () => {
    const agg = new FrameAggregator({ route, groupPendingMax: 100 })
    for (let i = 0; i < 1000; i++) agg.add({ g: 0, v: i })
    const { records, dropped } = agg.take()
    const values = records.map((r) => r.v as number)
    expect(values[0]).toBe(0)
    expect(values.at(-1)).toBeGreaterThan(900)
    expect(records.length + dropped).toBe(1000)
    expect(agg.take().records).toEqual([])
  })

  it("gives a late client the newest value per key and the whole run's history, evenly thinned", () => {
    const agg = new FrameAggregator({ route, groupHistoryMax: 10 })
    for (let i = 0; i < 50; i++) {
      agg.add({ key: "a", v: i })
      agg.add({ g: 1, v: i })
      agg.take()
    }
    const snap = agg.snapshot()
    expect(snap.records.filter((r) => r.key === "a")).toEqual([{ key: "a", v: 49 }])
    // From the first record on, every 8th (the bound 10 was passed at 11, 21 and 41 kept records).
    expect(snap.records.filter((r) => r.g === 1).map((r) => r.v)).toEqual([0, 8, 16, 24, 32, 40, 48])
    agg.reset()
    expect(agg.snapshot().records).toEqual([])
  })

  it("splits a long history into snapshot frames within the frame bound, in time order", () => {
    const agg = new FrameAggregator({ route, groupHistoryMax: 2000, recordsPerFrameMax: 100 })
    for (let i = 0; i < 1000; i++) {
      agg.add({ g: 1, v: i })
      if (i % 7 === 0) agg.take()
    }
    agg.take()
    const frames = agg.snapshotFrames()
    expect(frames.length).toBe(10)
    for (const f of frames) expect(f.records.length).toBeLessThanOrEqual(100)
    expect(frames.flatMap((f) => f.records.map((r) => r.v))).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    )
  })

  it("bounds the number of keys", () => {
    const agg = new FrameAggregator({ route, keysMax: 5 })
    for (let i = 0; i < 100; i++) agg.add({ key: `k${i}`, v: i })
    const frame = agg.take()
    expect(frame.records.length).toBe(5)
    expect(frame.dropped).toBe(95)
  })
})
