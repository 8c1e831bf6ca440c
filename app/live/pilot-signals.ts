/**
 * What the live viewer shows of a pilot run, read from the world between kernel runs (never as
 * kernel events, never through the world's signal bus, so the event-log digest is the headless
 * run's): each party's load (model/signals/party-load.ts) — the 贵州通 TSM's order servers, HSM
 * pool and OTA sessions, MTPS, the bank hosts and the UnionPay switch as the server pools the
 * parties own (their backlog as the waiting line), the telco's OTA bearer — with outages and
 * degradations from the fault windows; the four phase KPIs against the scenario's targets at the
 * run's scale, turning pass or fail as the run decides them (model/signals/kpi.ts); and three
 * time series.
 */
import { KPI_SIGNAL, type Kpi, nextTargetStatus, type TargetStatus } from "../../model/signals/kpi.ts"
import { PARTY_LOAD_SIGNAL, type PartyLoad } from "../../model/signals/party-load.ts"
import { type PartyKey, PILOT_PARTIES } from "../../model/world/network.ts"
import type { HeldResource } from "../../model/world/pilot/held-resource.ts"
import { publishedAppDays } from "../../model/world/pilot/issuance/app-publishing.ts"
import { appsBy, type PilotRunState } from "../../model/world/pilot/pilot-run.ts"
import { partyMeters, US_PER_DAY } from "../../model/world/pilot/pilot-world.ts"
import { ServerPool } from "../../model/world/pilot/server-pool.ts"
import type { Sink } from "../../sim/recorder/sink.ts"
import { targetsOf } from "../run/pilot-outcome.ts"
import { FaultWindowSignals } from "./fault-window-signals.ts"

/** The topology from the network declaration, by tier: users → banks and the switch → the TSM → MTPS → OTA. */
const NODES = [...PILOT_PARTIES].sort((a, b) => a.tier - b.tier)
type Node = (typeof NODES)[number]

const KPIS = [
  { key: "cards", label: "cards issued into SEs", unit: "cards" },
  { key: "apps", label: "applications in service", unit: "apps" },
  { key: "transactions", label: "completed transactions", unit: "txns" },
  { key: "valueYuan", label: "value of transactions", unit: "yuan" },
] as const

/** The series the viewer draws the KPI charts from (viewer/src/view-state.ts names it too). */
export const KPI_SERIES = "phase KPIs"

interface Load {
  queueDepth: number
  busy: number
  capacity: number
  utilisationPermille: number
  errors: number
}

export class PilotSignals {
  private readonly heldArea = new Map<string, number>()
  private readonly poolBusyUs = new Map<string, number>()
  private readonly statuses = new Map<string, TargetStatus[]>()
  private lastUs = 0
  /**
   * Units go with every 64th sample, not every one (they were half of each frame's bytes): the
   * viewer takes them from the first sample that has them (view-state.ts), and a sample the
   * server's bounds dropped is followed by another that carries them.
   */
  private samples = 0
  private readonly faults: FaultWindowSignals
  private readonly launchDays: ReadonlyArray<number>
  /** Each KPI's targets with its deadline: the end of the phase's last day. */
  private readonly targets: ReadonlyArray<{ kpi: string; phase: string; atLeast: number; deadlineUs: number }>

  constructor(
    private readonly state: PilotRunState,
    private readonly out: Sink,
  ) {
    const w = state.world
    this.faults = new FaultWindowSignals(out)
    this.launchDays = publishedAppDays(w.scenario.apps, w.timeZeroDays)
    this.targets = targetsOf(state).map((t) => ({
      kpi: t.kpi,
      phase: t.phase,
      atLeast: t.atLeast ?? 0,
      deadlineUs: (t.byDay ?? 0) * US_PER_DAY,
    }))
  }

  /** One sample at the kernel's current instant (a boundary of the live run's run control). */
  sample(): void {
    const w = this.state.world
    const now = w.kernel.nowUs
    const spanUs = Math.max(1, now - this.lastUs)
    for (const node of NODES) this.emitLoad(node, now, spanUs)
    this.emitKpis(now)
    this.emitSeries(now)
    this.faults.sample(w.faultWindows, now)
    this.lastUs = now
  }

  private emitLoad(node: Node, now: number, spanUs: number): void {
    const load: PartyLoad = {
      key: node.id,
      label: node.label,
      tier: node.tier,
      ...this.loadOf(node.key, now, spanUs),
      ...this.faultStateOf(node.id, now),
      sendsTo: node.sendsTo,
    }
    this.out.write({ tUs: now, signal: PARTY_LOAD_SIGNAL, payload: load })
  }

