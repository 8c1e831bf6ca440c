/**
 * Builds one run of the viewer demo (demo-spec.ts) on the kernel: M/M/c stations for the parties,
 * issuance and transaction jobs walking their paths, app launches, fault targets, and a sampling
 * tick that emits what the viewer shows (model/signals: party.load, kpi; time-series records) and
 * the traced flows' steps. Everything random comes from named streams of the seed, so a run is a
 * pure function of (spec, seed, injected faults), and the SM3 digest says so.
 */

import { applyFaultPlan } from "../../../sim/faults/apply-faults.ts"
import type { DegradationSpec } from "../../../sim/faults/fault-plan.ts"
import { type FaultTarget, resourceTarget } from "../../../sim/faults/fault-target.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { Resource } from "../../../sim/kernel/resource.ts"
import { US_PER_DAY } from "../../../sim/kernel/time.ts"
import { EventDigest } from "../../../sim/recorder/digest.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import type { RecordLine, Sink } from "../../../sim/recorder/sink.ts"
import { TimeWeighted } from "../../../sim/recorder/time-weighted.ts"
import { exponential, exponentialUs } from "../../../sim/rng/distributions.ts"
import { type Stream, streamOf } from "../../../sim/rng/stream.ts"
import { FLOW_STEP_SIGNAL, FLOW_SUMMARY_SIGNAL, type FlowKind, type FlowSummary } from "../../signals/flow.ts"
import { KPI_SIGNAL, type Kpi, nextTargetStatus, type TargetStatus } from "../../signals/kpi.ts"
import { PARTY_LOAD_SIGNAL, type PartyLoad } from "../../signals/party-load.ts"
import type { DemoParty, DemoSpec, RatePhase } from "./demo-spec.ts"
import { type Hop, tracedFlowSteps } from "./traced-flow.ts"

interface Station {
  readonly party: DemoParty
  readonly resource: Resource | null
  readonly busyStat: TimeWeighted
  readonly service: Stream
  errors: number
  downs: number
  degraded: boolean
}

interface Job {
  readonly kind: FlowKind
  readonly index: number
  readonly path: ReadonlyArray<Station>
  readonly startUs: number
  hop: number
  readonly hops: Hop[] | null
}

export interface DemoWorld {
  readonly kernel: Kernel
  readonly digest: EventDigest
  readonly spec: DemoSpec
  readonly seed: number
  /** Injects a catalogue fault now; returns a problem, or null when it was scheduled. */
  inject(faultId: string): string | null
}

const teeSink = (sinks: ReadonlyArray<Sink>): Sink => ({
  write: (record: RecordLine) => {
    for (const s of sinks) s.write(record)
  },
  flush: () => {
    for (const s of sinks) s.flush()
  },
  close: () => {
    for (const s of sinks) s.close()
  },
})

const rateAt = (phases: ReadonlyArray<RatePhase>, nowUs: number): number =>
  (phases.find((p) => nowUs < p.untilUs) ?? phases[phases.length - 1])?.perDay ?? 0

export const buildDemoWorld = (spec: DemoSpec, seed: number, sinks: ReadonlyArray<Sink>): DemoWorld => {
  const kernel = new Kernel()
  const digest = new EventDigest()
  kernel.log = digest
  const out = teeSink(sinks)
  const signals = new SignalBus(digest, [out])
  const stations = new Map<string, Station>(
    spec.parties.map((party, i) => {
      const busyStat = new TimeWeighted(`busy:${party.key}`)
      const resource =
        party.servers === 0
          ? null
          : new Resource(kernel, {
              name: party.key,
              capacity: party.servers,
              queueMax: party.queueMax,
              busyStat,
            })
      const station = {
        party,
        resource,
        busyStat,
        service: streamOf(seed, "demo/service", i),
        errors: 0,
        downs: 0,
        degraded: false,
      }
      return [party.key, station]
    }),
  )
  const world = new DemoWorldModel(kernel, spec, seed, signals, out, stations)
  return {
    kernel,
    digest,
    spec,
    seed,
    inject: (faultId) => world.inject(faultId),
  }
}

class DemoWorldModel {
  private cards = 0
  private apps = 0
  private transactions = 0
  private volumeYuan = 0
  private traced = 0
  private readonly statuses = new Map<string, TargetStatus[]>()
  private readonly targets = new Map<string, FaultTarget>()
  private readonly beginId
  private readonly finishId

