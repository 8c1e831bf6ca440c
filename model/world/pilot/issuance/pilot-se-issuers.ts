/**
 * The SE issuers in the pilot (the telcos' TSMs for NFC-SIMs, the NFC-SD issuer, the handset
 * makers' for eSEs) with their OTA bearer: each request goes through the same admission the
 * scenario-02 SeIssuer runs (`admitRequest`, model/parties/telco/issuer-requests.ts: idempotent by
 * order id — a finished job is answered again, a running one ignored, an SE the issuer never made
 * refused), then an OTA job on the bearer: the step's APDUs at a drawn round trip (slowed by a
 * degradation), inside one of the 贵州通 TSM's OTA sessions for its orders, failing when the bearer
 * is down or by the bearer's failure rate (phone off, coverage; per APDU share of an issuance).
 * A successful job writes the SE issuer's SE registry. Byte-level users' issuance runs the real
 * card instead (`cards.issue`): its OTA scripts go as the bearer's real packets
 * (byte-level/ota-issuance.ts), each step's verdict is the card's and its time the plan's part for
 * that step (create-ssd: the ISD's script, personalize: the SSD's), slowed by a degradation.
 *
 * The job's outcome and end are decided when it starts (the pools are Lindley cost models,
 * server-pool.ts), and its effect on the SE registry is recorded then; the auditor compares
 * registries only for users with no order in flight, so the early write is never seen half-done.
 */
import type { DegradationSpec } from "../../../../sim/faults/fault-plan.ts"
import type { FaultTarget } from "../../../../sim/faults/fault-target.ts"
import type { Stream } from "../../../../sim/rng/stream.ts"
import type { Message } from "../../../parties/messages/messages.ts"
import { type Admission, type IssuerRecords, requestKeyOf } from "../../../parties/telco/issuer-requests.ts"
import { PILOT_NETWORK } from "../../network.ts"
import { type IssuanceOtaStep, stepUs } from "../byte-level/ota-issuance.ts"
import type { CardWork } from "../byte-level-cards.ts"
import type { Count, PartyDecisions } from "../party-decisions.ts"
import type { SeIssuerDecision } from "../pilot-party-layers.ts"
import type { Capacity } from "../pilot-scenario.ts"
import { type IssuanceRegistries, Reg, SE_ISSUERS, slotOfSeId } from "./issuance-registries.ts"
import type { Flow } from "./pilot-order.ts"
import type { PilotTsm } from "./pilot-tsm.ts"

/** Byte-level card work (byte-level-cards.ts), for the users in the sample. */
export interface CardHook {
  byteLevel(user: number): boolean
  /** An issuing order of `user` has started: its card's job may start now (issuance-plane.ts). */
  begin(user: number): void
  /** The card's part of an issuance step: made at create-ssd, issued at personalize. */
  issue(user: number, step: IssuanceOtaStep): CardWork
}

/** `cardStepUs`: the card's verdict fails the step. */
const CARD_REFUSED = -2

/** A job's end: when, and the answer (a failure carries its reason and whether a retry may help). */
export interface JobEnd {
  endUs: number
  answer: Message | null
  retryable: boolean
  reason: string
}

export class PilotSeIssuers {
  otaFailures = 0
  private downs = 0
  private latencyPermille = 1000
  private extraFailurePermille = 0
  private readonly records: IssuerRecords[]
  private flow: Flow | null = null

  /** The bearer's latency factor in force (1000 = nominal), read-only for the viewer's tracer. */
  get bearerLatencyPermille(): number {
    return this.latencyPermille
  }
  private readonly c: {
    readonly admitted: Count
    readonly again: Count
    readonly ignored: Count
    readonly refused: Count
    readonly job: Count
    readonly failed: Count
    readonly down: Count
    readonly card: Count
    readonly retireSwapped: Count
  }

