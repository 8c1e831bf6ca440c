// Proves the frames' columnar samples (protocol 2) lose nothing: for any mix of records — samples
// of several series with the same or changing numeric fields, samples carrying a non-numeric
// field, signals — the viewer's frameRecords(toColumns(records)) gives back every record, each
// series' samples in their order, and the columns are smaller on the wire than the records.
import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { RecordLine } from "../../../sim/recorder/sink.ts"
import { toColumns } from "../../../sim/server/frame-columns.ts"
import { Frame } from "../../../sim/server/protocol.ts"
import { frameRecords } from "../../../viewer/src/frame-records.ts"

const frameOf = (records: ReadonlyArray<RecordLine>) => {
  const split = toColumns(records)
  return {
    type: "frame" as const,
    seq: 1,
    snapshot: false,
    progress: { state: "running" as const, tUs: 0, events: 0, eventsPerSecond: 0, speed: null },
    digest: null,
    records: split.records,
    ...(split.columns.length === 0 ? {} : { columns: split.columns }),
    dropped: 0,
  }
}

const bySeries = (records: ReadonlyArray<RecordLine>) => {
  const out = new Map<string, RecordLine[]>()
  for (const r of records) {
    const key = typeof r.series === "string" ? `series:${r.series}` : "other"
    out.set(key, [...(out.get(key) ?? []), r])
  }
  return out
}

/** A frame's worth of records: samples of a few series in time order, some with units, and signals. */
const records: fc.Arbitrary<RecordLine[]> = fc
  .array(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          series: fc.constantFrom("phase KPIs", "issuance queues"),
          fields: fc.constantFrom(["cards", "apps"], ["cards", "apps"], ["orders"]),
          value: fc.integer({ min: -5, max: 1e12 }),
          units: fc.boolean(),
        }),
      },
      { weight: 1, arbitrary: fc.record({ signal: fc.constantFrom("kpi", "party.load"), n: fc.nat() }) },
    ),
    { maxLength: 200 },
  )
  .map((items) =>
    items.map((x, i): RecordLine => {
      if ("signal" in x) return { tUs: i, signal: x.signal, payload: { n: x.n } }
      const r: Record<string, unknown> = { tUs: 1000 + i, series: x.series }
      x.fields.forEach((f, k) => {
        r[f] = x.value + k
      })
      if (x.units) r.units = { cards: "cards" }
      return r
    }),
  )

describe("columnar frame samples", () => {
  it("give back every record, each series in its order, through a frame the protocol accepts", () => {
    fc.assert(
      fc.property(records, (input) => {
        const frame = frameOf(input)
        // The frame goes through JSON and the protocol's Schema, as it does to the browser.
        const wire = Schema.decodeUnknownSync(Frame)(JSON.parse(JSON.stringify(frame)))
        const back = frameRecords(wire)
        expect(back).toHaveLength(input.length)
        const want = bySeries(input)
        const got = bySeries(back)
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
        for (const [key, rs] of want) expect(got.get(key)).toEqual(rs)
      }),
      { numRuns: 300 },
    )
  })

  it("puts plain numeric samples into columns, smaller than the records, and leaves the rest", () => {
    const input: RecordLine[] = Array.from({ length: 100 }, (_, i) => ({
      tUs: 7_200_000_000 * i,
      series: "phase KPIs",
      cards: 40_000 + i,
      apps: 27,
      transactions: 700_000 + 13 * i,
      valueYuan: 7_000_000_000 + 1_000 * i,
    }))
    input.push({ tUs: 0, signal: "kpi", payload: { key: "cards" } })
    const split = toColumns(input)
    expect(split.records).toHaveLength(1)
    expect(split.columns).toHaveLength(1)
    expect(split.columns[0]!.t).toHaveLength(100)
    const columnar = JSON.stringify(frameOf(input)).length
    const plain = JSON.stringify({ ...frameOf([]), records: input }).length
    expect(columnar).toBeLessThan(0.6 * plain)
  })
})
