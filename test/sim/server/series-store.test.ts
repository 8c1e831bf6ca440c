// Proves the server's full-resolution series store behind the viewer's zoom: under its bound it
// gives back every sample of a span exactly as recorded; a span with more samples than asked for
// comes as min/max pairs that keep every extreme; past the bound it halves itself without losing
// an extreme or the run's span; it refuses series and fields beyond its bounds; the viewer server
// answers a `window` request over ws from it, and names an unknown series.
import { describe, expect, it } from "vitest"
import WebSocket from "ws"
import { SeriesStore } from "../../../sim/server/series-store.ts"
import { startViewerServer } from "../../../sim/server/viewer-server.ts"
import { stubSession } from "./stub-session.ts"

const H = 3_600_000_000
/** A queue that climbs and falls, with one spike at sample 777. */
const sample = (i: number) => ({ tUs: (i + 1) * 2 * H, series: "q", a: i % 50, b: i === 777 ? 10_000 : -i })

describe("SeriesStore", () => {
  it("gives back every sample of a span as it came while under its bound", () => {
    const store = new SeriesStore(4096)
    for (let i = 0; i < 3000; i++) store.add(sample(i))
    const w = store.window("q", [], sample(100).tUs, sample(199).tUs, 2048)!
    expect(w.resolution).toBe(1)
    expect(w.fields).toEqual(["a", "b"])
    // One sample beyond each end, so lines reach the view's edges.
    expect(w.t).toEqual(Array.from({ length: 102 }, (_, k) => sample(99 + k).tUs))
    expect(w.values[0]).toEqual(Array.from({ length: 102 }, (_, k) => sample(99 + k).a))
    const only = store.window("q", ["b"], sample(770).tUs, sample(780).tUs, 2048)!
    expect(only.fields).toEqual(["b"])
    expect(only.values).toHaveLength(1)
    expect(Math.max(...only.values[0]!)).toBe(10_000)
  })

  it("answers a span larger than asked for with min/max pairs that keep the extremes", () => {
    const store = new SeriesStore(4096)
    for (let i = 0; i < 3000; i++) store.add(sample(i))
    const w = store.window("q", [], 0, sample(2999).tUs, 200)!
    expect(w.t.length).toBeLessThanOrEqual(200)
    expect(w.resolution).toBeGreaterThan(1)
    expect(Math.max(...w.values[1]!)).toBe(10_000)
    expect(Math.min(...w.values[1]!)).toBe(-2999)
    expect(Math.max(...w.values[0]!)).toBe(49)
    expect(w.t[0]).toBe(sample(0).tUs)
    expect(w.t.at(-1)).toBe(sample(2999).tUs)
    for (let k = 1; k < w.t.length; k++) expect(w.t[k]!).toBeGreaterThan(w.t[k - 1]!)
  })

  it("halves itself past its bound, keeping the run's span and every extreme", () => {
    const store = new SeriesStore(256)
    for (let i = 0; i < 3000; i++) store.add(sample(i))
    const w = store.window("q", [], 0, Number.MAX_SAFE_INTEGER, 2048)!
    expect(w.t.length).toBeLessThanOrEqual(256 + 16)
    expect(w.resolution).toBeGreaterThan(1)
    expect(w.t[0]).toBe(sample(0).tUs)
    expect(w.t.at(-1)).toBe(sample(2999).tUs)
    expect(Math.max(...w.values[1]!)).toBe(10_000)
    expect(Math.min(...w.values[1]!)).toBe(-2999)
    expect(store.resolutionOf("q")).toBeGreaterThan(1)
  })

  it("refuses series and fields beyond its bounds, and unknown names", () => {
    const store = new SeriesStore()
    for (let i = 0; i < 40; i++) store.add({ tUs: 1, series: `s${i}`, x: 1 })
    expect(store.refused).toBe(8)
    const wide: Record<string, unknown> = { tUs: 1, series: "wide" }
    for (let i = 0; i < 9; i++) wide[`f${i}`] = i
    store.reset()
    store.add(wide)
    expect(store.refused).toBe(1)
    expect(store.window("wide", [], 0, 10, 10)).toBeNull()
    store.add({ tUs: 1, series: "ok", x: 1 })
    expect(store.window("ok", ["y"], 0, 10, 10)).toBeNull()
    expect(store.window("ok", ["x"], 0, 10, 10)!.values).toEqual([[1]])
  })
})

describe("viewer server window requests", () => {
  it("answers a window from the store and names an unknown series", async () => {
    const session = stubSession()
    const server = await startViewerServer(session, { route: () => ({ mode: "append", group: "series" }) })
    try {
      for (let i = 0; i < 500; i++) session.records.write(sample(i))
      const ws = new WebSocket(server.wsUrl)
      const answers: Array<Record<string, unknown>> = []
      ws.on("message", (d) => {
        const m = JSON.parse(String(d)) as Record<string, unknown>
        if (m.type === "window" || m.type === "error") answers.push(m)
      })
      await new Promise((r) => ws.once("open", r))
      const ask = { type: "window", series: "q", fields: ["a"], points: 2048 }
      ws.send(JSON.stringify({ ...ask, fromUs: sample(10).tUs, toUs: sample(20).tUs, id: 4 }))
      ws.send(JSON.stringify({ ...ask, series: "nope", fromUs: 0, toUs: 1, id: 5 }))
      ws.send(JSON.stringify({ ...ask, fromUs: 9, toUs: 1, id: 6 }))
      await expect.poll(() => answers.length).toBe(3)
      const w = answers.find((a) => a.id === 4)!
      expect(w.type).toBe("window")
      expect(w.resolution).toBe(1)
      expect(w.t).toEqual(Array.from({ length: 13 }, (_, k) => sample(9 + k).tUs))
      expect(w.values).toEqual([Array.from({ length: 13 }, (_, k) => sample(9 + k).a)])
      expect(answers.find((a) => a.id === 5)).toMatchObject({ type: "error", code: "unknown-series" })
      expect(answers.find((a) => a.id === 6)).toMatchObject({ type: "error", code: "invalid" })
      ws.close()
    } finally {
      await server.close()
    }
  })
})