  constructor(
    private readonly capacity: Capacity,
    private readonly tsm: PilotTsm,
    private readonly registries: IssuanceRegistries,
    private readonly stream: Stream,
    private readonly cards: CardHook,
    decisions: PartyDecisions,
    private readonly clockUs: () => number,
    /** The issuers' admission as the run's layers provide it (pilot-party-layers.ts). */
    private readonly admitRequest: SeIssuerDecision["admitRequest"],
  ) {
    // One record view per issuer, reading the order at hand (set in `request`) and the SE registry.
    this.records = SE_ISSUERS.map((_, code) => ({
      finished: {
        get: (key) => {
          const f = this.flow!
          return key === f.jobKey && f.jobAnswer !== null && f.jobEndUs <= this.now ? f.jobAnswer : undefined
        },
      },
      running: { has: (key) => key === this.flow!.jobKey && this.flow!.jobEndUs > this.now },
      ses: { has: (seId) => registries.seIssuer[slotOfSeId(seId)] === code },
    }))
    const id = PILOT_NETWORK.telcoOta.id
    this.c = {
      admitted: decisions.decision(id, "admit: start"),
      again: decisions.decision(id, "admit: answer again"),
      ignored: decisions.decision(id, "admit: ignore (running)"),
      refused: decisions.error(id, "refused: unknown SE"),
      job: decisions.decision(id, "ota-job"),
      failed: decisions.error(id, "ota-failed"),
      down: decisions.error(id, "bearer-down"),
      card: decisions.error(id, "card-verdict"),
      retireSwapped: decisions.decision(id, "retire swapped UICC"),
    }
  }

  /**
   * A SIM swap at the operator's store: the telco activates the new UICC and deactivates the old
   * one, whose IMSI the network no longer serves — SMS-PP and BIP to the number now reach the new
   * SIM (the HLR maps the MSISDN to one IMSI) — so no OTA lock can reach the old card. The telco,
   * as SE issuer, retires the old UICC and everything on it in its SE registry instead (the old
   * SIM stays with the store), and the SP deregisters it at MTPS in the swap order's last step.
   */
  retireSwappedSe(slot: number): void {
    this.c.retireSwapped.n++
    this.registries.oldSe[slot] = Reg.deleted
  }

  private now = 0

  /** An issuer's admission of `message` for `flow` arriving at `atUs`: the job's end, or null (ignored). */
  request(issuer: string, flow: Flow, message: Message, atUs: number): JobEnd | null {
    this.flow = flow
    this.now = atUs
    const code = SE_ISSUERS.indexOf(issuer as (typeof SE_ISSUERS)[number])
    const admission: Admission = this.admitRequest(this.records[Math.max(code, 0)]!, flow.orderId, message)
    this.flow = null
    switch (admission.kind) {
      case "ignore":
        this.c.ignored.n++
        return null
      case "answer-again":
        this.c.again.n++
        return { endUs: atUs, answer: admission.message, retryable: false, reason: "" }
      case "refuse":
        this.c.refused.n++
        return { endUs: atUs, answer: null, retryable: false, reason: admission.reason }
      case "start":
        this.c.admitted.n++
        return this.job(flow, admission.request, atUs)
    }
  }

  private job(flow: Flow, request: Extract<Admission, { kind: "start" }>["request"], atUs: number): JobEnd {
    const step = flow.state.step
    const slot = slotOfSeId(request.seId)
    flow.jobKey = requestKeyOf(flow.orderId, request)
    this.c.job.n++
    const end = flow.seLost ? this.retire(atUs) : this.overTheAir(flow, step, atUs)
    flow.jobEndUs = end.endUs
    flow.jobAnswer = end.answer
    if (end.answer !== null) this.registries.se[slot] = seStateAfter(step)
    return end
  }

  /** A lost phone's SE: the issuer retires it (the SIM is deactivated), no OTA. */
  private retire(atUs: number): JobEnd {
    return { endUs: atUs, answer: DONE, retryable: false, reason: "" }
  }

