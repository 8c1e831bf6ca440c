/**
 * Issuance and lifecycle orders through the parties' own decisions (DESIGN.md §1 "OTA issuance",
 * "Lifecycle"; issue 12 item 2): the home bank's host checks identity and account → the 贵州通
 * TSM (local banks, campaigns) or the bank's SP-TSM (national banks) runs the order with the same
 * `decideOrder` scenario 02's PlatformTsm runs (model/parties/tsm/order-machine.ts: steps,
 * timeouts, retries with backoff, compensation) → each step's envelope passes MTPS's `decideMtps`
 * (routing to the SE's issuer, registry) → the SE issuer's `admitRequest` and OTA job → back
 * through MTPS → the order's next input. 挂失 is a `lock` order (hot-list at the bank, OTA lock of
 * the app, registry), 补卡 a `reissue` (the old SE retired in its wait step), 销户 a `close`
 * (delete the app and the SSD, deregister, refund), a SIM swap a `sim-swap`: the telco retires the
 * old UICC, which the network no longer reaches (pilot-se-issuers.ts `retireSwappedSe`: there is
 * no OTA lock to run), the card is made on the new SIM (create-ssd, personalize, register: a new
 * card generation with the same PAN and account) and the old SE leaves MTPS's registry
 * (deregister-old). A swap that fails still deregisters the old SE: that SIM is dead either way.
 *
 * Cost: a step is one kernel event (its answer), two when it times out: the parties' servers are
 * Lindley pools (server-pool.ts) reserved in the step's order when the step runs, and the step's
 * answer is scheduled at the instant the last hop frees. A party that is down when a step would
 * reach it — the TSM's own servers, MTPS — makes the order wait at the TSM and run the step again
 * later without spending an attempt (the TSM sees the link refused); a busy hub, an OTA failure
 * or a late answer costs an attempt as the order machine decides.
 */

import type { FaultTarget } from "../../../sim/faults/fault-target.ts"
import type { HandlerId } from "../../../sim/kernel/kernel.ts"
import type { Port } from "../../../sim/kernel/port.ts"
import { Histogram } from "../../../sim/recorder/histogram.ts"
import type { Stream } from "../../../sim/rng/stream.ts"
import {
  type Decision,
  newOrder,
  type OrderInput,
  type OrderKind,
  type Phase,
  type StepName,
} from "../../parties/tsm/order-machine.ts"
import { PILOT_NETWORK } from "../network.ts"
import { type IssuanceRegistries, Life, Reg, SPS, Sp } from "./issuance/issuance-registries.ts"
import { causeOf, cellsOf, code, type Failure, type OrderCells, STEPS } from "./issuance/order-cells.ts"
import { PilotMtps } from "./issuance/pilot-mtps.ts"
import { FLOW_PATHS, type Flow, type FlowPath, ORDER_KIND_OF } from "./issuance/pilot-order.ts"
import { type CardHook, type JobEnd, PilotSeIssuers } from "./issuance/pilot-se-issuers.ts"
import { OTA_STEPS, PilotTsm, SP_TSM_SERVICE_US } from "./issuance/pilot-tsm.ts"
import { stepMessage } from "./issuance/step-messages.ts"
import type { PartyDecisions } from "./party-decisions.ts"
import type { PilotParties } from "./pilot-party-layers.ts"
import type { Capacity } from "./pilot-scenario.ts"
import type { ServerPool } from "./server-pool.ts"

export { FLOW_PATHS, type Flow, type FlowPath }

/** The orders that make a card (the others lock or close one). */
export const ISSUING: ReadonlySet<OrderKind> = new Set<OrderKind>(["issue", "reissue", "sim-swap"])

/** Where an issuance is, for observers (the live viewer): each party's grant, then the end. */
export type FlowStage = "start" | "order-server" | "hsm" | "mtps" | "ota-session" | "issued" | "abandoned"

/** Sees issuances move between parties; it only observes (no event, no draw), so a run is unchanged. */
export type FlowObserver = (flow: Flow, stage: FlowStage, nowUs: number) => void

export interface FlowListener {
  issued(flow: Flow, nowUs: number): void
  abandoned(flow: Flow, nowUs: number): void
}

