/**
 * Issuance orders through the parties' capacities, as kernel events (DESIGN.md §1 "OTA
 * issuance"): the home bank's host checks identity and account → (local banks and campaigns) an
 * order server of the 贵州通 TSM and an HSM of its pool for the order's HSM commands
 * (hsm-model.ts) → MTPS routes the order and updates its registry → the telco's OTA bearer
 * creates the SSD and personalizes it inside one of the TSM's OTA sessions. National banks issue
 * through their own SP-TSM (capacity outside the pilot's model), so they skip the TSM's servers.
 * A party that is down or saturated past the timeout makes the order wait and retry (orders are
 * idempotent, DESIGN.md §4); a failed OTA attempt (phone off, coverage) costs one of the order's
 * attempts. Latency from the user's adoption to the card's activation is what the histograms
 * record.
 */

import type { DegradationSpec } from "../../../sim/faults/fault-plan.ts"
import type { FaultTarget } from "../../../sim/faults/fault-target.ts"
import type { HandlerId, Kernel } from "../../../sim/kernel/kernel.ts"
import type { Port } from "../../../sim/kernel/port.ts"
import { Histogram } from "../../../sim/recorder/histogram.ts"
import type { Stream } from "../../../sim/rng/stream.ts"
import { PILOT_NETWORK } from "../network.ts"
import { HeldResource } from "./held-resource.ts"
import { hsmIssuanceUs } from "./hsm-model.ts"
import type { Capacity } from "./pilot-scenario.ts"
import type { ServerPool } from "./server-pool.ts"

export const FLOW_PATHS = ["local-bank", "national-bank", "campaign", "reissue"] as const
export type FlowPath = (typeof FLOW_PATHS)[number]

/** One order in flight; allocated per issuance (millions over a run, one live per pending order). */
export interface Flow {
  readonly user: number
  readonly path: FlowPath
  /** Through the 贵州通 TSM's servers (local banks, campaigns) or a national SP-TSM. */
  readonly viaGzt: boolean
  readonly startUs: number
  attempts: number
}

/** Where an order is, for observers (the live viewer): each party's grant, then the end. */
export type FlowStage = "start" | "order-server" | "hsm" | "mtps" | "ota-session" | "issued" | "abandoned"

/** Sees orders move between parties; it only observes (no event, no draw), so a run is unchanged. */
export type FlowObserver = (flow: Flow, stage: FlowStage, nowUs: number) => void

export interface FlowListener {
  issued(flow: Flow, nowUs: number): void
  abandoned(flow: Flow, nowUs: number): void
}

/** The SP-TSM's own handling time for a national bank's order (outside the pilot's capacities). */
const SP_TSM_SERVICE_US = 200_000

export class IssuanceFlows {
  readonly orders: HeldResource
  readonly hsm: HeldResource
  readonly otaSessions: HeldResource
  readonly latency = new Map<FlowPath, Histogram>(FLOW_PATHS.map((p) => [p, new Histogram(`issuance.${p}`)]))
  started = 0
  issued = 0
  abandoned = 0
  otaFailures = 0
  inFlight = 0
  /** The live viewer's observer; null in a headless run. */
  observer: FlowObserver | null = null
  private otaDowns = 0
  private otaLatencyPermille = 1000
  private otaExtraFailurePermille = 0
  private readonly hsmUs: number
  private readonly h: {
    bank: HandlerId<Flow>
    orderRequest: HandlerId<Flow>
    otaRequest: HandlerId<Flow>
    orderGranted: HandlerId<Flow>
    orderDone: HandlerId<Flow>
    hsmGranted: HandlerId<Flow>
    hsmDone: HandlerId<Flow>
    mtps: HandlerId<Flow>
    otaGranted: HandlerId<Flow>
    otaDone: HandlerId<Flow>
  }

  constructor(
    private readonly port: Port,
    kernel: Kernel,
    private readonly capacity: Capacity,
    private readonly bankHost: ServerPool,
    private readonly mtps: ServerPool,
    private readonly stream: Stream,
    private readonly listener: FlowListener,
  ) {
    const tsm = capacity.tsm
    this.orders = new HeldResource(kernel, PILOT_NETWORK.tsmOrders.id, tsm.orderServers)
    this.hsm = new HeldResource(kernel, PILOT_NETWORK.tsmHsm.id, tsm.hsmCount)
    this.otaSessions = new HeldResource(kernel, PILOT_NETWORK.tsmOtaSessions.id, tsm.otaSessionsMax)
    this.hsmUs = hsmIssuanceUs(tsm)
    const reg = (name: string, f: (flow: Flow) => void) =>
      port.register<Flow>(`pilot.issuance.${name}`, (_a0, flow) => f(flow))
    this.h = {
      bank: reg("bank-check", (f) => this.bankCheck(f)),
      orderRequest: reg("order-request", (f) => this.acquire(this.orders, this.h.orderGranted, f)),
      otaRequest: reg("ota-request", (f) => this.acquire(this.otaSessions, this.h.otaGranted, f)),
      orderGranted: reg("order-granted", (f) => {
        this.observer?.(f, "order-server", this.port.now())
        this.port.after(tsm.orderServiceUs, this.h.orderDone, 0, f)
      }),
      orderDone: reg("order-done", (f) => {
        this.orders.resource.release()
        this.acquire(this.hsm, this.h.hsmGranted, f)
      }),
      hsmGranted: reg("hsm-granted", (f) => {
        this.observer?.(f, "hsm", this.port.now())
        this.port.after(this.hsmUs, this.h.hsmDone, 0, f)
      }),
      hsmDone: reg("hsm-done", (f) => {
        this.hsm.resource.release()
        this.routeAtMtps(f)
      }),
      mtps: reg("mtps", (f) => this.routeAtMtps(f)),
      otaGranted: reg("ota-granted", (f) => {
        this.observer?.(f, "ota-session", this.port.now())
        this.port.after(this.otaDurationUs(), this.h.otaDone, 0, f)
      }),
      otaDone: reg("ota-done", (f) => this.otaDone(f)),
    }
  }

