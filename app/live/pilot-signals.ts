/**
 * What the live viewer shows of a pilot run, read from the world between kernel runs (never as
 * kernel events, never through the world's signal bus, so the event-log digest is the headless
 * run's): each party's load (model/signals/party-load.ts) — the 贵州通 TSM's order servers, HSM
 * pool and OTA sessions, MTPS, the bank hosts and the UnionPay switch as the server pools the
 * parties own (their backlog as the waiting line), the telco's OTA bearer — with outages and
 * degradations from the fault windows; the four phase KPIs against the scenario's targets at the
 * run's scale, turning pass or fail as the run decides them (model/signals/kpi.ts); and three
 * time series.
 *
 * Party loads, KPIs and latency percentiles are newest-value records: a frame carries only the
 * newest of each (sim/server/frame-aggregator.ts `latest`). A run file keeps every sample's, so
 * `every-sample` writes them at each sample; a live viewer needs only what the next frame carries,
 * so `on-frame` keeps each sample's party states and KPI values and writes the records when the
 * server is about to build a frame (`flush`) — the same records, with the same instant, that
 * `every-sample` wrote at the newest sample, without building the ~140 a frame would drop at full
 * speed (bench:viewer, DESIGN.md §5: watching costs ≤ 10 %).
 */
import {
  ISSUANCE_LATENCY_SIGNAL,
  type IssuanceLatency,
  type PathLatency,
} from "../../model/signals/issuance-latency.ts"
import { KPI_SIGNAL, type Kpi, nextTargetStatus, type TargetStatus } from "../../model/signals/kpi.ts"
import { PARTY_LOAD_SIGNAL, type PartyLoad } from "../../model/signals/party-load.ts"
import { PILOT_NETWORK } from "../../model/world/network.ts"
import { publishedAppDays } from "../../model/world/pilot/issuance/app-publishing.ts"
import { appsBy, type PilotRunState } from "../../model/world/pilot/pilot-run.ts"
import { US_PER_DAY } from "../../model/world/pilot/pilot-world.ts"
import type { Sink } from "../../sim/recorder/sink.ts"
import { targetsOf } from "../run/pilot-outcome.ts"
import { FaultWindowSignals } from "./fault-window-signals.ts"
import { type PartyState, PartyStates, TOPOLOGY } from "./party-state.ts"

interface KpiTarget {
  readonly kpi: string
  readonly phase: string
  readonly atLeast: number
  readonly deadlineUs: number
}

const KPIS = [
  { key: "cards", label: "cards issued into SEs", unit: "cards" },
  { key: "apps", label: "applications in service", unit: "apps" },
  { key: "transactions", label: "completed transactions", unit: "txns" },
  { key: "valueYuan", label: "value of transactions", unit: "yuan" },
] as const

const KPI_UNITS: Readonly<Record<string, string>> = Object.fromEntries(KPIS.map((k) => [k.key, k.unit]))
const QUEUE_UNITS = { orders: "orders", hsm: "orders", ota: "orders", inFlight: "orders" } as const
const FAULT_DOWN = 1
const FAULT_DEGRADED = 2
/** The parties the topology draws: a fault window of any other party marks nothing. */
const DRAWN: ReadonlySet<string> = new Set(TOPOLOGY.map((n) => n.id))

/** The series the viewer draws the KPI charts from (viewer/src/view-state.ts names it too). */
export const KPI_SERIES = "phase KPIs"

/** When party loads, KPIs and latency percentiles are written (see the file's comment). */
export type LatestRecords = "every-sample" | "on-frame"

export class PilotSignals {
  /** Each party's state at the newest sample, and at the one before (for the interval's utilisation). */
  private current = new PartyStates()
  private previous = new PartyStates()
  /** The parties' fault state at the newest sample (windows close after it). */
  private readonly currentFaults = new Map<string, number>()
  /** The KPIs' values at the newest sample, in KPIS order. */
  private readonly kpiValues = KPIS.map(() => 0)
  private readonly statuses = new Map<string, TargetStatus[]>()
  private lastUs = 0
  private spanUs = 1
  /** `on-frame`: the newest sample's loads and KPIs are not written yet. */
  private unsent = false
  /** `on-frame`: a frame went out since the last latency record, so the next day's is wanted. */
  private latencyWanted = true
  /**
   * Units go with every 64th sample, not every one (they were half of each frame's bytes): the
   * viewer takes them from the first sample that has them (view-state.ts), and a sample the
   * server's bounds dropped is followed by another that carries them.
   */
  private samples = 0
  private readonly faults: FaultWindowSignals
  private readonly launchDays: ReadonlyArray<number>
  /** Each KPI's targets with its deadline: the end of the phase's last day. */
  private readonly targets: ReadonlyMap<string, ReadonlyArray<KpiTarget>>
  /** Each KPI's targets as last sent: the same array again while no status changed (no allocation). */
  private readonly sentTargets = new Map<string, Kpi["targets"]>()
  /** Each path's latency as last sent, with the count it summarised: summarised again only when it grew. */
  private readonly latencies = new Map<string, PathLatency>()