  private loadOf(key: PartyKey, now: number, spanUs: number): Load {
    const w = this.state.world
    const f = w.flows
    if (key === "users")
      return { queueDepth: 0, busy: 0, capacity: 0, utilisationPermille: 0, errors: f.abandoned }
    if (key === "telcoOta") {
      // The bearer has no servers of its own: the OTA sessions open on it now.
      const s = f.otaSessions
      const busy = s.busyAt(now)
      return {
        queueDepth: 0,
        busy,
        capacity: s.servers,
        utilisationPermille: Math.round((1000 * busy) / s.servers),
        errors: f.otaFailures,
      }
    }
    const m = partyMeters(w)[key]
    return m instanceof ServerPool ? this.pool(m, spanUs) : this.held(m, now, spanUs)
  }

  /** A TSM resource: its waiting line, busy servers, and the busy-time area since the last sample. */
  private held(r: HeldResource, now: number, spanUs: number, advance = true): Load {
    const area = r.busy.mean(now) * now
    const before = this.heldArea.get(r.name) ?? 0
    if (advance) this.heldArea.set(r.name, area)
    return {
      queueDepth: r.resource.queueLength,
      busy: r.resource.busy,
      capacity: r.resource.capacity,
      utilisationPermille: Math.min(1000, Math.round((1000 * (area - before)) / (r.nominal * spanUs))),
      errors: r.refused,
    }
  }

  /** A server pool (Lindley cost model): no waiting line to show, busy servers from the busy time. */
  private pool(p: ServerPool, spanUs: number): Load {
    const before = this.poolBusyUs.get(p.name) ?? 0
    this.poolBusyUs.set(p.name, p.busyUs)
    const ratio = Math.min(1, (p.busyUs - before) / (p.servers * spanUs))
    return {
      queueDepth: 0,
      busy: Math.round(ratio * p.servers),
      capacity: p.down ? 0 : p.servers,
      utilisationPermille: Math.round(1000 * ratio),
      errors: p.refused + p.timedOut,
    }
  }

  /** Down while an outage window is open; degraded inside a degradation window. */
  private faultStateOf(key: string, now: number): { down: boolean; degraded: boolean } {
    let down = false
    let degraded = false
    for (const fw of this.state.world.faultWindows) {
      if (fw.party === key && fw.endUs === -1) down = true
      if (fw.party === `${key} (degraded)` && fw.startUs <= now && now < fw.endUs) degraded = true
    }
    return { down, degraded }
  }

  private kpiValue(key: (typeof KPIS)[number]["key"], now: number): number {
    const w = this.state.world
    const t = w.totals
    if (key === "cards") return t.cards
    if (key === "transactions") return t.transactions
    if (key === "valueYuan") return Math.round(t.valueFen / 100)
    return appsBy(this.launchDays, Math.floor(now / US_PER_DAY))
  }

  private emitKpis(now: number): void {
    for (const k of KPIS) {
      const value = this.kpiValue(k.key, now)
      const mine = this.targets.filter((t) => t.kpi === k.key)
      const previous = this.statuses.get(k.key) ?? mine.map((): TargetStatus => "pending")
      const statuses = mine.map((t, i) =>
        nextTargetStatus(previous[i] ?? "pending", value, t.atLeast, now, t.deadlineUs),
      )
      this.statuses.set(k.key, statuses)
      const kpi: Kpi = {
        ...k,
        value,
        targets: mine.slice(0, 8).map((t, i) => ({
          phase: t.phase.slice(0, 32),
          deadlineUs: t.deadlineUs,
          target: t.atLeast,
          status: statuses[i]!,
        })),
      }
      this.out.write({ tUs: now, signal: KPI_SIGNAL, payload: kpi })
    }
  }

  private emitSeries(now: number): void {
    const w = this.state.world
    const f = w.flows
    this.out.write({
      tUs: now,
      series: "issuance queues",
      orders: f.orders.queuedAt(now),
      hsm: f.hsm.queuedAt(now),
      ota: f.otaSessions.queuedAt(now),
      inFlight: f.inFlight,
      ...(this.samples % 64 === 0
        ? { units: { orders: "orders", hsm: "orders", ota: "orders", inFlight: "orders" } }
        : {}),
    })
    // The phase KPIs' history, one unit each (the viewer draws a chart per KPI with its targets).
    const kpis: Record<string, number> = {}
    for (const k of KPIS) kpis[k.key] = this.kpiValue(k.key, now)
    this.out.write({
      tUs: now,
      series: KPI_SERIES,
      ...kpis,
      ...(this.samples % 64 === 0 ? { units: Object.fromEntries(KPIS.map((k) => [k.key, k.unit])) } : {}),
    })
    this.samples++
  }
}