export class IssuanceFlows {
  readonly tsm: PilotTsm
  readonly mtpsHub: PilotMtps
  readonly issuers: PilotSeIssuers
  readonly registries: IssuanceRegistries
  /** Orders in flight by order id (MTPS's routes back read them). */
  readonly inFlightOrders = new Map<string, Flow>()
  readonly latency = new Map<FlowPath, Histogram>(FLOW_PATHS.map((p) => [p, new Histogram(`issuance.${p}`)]))
  /** Issuing orders (issue, reissue, sim-swap) only, as the KPIs count them. */
  started = 0
  issued = 0
  abandoned = 0
  inFlight = 0
  /** Every order (lifecycle included): the auditor's conservation check. */
  ordersStarted = 0
  readonly ended: Record<Phase, number> = { running: 0, compensating: 0, done: 0, failed: 0, compensated: 0 }
  /** Issuing orders started on a slot that already had one in flight (must stay 0). */
  doubleStarts = 0
  observer: FlowObserver | null = null
  readonly cells: OrderCells
  private nextOrder = 0
  /** The TSM's order machine as the run's layers provide it (pilot-party-layers.ts). */
  private readonly decideOrder: PilotParties["tsm"]["decideOrder"]
  private readonly h: {
    bank: HandlerId<Flow>
    begin: HandlerId<Flow>
    ok: HandlerId<Flow>
    failed: HandlerId<Failure>
    timeout: HandlerId<Flow>
    retryDue: HandlerId<Flow>
    parked: HandlerId<Flow>
  }

  constructor(
    private readonly port: Port,
    private readonly capacity: Capacity,
    private readonly bankHost: ServerPool,
    slots: number,
    registries: (slots: number) => IssuanceRegistries,
    stream: Stream,
    private readonly cards: CardHook,
    private readonly decisions: PartyDecisions,
    private readonly listener: FlowListener,
    parties: Pick<PilotParties, "tsm" | "mtps" | "seIssuer">,
  ) {
    this.cells = cellsOf(decisions)
    this.registries = registries(slots)
    this.decideOrder = parties.tsm.decideOrder
    this.tsm = new PilotTsm(capacity)
    this.mtpsHub = new PilotMtps(
      capacity.mtps.servers,
      this.registries,
      this.inFlightOrders,
      decisions,
      parties.mtps.decideMtps,
    )
    this.issuers = new PilotSeIssuers(
      capacity,
      this.tsm,
      this.registries,
      stream,
      cards,
      decisions,
      () => port.now(),
      parties.seIssuer.admitRequest,
    )
    const reg = <R>(name: string, f: (a0: number, r: R) => void) =>
      port.register<R>(`pilot.issuance.${name}`, f)
    this.h = {
      bank: reg<Flow>("bank-check", (_a0, f) => this.bankCheck(f)),
      begin: reg<Flow>("order-start", (_a0, f) => this.begin(f)),
      ok: reg<Flow>("step-ok", (a0, f) =>
        this.input(f, { kind: "step-ok", step: STEPS[a0 & 15]!, attempt: a0 >> 4 }),
      ),
      failed: reg<Failure>("step-failed", (_a0, x) =>
        this.input(x.flow, {
          kind: "step-failed",
          step: x.step,
          attempt: x.attempt,
          retryable: x.retryable,
          reason: x.reason,
        }),
      ),
      timeout: reg<Flow>("timeout", (a0, f) =>
        this.input(f, { kind: "timeout", step: STEPS[a0 & 15]!, attempt: a0 >> 4 }),
      ),
      retryDue: reg<Flow>("retry-due", (a0, f) =>
        this.input(f, { kind: "retry-due", step: STEPS[a0 & 15]!, attempt: a0 >> 4 }),
      ),
      parked: reg<Flow>("parked", (a0, f) => this.runStep(f, STEPS[a0 & 15]!, a0 >> 4)),
    }
  }

  get orders(): ServerPool {
    return this.tsm.orders
  }
  get hsm(): ServerPool {
    return this.tsm.hsm
  }
  get otaSessions(): ServerPool {
    return this.tsm.otaSessions
  }
  get mtps(): ServerPool {
    return this.mtpsHub.pool
  }
  get otaFailures(): number {
    return this.issuers.otaFailures
  }

  /** Starts an issuing order (first card, campaign, 补卡, SIM swap) for `user` now: the bank's check first. */
  start(user: number, path: FlowPath, viaGzt: boolean): void {
    const r = this.registries
    if (path === "reissue" || path === "sim-swap") r.generation[user] = (r.generation[user]! + 1) & 0xff
    else this.cells.users.adopt.n++
    this.started++
    this.inFlight++
    if (r.issuing[user]! > 0) this.doubleStarts++
    r.issuing[user]!++
    r.enrolSe(user)
    const flow = this.newFlow(user, path, viaGzt)
    this.observer?.(flow, "start", flow.startUs)
    this.cards.begin(user)
    this.bankCheck(flow)
  }

