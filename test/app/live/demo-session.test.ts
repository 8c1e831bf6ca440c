// Proves the viewer demo's run session: a run is a pure function of (scenario, seed) — same digest
// twice, another with another seed — and watching does not change it; commands reach run control
// (pause freezes simulated time, step advances it, inject takes the party down on the next load
// signal, unknown ids are refused by name), restart replaces the run, and inspect serves a traced
// flow's steps. Also: the viewer's fold gives the same state from a run file as from the records,
// and the frames' routes keep only the newest latency percentiles while series samples append.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { demoRoute, makeDemoSession } from "../../../app/live/demo-session.ts"
import { ISSUANCE_LATENCY_SIGNAL } from "../../../model/signals/issuance-latency.ts"
import { DEMO_SPECS } from "../../../model/world/demo/demo-spec.ts"
import { buildDemoWorld } from "../../../model/world/demo/demo-world.ts"
import { FrameAggregator } from "../../../sim/server/frame-aggregator.ts"
import { replayRunFile } from "../../../viewer/src/replay-file.ts"
import { applyRecord, emptyState } from "../../../viewer/src/view-state.ts"

const spec = DEMO_SPECS[0]!
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const runDigest = (seed: number) => {
  const world = buildDemoWorld({ ...spec, endUs: 60 * 86_400_000_000 }, seed, [])
  world.kernel.run(world.spec.endUs + 1)
  return world.digest.hex()
}

describe("viewer demo session", () => {
  it("is deterministic in its seed", () => {
    expect(runDigest(4)).toBe(runDigest(4))
    expect(runDigest(5)).not.toBe(runDigest(4))
  })

  it("pauses, steps, injects, inspects and restarts through commands", async () => {
    const session = makeDemoSession({ speed: 86_400 * 7, seed: 2 })
    const loads: Array<Record<string, unknown>> = []
    session.records.subscribe((r) => {
      if (r.signal === "party.load") loads.push(r.payload as Record<string, unknown>)
    })
    try {
      await sleep(400)
      expect(await session.command({ type: "pause" })).toEqual({ ok: true })
      await sleep(100)
      const paused = session.progress().tUs
      await sleep(300)
      expect(session.progress().tUs).toBe(paused)
      expect(await session.command({ type: "step", events: 50 })).toEqual({ ok: true })
      expect(session.progress().tUs).toBeGreaterThan(paused)
      expect((await session.command({ type: "inject", fault: "nope" })).ok).toBe(false)
      expect(await session.command({ type: "inject", fault: "mtps-outage-7d" })).toEqual({ ok: true })
      await session.command({ type: "step", events: 5 })
      expect(loads.some((l) => l.key === "mtps" && l.down === true)).toBe(true)
      await session.command({ type: "resume" })
      await sleep(500)
      const inspected = await session.command({ type: "inspect", flow: "issuance-0" })
      expect(inspected.ok && "detail" in inspected && inspected.detail.length).toBeGreaterThan(10)
      expect((await session.command({ type: "inspect", flow: "issuance-1" })).ok).toBe(false)
      let replaced = 0
      session.onReplace(() => replaced++)
      expect(await session.command({ type: "restart", seed: 9 })).toEqual({ ok: true })
      expect(replaced).toBe(1)
      expect(session.info().seed).toBe(9)
      expect((await session.command({ type: "scenario", scenario: "demo-99" })).ok).toBe(false)
    } finally {
      await session.close()
    }
  })

  it("records a run file whose replay equals the fold of the live records, with the run's digest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsm-demo-"))
    try {
      const file = join(dir, "run.ndjson")
      const session = makeDemoSession({ speed: null, seed: 6, recordPath: file })
      const live = emptyState("live")
      session.records.subscribe((r) => applyRecord(live, r))
      await session.finished()
      const replay = replayRunFile(readFileSync(file, "utf8"))
      expect(replay.badLines).toEqual([])
      expect(replay.state.digest).toBe(session.world().digest.hex())
      expect([...replay.state.kpis.values()]).toEqual([...live.kpis.values()])
      expect([...replay.state.parties.values()]).toEqual([...live.parties.values()])
      expect(replay.state.flows).toEqual(live.flows)
      expect(replay.state.run?.seed).toBe(6)
      await session.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("routes the latency percentiles as the newest only, and series samples as every one", () => {
    const aggregator = new FrameAggregator({ route: demoRoute })
    for (let day = 1; day <= 5; day++) {
      const paths = [{ path: "local-bank", count: day, p50Us: 1, p95Us: 2, p99Us: 3, maxUs: 4 }]
      aggregator.add({ tUs: day, signal: ISSUANCE_LATENCY_SIGNAL, payload: { paths } })
      aggregator.add({ tUs: day, series: "phase KPIs", cards: day })
    }
    const records = aggregator.take().records
    const latency = records.filter((r) => r.signal === ISSUANCE_LATENCY_SIGNAL)
    expect(latency.map((r) => r.tUs)).toEqual([5])
    expect(records.filter((r) => r.series === "phase KPIs").map((r) => r.tUs)).toEqual([1, 2, 3, 4, 5])
    // A client that joins later still gets the newest percentiles in its snapshot.
    expect(aggregator.snapshot().records.filter((r) => r.signal === ISSUANCE_LATENCY_SIGNAL)).toHaveLength(1)
  })
})
