// Proves the recorder's statistics: histogram quantiles within the documented relative error of
// exact quantiles, time-weighted means, warm-up reset, fixed-interval series, and the sinks
// (memory bound, NDJSON lines readable after each flush, broadcast fan-out).
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort } from "../../../sim/kernel/port.ts"
import { BroadcastSink } from "../../../sim/recorder/broadcast-sink.ts"
import { EventDigest } from "../../../sim/recorder/digest.ts"
import { Histogram } from "../../../sim/recorder/histogram.ts"
import { MemorySink } from "../../../sim/recorder/memory-sink.ts"
import { NdjsonSink } from "../../../sim/recorder/ndjson-sink.ts"
import { Recorder } from "../../../sim/recorder/recorder.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import { TimeSeries } from "../../../sim/recorder/time-series.ts"

describe("Histogram", () => {
  it("reports quantiles within 0.8 % of the exact order statistic, and the exact max", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2 ** 45 }), { minLength: 1, maxLength: 400 }), (values) => {
        const h = new Histogram("h")
        for (const v of values) h.record(v)
        const sorted = [...values].sort((a, b) => a - b)
        for (const q of [0.5, 0.95, 0.99]) {
          const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!
          expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact / 128 + 1)
        }
        expect(h.summary().max).toBe(sorted[sorted.length - 1])
      }),
      { numRuns: 200 },
    )
    expect(() => new Histogram("h").record(-1)).toThrow(RangeError)
  })

  it("computes several quantiles in one pass exactly as one at a time (summary uses it)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 2 ** 45 }), { maxLength: 400 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (values, qs) => {
          const h = new Histogram("h")
          for (const v of values) h.record(v)
          const ascending = [...qs].sort((a, b) => a - b)
          expect(h.quantiles(ascending)).toEqual(ascending.map((q) => h.quantile(q)))
          const s = h.summary()
          expect([s.p50, s.p95, s.p99]).toEqual([0.5, 0.95, 0.99].map((q) => h.quantile(q)))
        },
      ),
      { numRuns: 300 },
    )
    expect(() => new Histogram("h").quantiles([0.9, 0.5])).toThrow(RangeError)
    expect(() => new Histogram("h").quantiles([1.5])).toThrow(RangeError)
  })
})

describe("Recorder", () => {
  it("averages over time, and forgets the warm-up on reset", () => {
    const r = new Recorder()
    const q = r.timeWeighted("queue")
    q.set(0, 2)
    q.set(10, 4)
    expect(q.mean(20)).toBe(3)
    r.counter("orders").increment(5)
    r.histogram("latency").record(7)
    r.warmupReset(20)
    q.set(30, 0)
    expect(q.mean(40)).toBe(2)
    const s = r.summary(40)
    expect(s.counters.orders).toBe(0)
    expect(s.histograms.latency!.count).toBe(0)
  })

  it("samples time series at fixed intervals until the end", () => {
    const k = new Kernel()
    const sink = new MemorySink()
    new TimeSeries(k, { name: "q", intervalUs: 100, endUs: 500, probes: { now: (t) => t * 2 } }, sink)
    k.run()
    expect(sink.records.map((r) => r.now)).toEqual([200, 400, 600, 800, 1000])
  })
})

describe("sinks and signals", () => {
  it("writes complete NDJSON lines that are readable after each flush, before close", () => {
    const path = join(mkdtempSync(join(tmpdir(), "sim-")), "trace.ndjson")
    const sink = new NdjsonSink({ path, flushEveryRecords: 2 })
    sink.write({ a: 1 })
    sink.write({ a: 2 })
    sink.write({ a: 3 })
    const lines = readFileSync(path, "utf8").trim().split("\n")
    expect(lines.map((l) => JSON.parse(l).a)).toEqual([1, 2])
    sink.close()
    expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(3)
  })

  it("broadcasts to subscribers, drops one that throws, and bounds memory sinks", () => {
    const b = new BroadcastSink(2)
    const got: unknown[] = []
    b.subscribe((r) => got.push(r))
    b.subscribe(() => {
      throw new Error("viewer gone")
    })
    expect(b.subscribe(() => {})).toBeNull()
    b.write({ x: 1 })
    expect(got).toEqual([{ x: 1 }])
    expect(b.subscriberCount).toBe(1)
    const m = new MemorySink(2)
    for (const x of [1, 2, 3]) m.write({ x })
    expect(m.records).toEqual([{ x: 2 }, { x: 3 }])
    expect(m.dropped).toBe(1)
  })

  it("emits through the port into counts, sinks and the digest", () => {
    const k = new Kernel()
    const sink = new MemorySink()
    const digest = new EventDigest()
    const port = makePort(k, 9, new SignalBus(digest, [sink]))
    port.emit("card.issued", { cardId: 1 })
    expect(sink.records).toEqual([{ tUs: 0, signal: "card.issued", payload: { cardId: 1 } }])
    expect(digest.recordCount).toBe(1)
    expect(port.stream("x", 1).nextU32()).toBe(port.stream("x", 1).nextU32())
  })
})