  constructor(
    private readonly state: PilotRunState,
    private readonly out: Sink,
    private readonly latest: LatestRecords = "every-sample",
  ) {
    const w = state.world
    this.faults = new FaultWindowSignals(out)
    this.launchDays = publishedAppDays(w.scenario.apps, w.timeZeroDays)
    const all = targetsOf(state).map((t) => ({
      kpi: t.kpi,
      phase: t.phase,
      atLeast: t.atLeast ?? 0,
      deadlineUs: (t.byDay ?? 0) * US_PER_DAY,
    }))
    this.targets = new Map(KPIS.map((k) => [k.key, all.filter((t) => t.kpi === k.key)]))
  }

  /** One sample at the kernel's current instant (a boundary of the live run's run control). */
  sample(): void {
    const w = this.state.world
    const now = w.kernel.nowUs
    this.spanUs = Math.max(1, now - this.lastUs)
    // The two snapshots trade places: the newest is read over the one before last.
    const older = this.previous
    this.previous = this.current
    this.current = older
    this.current.read(w)
    this.readFaults(now)
    this.takeKpis(now)
    if (this.latest === "every-sample") this.writeLatest(now)
    else this.unsent = true
    this.emitSeries(now)
    this.faults.sample(w.faultWindows, now)
    const newDay = Math.floor(now / US_PER_DAY) !== Math.floor(this.lastUs / US_PER_DAY)
    if (newDay && (this.latest === "every-sample" || this.latencyWanted)) {
      this.latencyWanted = false
      this.emitLatency(now)
    }
    this.lastUs = now
  }

  /**
   * A frame is about to be built: in `on-frame`, the newest sample's party loads and KPIs, if not
   * written yet (stamped with that sample's instant), and the next new day's latency percentiles.
   */
  flush(): void {
    this.latencyWanted = true
    if (!this.unsent) return
    this.unsent = false
    this.writeLatest(this.lastUs)
  }

  /** The newest sample's party loads and KPIs. */
  private writeLatest(now: number): void {
    for (const node of TOPOLOGY)
      this.emitLoad(node, this.current.get(node.id)!, now, this.currentFaults.get(node.id) ?? 0)
    this.emitKpis(now)
  }

  private emitLoad(node: (typeof TOPOLOGY)[number], st: PartyState, now: number, fault: number): void {
    const spanUs = this.spanUs
    const before = this.previous.get(node.id)
    const ratio =
      st.nominal === 0
        ? 0
        : Math.min(1, (st.busyUsTotal - (before?.busyUsTotal ?? 0)) / (st.nominal * spanUs))
    const served = st.servedTotal - (before?.servedTotal ?? 0)
    // Built in the schema's key order without spreads: nine of these every two simulated hours.
    const load: Record<string, unknown> = {
      key: node.id,
      label: node.label,
      tier: node.tier,
      queueDepth: st.queueDepth,
      // A server pool has no busy count of its own (a cost model): its busy servers over the interval.
      busy: Math.min(st.capacity, Math.max(st.busy, Math.round(ratio * st.nominal))),
      capacity: st.capacity,
      utilisationPermille: Math.round(1000 * ratio),
      utilisationPpm: Math.round(1_000_000 * ratio),
      errors: st.refusedTotal + st.timedOutTotal,
      refused: st.refusedTotal,
      timedOut: st.timedOutTotal,
    }
    if (st.causes !== undefined) load.causes = st.causes
    load.throughputPerDay = Math.max(0, Math.round((served * US_PER_DAY) / spanUs))
    if (st.waitUsMean !== null) load.waitUsMean = Math.round(st.waitUsMean)
    load.down = (fault & FAULT_DOWN) !== 0
    load.degraded = (fault & FAULT_DEGRADED) !== 0
    load.sendsTo = node.sendsTo
    this.out.write({ tUs: now, signal: PARTY_LOAD_SIGNAL, payload: load as PartyLoad })
  }

