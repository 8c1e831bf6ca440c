/**
 * The issuance run as a `RunOutcome` for the report and the sweeps (app/report/run-outcome.ts).
 * `IssuanceRecorder` is a signal sink passed to `runIssuance`: it times each order from
 * `order.opened` to `order.terminal` per flow (kind via TSM) and, called once per simulated day,
 * appends a row to each daily table (adoption, orders, utilisation). MTPS utilisation is the work
 * it accepted (envelopes delivered to it, minus those dropped while down or refused as busy, times
 * its service time) over its capacity (servers × time); counting accepted work by its arrival day
 * can exceed one day's capacity, so a day's ratio is capped at 1.
 */
import { PILOT_START_S } from "../../model/host/pki/pilot-pki.ts"
import type { IssuanceScenario } from "../../model/world/issuance/issuance-scenario.ts"
import type { IssuanceRun } from "../../model/world/issuance/run-issuance.ts"
import { HUB_ID, SE_ISSUERS, type World } from "../../model/world/issuance/world.ts"
import type { RecordLine, Sink } from "../../sim/recorder/sink.ts"
import { FlowLatencies } from "../report/flow-latency.ts"
import type { Diagnostic, FaultWindow, Kpi, PhaseTarget, RunOutcome } from "../report/run-outcome.ts"

const US_PER_DAY = 86_400_000_000
const US_PER_MINUTE = 60_000_000
/** An adoption ceiling is reported once the population reached this share of it. */
const CEILING_SHARE_BINDING = 0.95

interface OrderSignal {
  readonly orderId: string
  readonly kind: string
  readonly tsm?: string
  readonly phase?: string
}

export class IssuanceRecorder implements Sink {
  readonly flows = new FlowLatencies()
  /** Every issue order, whichever TSM: the sweep's "issuance latency". */
  readonly issues = new FlowLatencies()
  readonly adoption: number[][] = []
  readonly orders: number[][] = []
  readonly utilisation: number[][] = []
  private done = 0
  private failed = 0
  private firstIssues = 0
  private mtpsAcceptedTotal = 0
  private last = { done: 0, failed: 0, busy: 0, delivered: 0, dropped: 0 }

  constructor(private readonly sc: IssuanceScenario) {}

  write(record: RecordLine): void {
    const tUs = record.tUs as number
    const signal = record.signal as string
    if (signal !== "order.opened" && signal !== "order.terminal") return
    const p = record.payload as OrderSignal
    if (signal === "order.opened") {
      this.flows.opened(p.orderId, `${p.kind} via ${p.tsm}`, tUs)
      if (p.kind === "issue") this.issues.opened(p.orderId, "issue", tUs)
      return
    }
    const ok = p.phase === "done"
    this.flows.ended(p.orderId, tUs, ok)
    this.issues.ended(p.orderId, tUs, ok)
    if (ok) this.done++
    else this.failed++
    if (ok && p.kind === "issue") this.firstIssues++
  }

  flush(): void {}
  close(): void {}

  /** Appends the day's rows; call after the kernel ran through `day`. */
  endDay(day: number, world: World): void {
    const tUs = day * US_PER_DAY
    const issued = world.signals.count("card.issued")
    const gone = world.signals.count("card.closed") + world.signals.count("card.hot-listed")
    this.adoption.push([tUs, issued, issued - gone])
    const busy = world.signals.count("mtps.busy")
    this.orders.push([tUs, this.done - this.last.done, this.failed - this.last.failed, busy - this.last.busy])
    let delivered = 0
    for (const link of world.links.values())
      if (link.options.to === HUB_ID) delivered += link.counts.delivered
    const accepted =
      delivered - this.last.delivered - (world.mtps.dropped - this.last.dropped) - (busy - this.last.busy)
    this.mtpsAcceptedTotal += accepted
    this.utilisation.push([
      tUs,
      Math.min(1, (accepted * this.sc.mtpsServiceUs) / (this.sc.mtpsServers * US_PER_DAY)),
    ])
    this.last = { done: this.done, failed: this.failed, busy, delivered, dropped: world.mtps.dropped }
  }

  get firstIssuesDone(): number {
    return this.firstIssues
  }

  /** Accepted MTPS work over its capacity for the whole run so far. */
  mtpsMeanRatio(endUs: number): number {
    return endUs <= 0 ? 0 : (this.mtpsAcceptedTotal * this.sc.mtpsServiceUs) / (this.sc.mtpsServers * endUs)
  }
}

const windowUs = (w: { startMinute: number; durationMinutes: number }) => ({
  startUs: w.startMinute * US_PER_MINUTE,
  endUs: (w.startMinute + w.durationMinutes) * US_PER_MINUTE,
})

const faultsOf = (sc: IssuanceScenario, run: Omit<IssuanceRun, "digest">): FaultWindow[] => [
  // Every MTPS drop happens inside some window; with one window the count is that window's.
  ...sc.mtpsOutages.map((w) => ({
    party: HUB_ID,
    kind: "outage",
    ...windowUs(w),
    ...(sc.mtpsOutages.length === 1 ? { affected: run.world.mtps.dropped } : {}),
  })),
  ...sc.seIssuerOutages.map((o) => ({
    party: SE_ISSUERS[o.issuer].institution,
    kind: "outage",
    ...windowUs(o.window),
  })),
]

