// Proves that a live viewer's `on-frame` signals write nothing a run file would not: on one world,
// beside an `every-sample` PilotSignals, each `flush` writes the party loads and KPIs that
// `every-sample` wrote at the newest sample (same instant, same payloads), latency percentiles only
// as `every-sample` wrote them on some day, the time series sample for sample, and nothing at a
// flush with no sample since the last one — whatever the frames' rhythm.
import { describe, expect, it } from "vitest"
import { PilotSignals } from "../../../app/live/pilot-signals.ts"
import { ISSUANCE_LATENCY_SIGNAL } from "../../../model/signals/issuance-latency.ts"
import { KPI_SIGNAL } from "../../../model/signals/kpi.ts"
import { PARTY_LOAD_SIGNAL } from "../../../model/signals/party-load.ts"
import { MemorySink } from "../../../sim/recorder/memory-sink.ts"
import type { RecordLine } from "../../../sim/recorder/sink.ts"
import { runBoundaries, startSmallPilot } from "../../model/world/pilot/small-pilot.fixture.ts"

const SAMPLE_EVERY_US = 2 * 3_600_000_000

/** Frame rhythms: after every sample, every 7th, and at uneven gaps (a frame spans 1–40 samples). */
const RHYTHMS: ReadonlyArray<(sample: number) => boolean> = [
  () => true,
  (i) => i % 7 === 0,
  (i) => (i * 2_654_435_761) % 41 === 0 || i % 23 === 5,
]

const LATEST = new Set([PARTY_LOAD_SIGNAL, KPI_SIGNAL])
const keyOf = (r: RecordLine) => `${r.signal}/${(r.payload as { key?: string }).key ?? ""}@${r.tUs}`
const latestOf = (records: ReadonlyArray<RecordLine>) => records.filter((r) => LATEST.has(r.signal as string))
const others = (records: ReadonlyArray<RecordLine>) =>
  records.filter((r) => !LATEST.has(r.signal as string) && r.signal !== ISSUANCE_LATENCY_SIGNAL)

describe("on-frame pilot signals", () => {
  it("write at each flush the newest sample's records as every-sample wrote them, and nothing more", () => {
    // 08 takes MTPS down for 72 h in September 2014: loads turn down, errors gain causes.
    const start = startSmallPilot("08-mtps-outage", 4, "2014-10-15")
    const every = new MemorySink()
    const eager = new PilotSignals(start.state, every, "every-sample")
    const lazy = RHYTHMS.map(() => new MemorySink())
    const onFrame = lazy.map((sink) => new PilotSignals(start.state, sink, "on-frame"))
    /** Per rhythm: what each flush wrote, with the instant of the newest sample then. */
    const flushes: Array<Array<{ newestUs: number; written: RecordLine[] }>> = RHYTHMS.map(() => [])
    let sample = 0
    runBoundaries(start, SAMPLE_EVERY_US, {
      onBoundary: (atUs) => {
        eager.sample()
        onFrame.forEach((s, k) => {
          s.sample()
          if (!RHYTHMS[k]!(sample)) return
          const before = lazy[k]!.records.length
          s.flush()
          // A second frame before the next sample: nothing new to write.
          const after = lazy[k]!.records.length
          s.flush()
          expect(lazy[k]!.records.length).toBe(after)
          flushes[k]!.push({ newestUs: atUs, written: latestOf(lazy[k]!.records.slice(before, after)) })
        })
        sample++
      },
    })

    const eagerLatest = new Map(latestOf(every.records).map((r) => [keyOf(r), r]))
    const eagerLatency = new Map(
      every.records.filter((r) => r.signal === ISSUANCE_LATENCY_SIGNAL).map((r) => [r.tUs, r]),
    )
    // The run saw what this test is about: an outage, errors by cause, latency on many days.
    const loads = [...eagerLatest.values()].filter((r) => r.signal === PARTY_LOAD_SIGNAL)
    expect(loads.some((r) => (r.payload as { down: boolean }).down)).toBe(true)
    expect(loads.some((r) => (r.payload as { causes?: object }).causes !== undefined)).toBe(true)
    expect(eagerLatency.size).toBeGreaterThan(30)

    RHYTHMS.forEach((_, k) => {
      expect(flushes[k]!.length).toBeGreaterThan(10)
      for (const { newestUs, written } of flushes[k]!) {
        // The nine parties' loads and the four KPIs, all of the newest sample, as every-sample wrote them.
        expect(written.length).toBe(13)
        for (const r of written) {
          expect(r.tUs).toBe(newestUs)
          expect(r).toEqual(eagerLatest.get(keyOf(r)))
        }
      }
      const records = lazy[k]!.records
      // Nothing but flushes wrote party loads or KPIs.
      expect(latestOf(records).length).toBe(13 * flushes[k]!.length)
      // The time series and fault windows: every sample's, as every-sample wrote them.
      expect(others(records)).toEqual(others(every.records))
      const latency = records.filter((r) => r.signal === ISSUANCE_LATENCY_SIGNAL)
      expect(latency.length).toBeGreaterThan(0)
      for (const r of latency) expect(r).toEqual(eagerLatency.get(r.tUs))
    })
    // Framed after every sample, the latency is every day's.
    expect(lazy[0]!.records.filter((r) => r.signal === ISSUANCE_LATENCY_SIGNAL).length).toBe(
      eagerLatency.size,
    )
  }, 60_000)
})