  private overTheAir(flow: Flow, step: Flow["state"]["step"], atUs: number): JobEnd {
    const ota = this.capacity.telcoOta
    const apdus = this.tsm.apdus(step)
    if (this.downs > 0) {
      this.c.down.n++
      this.otaFailures++
      return { endUs: atUs, answer: null, retryable: true, reason: "OTA bearer down" }
    }
    // The issuance's failure rate spread over its APDUs: a step fails in proportion to its share.
    const failed =
      this.stream.below(1000 * ota.apdusPerIssuance) <
      (ota.failurePermille + this.extraFailurePermille) * apdus
    const cardUs = failed ? -1 : this.cardStepUs(flow, step)
    if (cardUs === CARD_REFUSED)
      return { endUs: atUs, answer: null, retryable: false, reason: `card: ${flow.cardWork!.reason}` }
    const span = ota.apduRoundTripUsMax - ota.apduRoundTripUsMin
    const modelledUs = Math.round(
      (apdus * (ota.apduRoundTripUsMin + this.stream.below(span + 1)) * this.latencyPermille) / 1000,
    )
    const durationUs = cardUs >= 0 ? cardUs : modelledUs
    const endUs = flow.viaGzt
      ? this.tsm.otaSessions.reserveAfter(this.clockUs(), atUs, durationUs, Number.MAX_SAFE_INTEGER)
      : atUs + durationUs
    if (endUs < 0) return { endUs: atUs, answer: null, retryable: true, reason: "no OTA session" }
    if (failed) {
      this.c.failed.n++
      this.otaFailures++
      return { endUs, answer: null, retryable: true, reason: "OTA attempt failed" }
    }
    return { endUs, answer: DONE, retryable: false, reason: "" }
  }

  /**
   * A byte-level user's OTA step on the real card (byte-level-cards.ts): the card is made and its
   * scripts planned at create-ssd (asked once per card whether the user is byte-level), issued at
   * personalize; each step takes its own part of the plan — bearer time slowed by a degradation,
   * plus the SE's time. -1: not byte-level (the modelled time applies); CARD_REFUSED: the card's
   * verdict fails the step (`flow.cardWork` says why).
   */
  private cardStepUs(flow: Flow, step: Flow["state"]["step"]): number {
    if (step === "create-ssd") {
      // A repeated create-ssd job (the TSM retried) finds the card already made: not asked again.
      if (flow.cardWork === null && !this.cards.byteLevel(flow.user)) return -1
      flow.cardWork = this.cards.issue(flow.user, step)
    } else if (step === "personalize" && flow.cardWork !== null) {
      flow.cardWork = this.cards.issue(flow.user, step)
    } else return -1
    const work = flow.cardWork
    if (work === null) return -1
    if (!work.ok) {
      this.c.card.n++
      return CARD_REFUSED
    }
    // A work without an OTA plan (a test's hook) leaves the modelled time unless it reports its own.
    if (work.ota === undefined) return work.cardUs > 0 ? work.cardUs : -1
    return stepUs(work.ota.steps[step], this.latencyPermille)
  }

  /** The bearer as a fault target: down fails every job, a degradation slows and loses more. */
  faultTarget(): FaultTarget {
    return {
      setDown: (down) => {
        this.downs += down ? 1 : -1
      },
      degrade: (spec: DegradationSpec | null) => {
        this.latencyPermille = spec?.latencyPermille ?? 1000
        const loss = spec?.extraLoss
        this.extraFailurePermille =
          loss === undefined ? 0 : Math.round((1000 * loss.numerator) / loss.denominator)
      },
    }
  }
}

/** The issuer's answer to a successful job (background: no script results to carry). */
const DONE: Message = { _tag: "Acknowledgement", acknowledgedNonce: "00000000000000000000000000000000" }

/** What a successful job leaves on the SE, by the order step that asked for it. */
const seStateAfter = (step: Flow["state"]["step"]): Reg => {
  switch (step) {
    case "create-ssd":
      return Reg.ssdCreated
    case "personalize":
      return Reg.active
    case "ota-lock":
      return Reg.locked
    case "delete-app":
      return Reg.ssdCreated
    default:
      return Reg.deleted
  }
}