  /**
   * Each party's fault state now, in one pass over the fault windows (not one per party):
   * FAULT_DOWN while an outage window is open, FAULT_DEGRADED inside a degradation window.
   */
  private readFaults(now: number): void {
    const states = this.currentFaults
    states.clear()
    for (const fw of this.state.world.faultWindows) {
      if (!DRAWN.has(fw.party)) continue
      const down = fw.kind === "outage" && fw.endUs === -1
      if (!down && !(fw.kind === "degraded" && fw.startUs <= now && now < fw.endUs)) continue
      states.set(fw.party, (states.get(fw.party) ?? 0) | (down ? FAULT_DOWN : FAULT_DEGRADED))
    }
  }

  private kpiValue(key: (typeof KPIS)[number]["key"], now: number): number {
    const w = this.state.world
    const t = w.totals
    if (key === "cards") return t.cards
    if (key === "transactions") return t.transactions
    if (key === "valueYuan") return Math.round(t.valueFen / 100)
    return appsBy(this.launchDays, Math.floor(now / US_PER_DAY))
  }

  /** Each KPI's value now, and its targets' statuses (decided at every sample, written or not). */
  private takeKpis(now: number): void {
    for (let ki = 0; ki < KPIS.length; ki++) {
      const k = KPIS[ki]!
      const value = this.kpiValue(k.key, now)
      this.kpiValues[ki] = value
      const mine = this.targets.get(k.key)!
      const statuses = this.statuses.get(k.key) ?? mine.map((): TargetStatus => "pending")
      this.statuses.set(k.key, statuses)
      let changed = !this.sentTargets.has(k.key)
      for (let i = 0; i < mine.length; i++) {
        const t = mine[i]!
        const next = nextTargetStatus(statuses[i]!, value, t.atLeast, now, t.deadlineUs)
        if (next !== statuses[i]) changed = true
        statuses[i] = next
      }
      if (changed)
        this.sentTargets.set(
          k.key,
          mine.slice(0, 8).map((t, i) => ({
            phase: t.phase.slice(0, 32),
            deadlineUs: t.deadlineUs,
            target: t.atLeast,
            status: statuses[i]!,
          })),
        )
    }
  }

  private emitKpis(now: number): void {
    for (let ki = 0; ki < KPIS.length; ki++) {
      const k = KPIS[ki]!
      const kpi: Kpi = {
        key: k.key,
        label: k.label,
        unit: k.unit,
        value: this.kpiValues[ki]!,
        targets: this.sentTargets.get(k.key)!,
      }
      this.out.write({ tUs: now, signal: KPI_SIGNAL, payload: kpi })
    }
  }

  /** Once a simulated day: the histograms change slowly, and percentiles cost a pass over buckets. */
  private emitLatency(now: number): void {
    const paths: PathLatency[] = []
    for (const [path, h] of this.state.world.flows.latency) {
      if (h.count === 0) continue
      let latency = this.latencies.get(path)
      if (latency === undefined || latency.count !== h.count) {
        const s = h.summary()
        latency = {
          path,
          count: s.count,
          p50Us: Math.round(s.p50),
          p95Us: Math.round(s.p95),
          p99Us: Math.round(s.p99),
          maxUs: Math.round(s.max),
        }
        this.latencies.set(path, latency)
      }
      paths.push(latency)
    }
    const payload: IssuanceLatency = { paths }
    this.out.write({ tUs: now, signal: ISSUANCE_LATENCY_SIGNAL, payload })
  }

  private emitSeries(now: number): void {
    const f = this.state.world.flows
    // The TSM's pools' waiting lines as the sample's party states read them (one pass per pool).
    const st = this.current
    const queues: Record<string, unknown> = {
      tUs: now,
      series: "issuance queues",
      orders: st.get(PILOT_NETWORK.tsmOrders.id)!.queueDepth,
      hsm: st.get(PILOT_NETWORK.tsmHsm.id)!.queueDepth,
      ota: st.get(PILOT_NETWORK.tsmOtaSessions.id)!.queueDepth,
      inFlight: f.inFlight,
    }
    if (this.samples % 64 === 0) queues.units = QUEUE_UNITS
    this.out.write(queues)
    // The phase KPIs' history, one unit each (the viewer draws a chart per KPI with its targets).
    const record: Record<string, unknown> = { tUs: now, series: KPI_SERIES }
    for (let ki = 0; ki < KPIS.length; ki++) record[KPIS[ki]!.key] = this.kpiValues[ki]
    if (this.samples % 64 === 0) record.units = KPI_UNITS
    this.out.write(record)
    this.samples++
  }
}