  /**
   * 挂失: a lock order for the user's card, if the TSM knows one on the SE (`asked` false: the
   * population's request was counted when it came, while the card was still being made).
   */
  lock(user: number, viaGzt: boolean, asked = true): void {
    if (asked) this.cells.users.loss.n++
    if (this.registries.tsm[user] !== Reg.active || this.registries.inFlight[user] !== 0) return
    this.begin(this.newFlow(user, "lock", viaGzt))
  }

  /** 销户 (voluntary, or after a loss without 补卡): a close order for whatever the SE holds. */
  close(user: number, viaGzt: boolean, seLost: boolean, asked = true): void {
    if (asked) this.cells.users.close.n++
    const s = this.registries.tsm[user]!
    // A card still being made is closed when its order ends (pilot-world.ts `onIssued`); one being
    // locked right now, by the population's next step.
    if (s === Reg.none || s === Reg.deleted || this.registries.inFlight[user] !== 0) return
    const flow = this.newFlow(user, "close", viaGzt)
    flow.seLost = seLost
    this.begin(flow)
  }

  countReissue(): void {
    this.cells.users.reissue.n++
  }

  /**
   * Whether a SIM swap of `user` now re-issues a card: the TSM knows one active on the SE and no
   * order runs on it (a swap while the card is being made or locked is not modelled).
   */
  simSwappable(user: number): boolean {
    return this.registries.tsm[user] === Reg.active && this.registries.inFlight[user] === 0
  }

  /** A SIM swap the population asked for; it starts an order only when `simSwappable`. */
  simSwap(user: number, viaGzt: boolean): void {
    this.cells.users.simSwap.n++
    if (!this.simSwappable(user)) return
    this.registries.swapSe(user)
    this.issuers.retireSwappedSe(user)
    this.start(user, "sim-swap", viaGzt)
  }

  private newFlow(user: number, path: FlowPath, viaGzt: boolean): Flow {
    const kind = ORDER_KIND_OF[path]
    this.ordersStarted++
    this.registries.inFlight[user]!++
    const flow: Flow = {
      user,
      path,
      kind,
      viaGzt,
      orderId: String(++this.nextOrder),
      startUs: this.port.now(),
      attempts: 0,
      state: newOrder(kind),
      origin: "",
      jobKey: "",
      jobEndUs: 0,
      jobAnswer: null,
      seLost: false,
      cardWork: null,
    }
    this.inFlightOrders.set(flow.orderId, flow)
    return flow
  }

  /** The home bank's identity and account check; a refused check waits and asks again. */
  private bankCheck(flow: Flow): void {
    const now = this.port.now()
    const c = this.capacity
    const done = this.bankHost.reserve(now, c.bankHost.serviceUs, c.transactionTimeoutUs)
    if (done < 0) {
      this.cells.identityRefused.n++
      this.port.after(c.telcoOta.retryAfterUs, this.h.bank, 0, flow)
      return
    }
    this.cells.identity.n++
    this.port.after(done - now, this.h.begin, 0, flow)
  }

  private begin(flow: Flow): void {
    this.input(flow, { kind: "start" })
  }

  private input(flow: Flow, input: OrderInput): void {
    this.apply(flow, this.decideOrder(this.tsm.policy, flow.state, input))
  }

  private apply(flow: Flow, d: Decision): void {
    if (d.actions.length === 0) return
    flow.state = d.state
    ;(flow.viaGzt ? this.cells.gztStep : this.cells.spTsmStep).n++
    for (const a of d.actions) {
      if (a.kind === "run") this.runStep(flow, a.step, a.attempt)
      else if (a.kind === "backoff") {
        flow.attempts++
        this.port.after(a.delayUs, this.h.retryDue, code(a.step, a.attempt), flow)
      } else this.end(flow, a.phase)
    }
  }

  private park(flow: Flow, step: StepName, attempt: number): void {
    this.cells.parked.n++
    this.port.after(this.capacity.telcoOta.retryAfterUs, this.h.parked, code(step, attempt), flow)
  }