  constructor(
    private readonly kernel: Kernel,
    private readonly spec: DemoSpec,
    private readonly seed: number,
    private readonly signals: SignalBus,
    private readonly out: Sink,
    private readonly stations: ReadonlyMap<string, Station>,
  ) {
    this.beginId = kernel.register<Job>("demo.begin", (_a0, job) => this.begin(job))
    this.finishId = kernel.register<Job>("demo.finish", (_a0, job) => this.finish(job))
    for (const st of stations.values())
      if (st.resource !== null) this.targets.set(st.party.key, this.target(st))
    this.startArrivals("issuance", spec.issuancePath, spec.issuanceRates, "demo/issuance-arrivals")
    this.startArrivals(
      "transaction",
      spec.transactionPath,
      spec.transactionRates,
      "demo/transaction-arrivals",
    )
    const launch = kernel.register<undefined>("demo.app-launch", () => this.apps++)
    for (const day of spec.appLaunchDays) kernel.at(day * US_PER_DAY, launch, 0, undefined)
    const sample = kernel.register<undefined>("demo.sample", () => {
      this.sample()
      if (kernel.nowUs + spec.sampleEveryUs <= spec.endUs)
        kernel.schedule(spec.sampleEveryUs, sample, 0, undefined)
    })
    kernel.at(0, sample, 0, undefined)
    const problems = applyFaultPlan(kernel, seed, { faults: spec.faults }, this.targets)
    if (problems.length > 0) throw new Error(`${spec.id}: ${problems.join("; ")}`)
  }

  inject(faultId: string): string | null {
    const entry = this.spec.catalogue.find((c) => c.id === faultId)
    if (entry === undefined) return `no fault "${faultId}" in ${this.spec.id}'s catalogue`
    const problems = applyFaultPlan(
      this.kernel,
      this.seed,
      { faults: [entry.fault(this.kernel.nowUs)] },
      this.targets,
    )
    return problems.length === 0 ? null : problems.join("; ")
  }

  /** A resource's fault target that also shows the change on the topology at once. */
  private target(st: Station): FaultTarget {
    const inner = resourceTarget(st.resource!)
    return {
      setDown: (down: boolean) => {
        inner.setDown(down)
        st.downs += down ? 1 : -1
        this.emitLoad(st)
      },
      degrade: (spec: DegradationSpec | null) => {
        inner.degrade(spec)
        st.degraded = spec !== null
        this.emitLoad(st)
      },
    }
  }

  private startArrivals(
    kind: FlowKind,
    path: ReadonlyArray<string>,
    rates: ReadonlyArray<RatePhase>,
    purpose: string,
  ) {
    const stream = streamOf(this.seed, purpose)
    const stationPath = path.map((key) => this.stations.get(key)!)
    let index = 0
    const next = (): number =>
      exponentialUs(stream, US_PER_DAY / Math.max(rateAt(rates, this.kernel.nowUs), 1e-9))
    const arrive = this.kernel.register<undefined>(`demo.arrive:${kind}`, () => {
      const traced = index % this.spec.traceEvery === 0 && this.traced < this.spec.tracedFlowsMax
      if (traced) this.traced++
      const job: Job = {
        kind,
        index: index++,
        path: stationPath,
        startUs: this.kernel.nowUs,
        hop: 1,
        hops: traced ? [] : null,
      }
      this.hop(job)
      this.enter(job)
      const delayUs = next()
      if (this.kernel.nowUs + delayUs < this.spec.endUs) this.kernel.schedule(delayUs, arrive, 0, undefined)
    })
    this.kernel.schedule(next(), arrive, 0, undefined)
  }

  private hop(job: Job): void {
    if (job.hops === null) return
    const from = job.path[job.hop - 1]!.party
    const to = job.path[job.hop]!.party
    const label = job.kind === "issuance" ? `issuance order → ${to.label}` : `authorization → ${to.label}`
    job.hops.push({ from: from.key, to: to.key, tUs: this.kernel.nowUs, label })
  }

  private enter(job: Job): void {
    const st = job.path[job.hop]!
    const resource = st.resource!
    if (resource.tryAcquire()) {
      this.kernel.invoke(this.beginId, 0, job)
      return
    }
    if (resource.enqueue(this.beginId, 0, job) === -1) {
      st.errors++
      this.complete(job, false)
    }
  }