const kpisOf = (r: IssuanceRecorder, run: Omit<IssuanceRun, "digest">): Record<string, Kpi> => {
  const issue = r.issues.histogram("issue")?.summary()
  const done = r.flows.table().reduce((n, f) => n + f.count, 0)
  const failed = [...r.flows.failed.values()].reduce((n, c) => n + c, 0)
  const last = r.adoption.at(-1)
  const violations = Object.values(run.audit.counts).reduce((n, c) => n + c.violations, 0)
  const k = (value: number, unit: string, label: string): Kpi => ({ value, unit, label })
  return {
    cardsIssued: k(last?.[1] ?? 0, "count", "cards issued (first issue, 补卡 and SIM swap)"),
    cardsLive: k(last?.[2] ?? 0, "count", "cards issued and neither closed nor hot-listed"),
    ordersDone: k(done, "count", "orders that reached 'done'"),
    ordersFailed: k(failed, "count", "orders that ended otherwise (failed, compensated)"),
    orderSuccessRatio: k(
      done + failed === 0 ? Number.NaN : done / (done + failed),
      "ratio",
      "done / terminal",
    ),
    issueLatencyUsMean: k(issue?.mean ?? Number.NaN, "µs", "issue order, opened → done, mean"),
    issueLatencyUsP50: k(issue?.p50 ?? Number.NaN, "µs", "issue order, opened → done, median"),
    issueLatencyUsP95: k(issue?.p95 ?? Number.NaN, "µs", "issue order, opened → done, 95th percentile"),
    issueLatencyUsP99: k(issue?.p99 ?? Number.NaN, "µs", "issue order, opened → done, 99th percentile"),
    mtpsUtilisationRatio: k(r.mtpsMeanRatio(run.endUs), "ratio", "MTPS accepted work / capacity, whole run"),
    mtpsRefusedBusy: k(run.world.mtps.refusedBusy, "count", "envelopes MTPS refused as saturated"),
    mtpsDroppedWhileDown: k(run.world.mtps.dropped, "count", "envelopes lost to MTPS outages"),
    envelopesRejected: k(
      run.world.signals.count("envelope.rejected"),
      "count",
      "envelopes failing verification",
    ),
    invariantViolations: k(violations, "count", "audit violations"),
  }
}

const ceilingOf = (
  sc: IssuanceScenario,
  r: IssuanceRecorder,
  targets: ReadonlyArray<PhaseTarget>,
): Diagnostic[] => {
  const kpis = ["cardsIssued", "cardsLive"]
  const beyond = targets.some((t) => kpis.includes(t.kpi) && (t.atLeast ?? 0) > sc.users)
  if (!beyond && r.firstIssuesDone < CEILING_SHARE_BINDING * sc.users) return []
  return [
    {
      kind: "adoption-ceiling",
      kpis,
      subject: "the scenario's users",
      ceiling: sc.users,
      reached: r.firstIssuesDone,
    },
  ]
}

export interface IssuanceOutcomeMeta {
  readonly seed: number
  readonly scenarioHash: string
  readonly status: string
  readonly targets: ReadonlyArray<PhaseTarget>
}

export const issuanceOutcome = (
  sc: IssuanceScenario,
  r: IssuanceRecorder,
  run: Omit<IssuanceRun, "digest"> & { readonly digest: string | null },
  meta: IssuanceOutcomeMeta,
): RunOutcome => {
  const daily = r.utilisation.map((row) => row[1]!)
  return {
    scenario: sc.name,
    kind: "issuance",
    seed: meta.seed,
    scenarioHash: meta.scenarioHash,
    startEpochS: PILOT_START_S,
    status: meta.status,
    digest: run.digest,
    simulatedEndUs: run.endUs,
    kpis: kpisOf(r, run),
    targets: meta.targets,
    invariants: run.audit.counts,
    series: [
      {
        name: "adoption",
        columns: [
          { name: "cardsIssued", unit: "count" },
          { name: "cardsLive", unit: "count" },
        ],
        rows: r.adoption,
      },
      {
        name: "orders per day",
        columns: [
          { name: "ordersDonePerDay", unit: "count" },
          { name: "ordersFailedPerDay", unit: "count" },
          { name: "mtpsRefusedBusyPerDay", unit: "count" },
        ],
        rows: r.orders,
      },
      { name: "utilisation", columns: [{ name: HUB_ID, unit: "ratio" }], rows: r.utilisation },
    ],
    latency: r.flows.table(),
    utilisation: [
      {
        party: HUB_ID,
        meanRatio: r.mtpsMeanRatio(run.endUs),
        peakRatio: daily.length === 0 ? 0 : Math.max(...daily),
        refused: run.world.mtps.refusedBusy,
      },
    ],
    faults: faultsOf(sc, run),
    diagnostics: ceilingOf(sc, r, meta.targets),
  }
}