  /** Starts an order for `user` now. */
  start(user: number, path: FlowPath, viaGzt: boolean): void {
    this.started++
    this.inFlight++
    const flow: Flow = { user, path, viaGzt, startUs: this.port.now(), attempts: 0 }
    this.observer?.(flow, "start", flow.startUs)
    this.bankCheck(flow)
  }

  private retry(handler: HandlerId<Flow>, flow: Flow): void {
    this.port.after(this.capacity.telcoOta.retryAfterUs, handler, 0, flow)
  }

  private bankCheck(flow: Flow): void {
    const now = this.port.now()
    const c = this.capacity
    const done = this.bankHost.reserve(now, c.bankHost.serviceUs, c.transactionTimeoutUs)
    if (done < 0) {
      this.retry(this.h.bank, flow)
      return
    }
    if (flow.viaGzt) this.port.after(done - now, this.h.orderRequest, 0, flow)
    else this.port.after(done - now + SP_TSM_SERVICE_US, this.h.mtps, 0, flow)
  }

  /** Takes a server now (its grant runs as the next event) or waits in the party's line. */
  private acquire(r: HeldResource, granted: HandlerId<Flow>, flow: Flow): void {
    if (r.resource.tryAcquire()) {
      this.port.after(0, granted, 0, flow)
      return
    }
    if (r.resource.enqueue(granted, 0, flow) === -1) {
      r.refused++
      this.end(flow, false)
    }
  }

  private routeAtMtps(flow: Flow): void {
    const now = this.port.now()
    const c = this.capacity
    const done = this.mtps.reserve(now, c.mtps.serviceUs, c.transactionTimeoutUs)
    if (done < 0) {
      this.retry(this.h.mtps, flow)
      return
    }
    this.observer?.(flow, "mtps", now)
    this.port.after(done - now, this.h.otaRequest, 0, flow)
  }

  private otaDurationUs(): number {
    const ota = this.capacity.telcoOta
    const span = ota.apduRoundTripUsMax - ota.apduRoundTripUsMin
    const perApdu = ota.apduRoundTripUsMin + this.stream.below(span + 1)
    return Math.round((ota.apdusPerIssuance * perApdu * this.otaLatencyPermille) / 1000)
  }

  private otaDone(flow: Flow): void {
    this.otaSessions.resource.release()
    const ota = this.capacity.telcoOta
    const failed =
      this.otaDowns > 0 || this.stream.below(1000) < ota.failurePermille + this.otaExtraFailurePermille
    if (!failed) {
      this.end(flow, true)
      return
    }
    this.otaFailures++
    if (this.otaDowns === 0) flow.attempts++
    if (flow.attempts >= ota.attemptsMax) {
      this.end(flow, false)
      return
    }
    this.retry(this.h.otaRequest, flow)
  }

  private end(flow: Flow, issued: boolean): void {
    this.inFlight--
    const now = this.port.now()
    if (issued) {
      this.issued++
      this.latency.get(flow.path)!.record(now - flow.startUs)
      this.listener.issued(flow, now)
    } else {
      this.abandoned++
      this.listener.abandoned(flow, now)
    }
    // After the listener, so an observer sees the card the issuance made (byte-level-cards.ts).
    this.observer?.(flow, issued ? "issued" : "abandoned", now)
  }

  /** The telco OTA bearer as a fault target: down fails every attempt, a degradation slows it. */
  otaFaultTarget(): FaultTarget {
    return {
      setDown: (down) => {
        this.otaDowns += down ? 1 : -1
      },
      degrade: (spec: DegradationSpec | null) => {
        this.otaLatencyPermille = spec?.latencyPermille ?? 1000
        const loss = spec?.extraLoss
        this.otaExtraFailurePermille =
          loss === undefined ? 0 : Math.round((1000 * loss.numerator) / loss.denominator)
      },
    }
  }
}
