// Proves the live pilot run is the headless run: the same digest and daily rows as runPilot, with
// the viewer's signals sampled and issuances traced down to plaintext STORE DATA DGIs; and that a
// run with faults injected mid-run is reproduced to its digest from its run file alone.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { rerunOf, startPilotRun } from "../../../app/live/pilot-run-session.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { FLOW_STEP_SIGNAL, type FlowStep } from "../../../model/signals/flow.ts"
import { ISSUANCE_LATENCY_SIGNAL, type IssuanceLatency } from "../../../model/signals/issuance-latency.ts"
import { KPI_SIGNAL, type Kpi } from "../../../model/signals/kpi.ts"
import { PARTY_LOAD_SIGNAL, type PartyLoad } from "../../../model/signals/party-load.ts"
import { FAITHFUL_PARTIES } from "../../../model/world/pilot/pilot-party-layers.ts"
import { runPilot } from "../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../model/world/pilot/pilot-scenario.ts"
import { MemorySink } from "../../../sim/recorder/memory-sink.ts"
import { NdjsonSink } from "../../../sim/recorder/ndjson-sink.ts"

const PLAN = resolve(import.meta.dirname, "../../../scenarios/04-pilot-plan.json")
const OUTAGE = resolve(import.meta.dirname, "../../../scenarios/08-mtps-outage.json")
const SCALE = 0.002
const UNTIL = "2014-10-31"
const dir = mkdtempSync(join(tmpdir(), "tsm-pilot-session-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const headless = (path: string, seed: number) => {
  const decoded = decodePilotScenario(JSON.parse(readFileSync(path, "utf8")))
  if (!decoded.ok) throw new Error(decoded.message)
  return runPilot({
    scenario: decoded.value,
    population: decoded.population,
    scale: SCALE,
    seed,
    crypto: nativeCrypto,
    untilDate: UNTIL,
  })
}

const payloads = <T>(sink: MemorySink, signal: string): T[] =>
  sink.records.filter((r) => r.signal === signal).map((r) => r.payload as T)

describe("pilot run session", () => {
  it("runs the headless run's events, with party load, KPIs and traced issuances", async () => {
    const sink = new MemorySink()
    const run = startPilotRun({
      path: OUTAGE,
      seed: 3,
      scale: SCALE,
      untilDate: UNTIL,
      speed: null,
      crypto: nativeCrypto,
      parties: FAITHFUL_PARTIES,
      sinks: [sink],
      traceEveryUs: 3_600_000_000,
    })
    await run.done
    const reference = headless(OUTAGE, 3)
    expect(run.live.state.world.digest.hex()).toBe(reference.world.digest.hex())
    expect(run.live.state.phaseRows).toEqual(reference.phaseRows)
    expect(run.live.state.invariants).toEqual(reference.invariants)
    const loads = payloads<PartyLoad>(sink, PARTY_LOAD_SIGNAL)
    // 08 takes MTPS down on 2014-09-10 08:00 for 72 h: the topology must have seen it.
    expect(loads.some((l) => l.key === "mtps" && l.down)).toBe(true)
    // The network's eight parties and the SE.
    expect(new Set(loads.map((l) => l.key)).size).toBe(9)
    // Throughput is served work per day over each two-hour interval: summed back over the run it
    // gives the world's own counts (the SE's are the issued cards, MTPS's the pool's served requests).
    const servedOf = (key: string) =>
      loads.filter((l) => l.key === key).reduce((sum, l) => sum + (l.throughputPerDay ?? 0) / 12, 0)
    const w = run.live.state.world
    expect(servedOf("se")).toBe(w.flows.issued)
    expect(servedOf("mtps")).toBe(w.mtps.served)
    expect(w.flows.issued).toBeGreaterThan(0)
    // The TSM's servers were busy at some sample, and the topology shows MTPS's own refusal counts.
    // (at this scale well under 0.1 %, hence parts per million).
    for (const key of ["gzt-tsm.hsm", "bank-host"])
      expect(loads.some((l) => l.key === key && (l.utilisationPpm ?? 0) > 0)).toBe(true)
    const mtps = loads.filter((l) => l.key === "mtps").at(-1)!
    expect(mtps.refused).toBe(w.mtps.refused)
    expect(mtps.timedOut).toBe(w.mtps.timedOut)
    // A downed MTPS refuses nothing: the TSM parks its orders until MTPS is back (issuance-flows.ts).
    expect(w.decisions.record()["gzt-tsm.orders"]?.errors["parked: party down"]).toBeGreaterThan(0)
    // Errors by cause are rebuilt only when the world counted another error: the last sample's
    // causes are still every party's non-zero causes as the world counted them.
    const counted = w.decisions.record()
    const lastLoads = new Map(loads.map((l) => [l.key, l]))
    for (const [key, l] of lastLoads) {
      const causes = Object.entries(counted[key]?.errors ?? {}).filter(([, n]) => n > 0)
      expect(l.causes ?? {}).toEqual(Object.fromEntries(causes))
    }
    expect(lastLoads.get("gzt-tsm.orders")!.causes?.["parked: party down"]).toBeGreaterThan(0)
    // Latency percentiles are summarised again only when a path's count grew: the last ones are
    // the world's histograms' own.
    const latency = sink.records.filter((r) => r.signal === ISSUANCE_LATENCY_SIGNAL).at(-1)!
    const paths = (latency.payload as IssuanceLatency).paths
    expect(paths.length).toBeGreaterThan(0)
    const sent = new Map(paths.map((p) => [p.path, p]))
    for (const [path, h] of w.flows.latency) {
      if (h.count === 0) continue
      const p = sent.get(path)!
      const s = h.summary()
      expect([p.count, p.p50Us, p.p95Us, p.p99Us]).toEqual([s.count, s.p50, s.p95, s.p99].map(Math.round))
    }
    const cards = payloads<Kpi>(sink, KPI_SIGNAL).filter((k) => k.key === "cards")
    expect(cards.at(-1)!.value).toBe(reference.world.totals.cards)
    const steps = payloads<FlowStep>(sink, FLOW_STEP_SIGNAL)
    const stores = steps.filter((s) => s.apdu?.commandName === "STORE DATA" && s.apdu.plain?.format === "dgi")
    expect(stores.length).toBeGreaterThan(0)
    expect(stores.some((s) => s.apdu!.plain!.tree!.some((n) => n.children !== undefined))).toBe(true)
    expect(steps.some((s) => s.to === "mtps")).toBe(true)
  }, 60_000)

  it("reproduces a run with injected faults from its run file", async () => {
    const file = join(dir, "injected.ndjson")
    const recorder = new NdjsonSink({ path: file })
    const run = startPilotRun({
      path: PLAN,
      seed: 9,
      scale: SCALE,
      untilDate: UNTIL,
      speed: null,
      crypto: nativeCrypto,
      parties: FAITHFUL_PARTIES,
      sinks: [],
      recorder,
    })
    run.live.pause()
    run.live.step(20_000)
    expect(run.live.inject("bank-host-down-24h")).toBeNull()
    run.live.step(50_000)
    expect(run.live.inject("hsm-pool-one-left-7d")).toBeNull()
    expect(run.live.inject("no-such-fault")).toMatch(/no fault/)
    run.live.resume()
    await run.done
    const digest = run.live.state.world.digest.hex()
    const plain = headless(PLAN, 9)
    expect(digest).not.toBe(plain.world.digest.hex())
    const again = rerunOf(readFileSync(file, "utf8"))!
    expect(again.injections.map((i) => i.fault)).toEqual(["bank-host-down-24h", "hsm-pool-one-left-7d"])
    expect(again.digest).toBe(digest)
    const rerun = startPilotRun({
      path: PLAN,
      seed: again.seed,
      scale: again.scale,
      untilDate: again.untilDate,
      speed: null,
      crypto: nativeCrypto,
      parties: FAITHFUL_PARTIES,
      sinks: [],
      injections: again.injections,
    })
    await rerun.done
    expect(rerun.live.state.world.digest.hex()).toBe(digest)
    expect(rerun.live.state.world.faultWindows.some((w) => w.party === "bank-host")).toBe(true)
  }, 60_000)
})