  /** Runs (or re-runs after a park) one attempt of a step; an input meanwhile makes a park stale. */
  private runStep(flow: Flow, step: StepName, attempt: number): void {
    if (flow.state.step !== step || flow.state.attempt !== attempt) return
    if (step === "wait") return void this.retireOldCard(flow)
    if (step === "hot-list" || step === "refund") return void this.atBank(flow, step, attempt)
    const now = this.port.now()
    const sentUs = this.throughTsm(flow, step, now)
    if (sentUs < 0 || this.mtps.down) return void this.park(flow, step, attempt)
    const sp = flow.viaGzt ? SPS[Sp.gzt] : SPS[Sp.spTsm]
    const message = stepMessage(flow, step, attempt, sp)
    const atHub = this.hop(sentUs)
    if (atHub < 0) return void this.fail(flow, step, attempt, now, true, "MTPS busy")
    this.observer?.(flow, "mtps", atHub)
    const out = this.mtpsHub.receive(sp, flow, message)
    if (out.kind === "refused")
      return void this.fail(flow, step, attempt, atHub, false, `MTPS: ${out.detail}`)
    if (out.kind === "dropped") return void this.timeoutAt(flow, step, attempt, sentUs)
    if (out.message._tag === "Acknowledgement" && !OTA_STEPS.has(step)) {
      this.tsmRecords(flow, step)
      return void this.answer(flow, step, attempt, sentUs, atHub)
    }
    if (flow.viaGzt && OTA_STEPS.has(step)) {
      this.cells.session.n++
      this.observer?.(flow, "ota-session", atHub)
    }
    const job = this.issuers.request(out.to, flow, message, atHub)
    if (job === null) return void this.timeoutAt(flow, step, attempt, sentUs)
    this.afterJob(flow, step, attempt, sentUs, out.to, job)
  }

  /** The TSM's order server and HSM for the step (an SP-TSM's own handling time); -1 = TSM down. */
  private throughTsm(flow: Flow, step: StepName, now: number): number {
    if (!flow.viaGzt) return now + SP_TSM_SERVICE_US
    const t = this.tsm
    const served = t.orders.reserve(now, this.capacity.tsm.orderServiceUs, Number.MAX_SAFE_INTEGER)
    if (served < 0) return -1
    this.observer?.(flow, "order-server", now)
    const hsmUs = t.hsmUs(step)
    if (hsmUs === 0) return served
    this.cells.hsm.n++
    this.observer?.(flow, "hsm", served)
    return t.hsm.reserveAfter(now, served, hsmUs, Number.MAX_SAFE_INTEGER)
  }

  /** One pass through MTPS's servers from `atUs`: when it is done, or -1 when the hub is busy. */
  private hop(atUs: number): number {
    const now = this.port.now()
    const done = this.mtps.reserveAfter(
      now,
      atUs,
      this.capacity.mtps.serviceUs,
      this.capacity.transactionTimeoutUs,
    )
    if (done < 0) this.cells.mtpsBusy.n++
    return done
  }

  /** The issuer's answer goes back through MTPS to the order's origin. */
  private afterJob(
    flow: Flow,
    step: StepName,
    attempt: number,
    sentUs: number,
    issuer: string,
    job: JobEnd,
  ): void {
    if (job.answer === null) return void this.fail(flow, step, attempt, job.endUs, job.retryable, job.reason)
    const back = this.hop(job.endUs)
    if (back < 0) return void this.timeoutAt(flow, step, attempt, sentUs)
    const out = this.mtpsHub.receive(issuer, flow, job.answer)
    if (out.kind !== "forward") return void this.timeoutAt(flow, step, attempt, sentUs)
    this.tsmRecords(flow, step)
    this.answer(flow, step, attempt, sentUs, back)
  }

  /** The answer arrives at `atUs`; past the step's timeout the order first sees the timeout. */
  private answer(flow: Flow, step: StepName, attempt: number, sentUs: number, atUs: number): void {
    const now = this.port.now()
    if (atUs - sentUs > this.tsm.policy.timeoutUs(step)) this.timeoutAt(flow, step, attempt, sentUs)
    this.port.after(atUs - now, this.h.ok, code(step, attempt), flow)
  }

  private timeoutAt(flow: Flow, step: StepName, attempt: number, sentUs: number): void {
    this.cells.timedOut.n++
    const at = sentUs + this.tsm.policy.timeoutUs(step)
    this.port.after(at - this.port.now(), this.h.timeout, code(step, attempt), flow)
  }

  private fail(
    flow: Flow,
    step: StepName,
    attempt: number,
    atUs: number,
    retryable: boolean,
    reason: string,
  ): void {
    const x: Failure = { flow, step, attempt, retryable, reason }
    this.port.after(Math.max(0, atUs - this.port.now()), this.h.failed, 0, x)
  }