  private begin(job: Job): void {
    const st = job.path[job.hop]!
    this.kernel.schedule(exponentialUs(st.service, st.party.serviceUsMean), this.finishId, 0, job)
  }

  private finish(job: Job): void {
    job.path[job.hop]!.resource!.release()
    job.hop++
    if (job.hop >= job.path.length) {
      this.complete(job, true)
      return
    }
    this.hop(job)
    this.enter(job)
  }

  private complete(job: Job, ok: boolean): void {
    if (ok && job.kind === "issuance") this.cards += this.spec.cardsPerIssuance
    if (ok && job.kind === "transaction") {
      this.transactions += this.spec.transactionsPerJob
      const amounts = streamOf(this.seed, "demo/amounts", job.index)
      this.volumeYuan +=
        Math.round(exponential(amounts, this.spec.amountYuanMean)) * this.spec.transactionsPerJob
    }
    if (job.hops !== null) this.emitFlow(job, ok)
  }

  private emitFlow(job: Job, ok: boolean): void {
    const flowId = `${job.kind}-${job.index}`
    const steps = ok
      ? tracedFlowSteps({
          flowId,
          kind: job.kind,
          storySeed: streamOf(this.seed, "demo/card-story", job.index).below(2 ** 31),
          hops: job.hops!,
          apduStartUs: this.kernel.nowUs,
        })
      : job.hops!.map((h, index) => ({ flowId, kind: job.kind, index, ...h }))
    for (const step of steps) this.signals.emit(this.kernel.nowUs, FLOW_STEP_SIGNAL, step)
    const summary: FlowSummary = {
      key: flowId,
      kind: job.kind,
      label: `${job.kind} #${job.index}${ok ? "" : " (refused)"}`,
      startUs: job.startUs,
      endUs: this.kernel.nowUs,
      ok,
      traced: true,
      steps: steps.length,
    }
    this.signals.emit(this.kernel.nowUs, FLOW_SUMMARY_SIGNAL, summary)
  }

  private emitLoad(st: Station): void {
    const now = this.kernel.nowUs
    const r = st.resource
    const servers = st.party.servers
    const load: PartyLoad = {
      key: st.party.key,
      label: st.party.label,
      tier: st.party.tier,
      queueDepth: r?.queueLength ?? 0,
      busy: r?.busy ?? 0,
      capacity: r?.capacity ?? 0,
      utilisationPermille: servers === 0 ? 0 : Math.round((1000 * st.busyStat.mean(now)) / servers),
      errors: st.errors,
      down: st.downs > 0,
      degraded: st.degraded,
      sendsTo: st.party.sendsTo,
    }
    this.signals.emit(now, PARTY_LOAD_SIGNAL, load)
  }

  private kpiValue(key: string): number {
    if (key === "cards") return this.cards
    if (key === "apps") return this.apps
    if (key === "transactions") return this.transactions
    return this.volumeYuan
  }

  private sample(): void {
    const now = this.kernel.nowUs
    for (const st of this.stations.values()) {
      this.emitLoad(st)
      st.busyStat.reset(now)
    }
    for (const k of this.spec.kpis) {
      const value = this.kpiValue(k.key)
      const previous = this.statuses.get(k.key) ?? k.targets.map((): TargetStatus => "pending")
      const statuses = this.spec.phases.map((p, i) =>
        nextTargetStatus(previous[i] ?? "pending", value, k.targets[i] ?? 0, now, p.deadlineUs),
      )
      this.statuses.set(k.key, statuses)
      const kpi: Kpi = {
        key: k.key,
        label: k.label,
        unit: k.unit,
        value,
        targets: this.spec.phases.map((p, i) => ({
          phase: p.name,
          deadlineUs: p.deadlineUs,
          target: k.targets[i] ?? 0,
          status: statuses[i]!,
        })),
      }
      this.signals.emit(now, KPI_SIGNAL, kpi)
    }
    this.sampleSeries(now)
  }

  private sampleSeries(now: number): void {
    const queues: Record<string, unknown> = { tUs: now, series: "queue depth" }
    for (const st of this.stations.values())
      if (st.resource !== null) queues[st.party.key] = st.resource.queueLength
    this.out.write(queues)
    this.out.write({
      tUs: now,
      series: "cards and transactions",
      cards: this.cards,
      transactions: this.transactions,
    })
  }
}