  /** Hot-list and refund: the home bank's host, at once (a refused host fails the attempt). */
  private atBank(flow: Flow, step: StepName, attempt: number): void {
    const now = this.port.now()
    const done = this.bankHost.reserve(
      now,
      this.capacity.bankHost.serviceUs,
      this.capacity.transactionTimeoutUs,
    )
    if (done < 0) return void this.fail(flow, step, attempt, now, true, "bank host unavailable")
    ;(step === "hot-list" ? this.cells.hotList : this.cells.refund).n++
    this.port.after(done - now, this.h.ok, code(step, attempt), flow)
  }

  /**
   * 补卡's wait step ends the waiting period the population already ran: the old SE leaves every
   * registry (the telco retires the old UICC with the new one; the SP deregisters it at MTPS).
   */
  private retireOldCard(flow: Flow): void {
    const r = this.registries
    const sp = flow.viaGzt ? SPS[Sp.gzt] : SPS[Sp.spTsm]
    if (r.mtps[flow.user] !== Reg.none && !this.mtps.down)
      this.mtpsHub.receive(sp, flow, stepMessage(flow, "deregister-old", 1, sp))
    r.tsm[flow.user] = Reg.deleted
    r.se[flow.user] = Reg.deleted
    r.life[flow.user] = Life.none
    this.port.after(0, this.h.ok, code("wait", flow.state.attempt), flow)
  }

  /**
   * A SIM swap that ended without its card still takes the old SE out of MTPS's registry (that
   * UICC is deactivated whatever became of the new card), as 补卡's wait step does; with MTPS down
   * the entry stays, and the issuance auditor reports it.
   */
  private deregisterOldSe(flow: Flow): void {
    if (this.mtps.down) return
    const sp = flow.viaGzt ? SPS[Sp.gzt] : SPS[Sp.spTsm]
    this.mtpsHub.receive(sp, flow, stepMessage(flow, "deregister-old", 1, sp))
  }

  /** The TSM's own registry after a step it asked for succeeded. */
  private tsmRecords(flow: Flow, step: StepName): void {
    const r = this.registries.tsm
    const u = flow.user
    if (step === "create-ssd") r[u] = Reg.ssdCreated
    else if (step === "personalize") r[u] = Reg.personalized
    else if (step === "register") r[u] = flow.kind === "lock" ? Reg.locked : Reg.active
    else if (step === "ota-lock") r[u] = Reg.locked
    else if (step === "delete-ssd" || step === "deregister") r[u] = Reg.deleted
  }

  private end(flow: Flow, phase: Phase): void {
    const now = this.port.now()
    const r = this.registries
    const u = flow.user
    this.ended[phase]++
    this.cells.terminal[phase].n++
    // Why orders end without their effect, by cause (a failure path, so a look-up is affordable).
    if (phase !== "done")
      this.decisions.error(this.orderParty(flow), `${phase}: ${causeOf(flow.state.reason)}`).n++
    this.inFlightOrders.delete(flow.orderId)
    r.inFlight[u]!--
    if (phase === "compensated") r.tsm[u] = Reg.deleted
    if (flow.kind === "lock") r.life[u] = phase === "done" ? Life.locked : Life.lockFailed
    if (flow.kind === "close") r.life[u] = phase === "done" ? Life.closed : Life.closeFailed
    if (flow.kind === "sim-swap" && phase !== "done") this.deregisterOldSe(flow)
    this.latency.get(flow.path)!.record(now - flow.startUs)
    if (!ISSUING.has(flow.kind)) return
    r.issuing[u]!--
    this.inFlight--
    if (phase === "done") {
      r.issued[u]!++
      this.issued++
      this.listener.issued(flow, now)
    } else {
      this.abandoned++
      this.listener.abandoned(flow, now)
    }
    // After the listener, so an observer sees the card the issuance made (byte-level-cards.ts).
    this.observer?.(flow, phase === "done" ? "issued" : "abandoned", now)
  }

  private orderParty(flow: Flow): typeof PILOT_NETWORK.tsmOrders.id | typeof PILOT_NETWORK.bankHost.id {
    return flow.viaGzt ? PILOT_NETWORK.tsmOrders.id : PILOT_NETWORK.bankHost.id
  }

  /** The telco OTA bearer as a fault target (the SE issuers' bearer). */
  otaFaultTarget(): FaultTarget {
    return this.issuers.faultTarget()
  }
}
