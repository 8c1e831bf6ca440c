/**
 * The SE issuers in the pilot (the telcos' TSMs for NFC-SIMs, the NFC-SD issuer, the handset
 * makers' for eSEs) with their OTA bearer: each request goes through the same admission the
 * scenario-02 SeIssuer runs (`admitRequest`, model/parties/telco/issuer-requests.ts: idempotent by
 * order id — a finished job is answered again, a running one ignored, an SE the issuer never made
 * refused), then an OTA job on the bearer: the step's APDUs at a drawn round trip (slowed by a
 * degradation), inside one of the 贵州通 TSM's OTA sessions for its orders, failing when the bearer
 * is down or by the bearer's failure rate (phone off, coverage; per APDU share of an issuance).
 * A successful job writes the SE issuer's SE registry. Byte-level users' personalization runs the
 * real card instead (`cards.issue`): its verdict is the step's and its card time the job's.
 *
 * The job's outcome and end are decided when it starts (the pools are Lindley cost models,
 * server-pool.ts), and its effect on the SE registry is recorded then; the auditor compares
 * registries only for users with no order in flight, so the early write is never seen half-done.
 */
import type { DegradationSpec } from "../../../../sim/faults/fault-plan.ts"
import type { FaultTarget } from "../../../../sim/faults/fault-target.ts"
import type { Stream } from "../../../../sim/rng/stream.ts"
import type { Message } from "../../../parties/messages/messages.ts"
import {
  type Admission,
  admitRequest,
  type IssuerRecords,
  requestKeyOf,
} from "../../../parties/telco/issuer-requests.ts"
import { PILOT_NETWORK } from "../../network.ts"
import type { CardWork } from "../byte-level-cards.ts"
import type { Count, PartyDecisions } from "../party-decisions.ts"
import type { Capacity } from "../pilot-scenario.ts"
import { type IssuanceRegistries, Reg, SE_ISSUERS, slotOfSeId } from "./issuance-registries.ts"
import type { Flow } from "./pilot-order.ts"
import type { PilotTsm } from "./pilot-tsm.ts"

/** Byte-level card work (byte-level-cards.ts), for the users in the sample. */
export interface CardHook {
  byteLevel(user: number): boolean
  /** An issuing order of `user` has started: its card's job may start now (issuance-plane.ts). */
  begin(user: number): void
  issue(user: number): CardWork
}

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
  private readonly c: {
    readonly admitted: Count
    readonly again: Count
    readonly ignored: Count
    readonly refused: Count
    readonly job: Count
    readonly failed: Count
    readonly down: Count
    readonly card: Count
  }

  constructor(
    private readonly capacity: Capacity,
    private readonly tsm: PilotTsm,
    private readonly registries: IssuanceRegistries,
    private readonly stream: Stream,
    private readonly cards: CardHook,
    decisions: PartyDecisions,
    private readonly clockUs: () => number,
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
    }
  }

  private now = 0

  /** An issuer's admission of `message` for `flow` arriving at `atUs`: the job's end, or null (ignored). */
  request(issuer: string, flow: Flow, message: Message, atUs: number): JobEnd | null {
    this.flow = flow
    this.now = atUs
    const code = SE_ISSUERS.indexOf(issuer as (typeof SE_ISSUERS)[number])
    const admission: Admission = admitRequest(this.records[Math.max(code, 0)]!, flow.orderId, message)
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
    let cardUs = -1
    if (this.downs > 0) {
      this.c.down.n++
      this.otaFailures++
      return { endUs: atUs, answer: null, retryable: true, reason: "OTA bearer down" }
    }
    // The issuance's failure rate spread over its APDUs: a step fails in proportion to its share.
    const failed =
      this.stream.below(1000 * ota.apdusPerIssuance) <
      (ota.failurePermille + this.extraFailurePermille) * apdus
    if (!failed && step === "personalize" && this.cards.byteLevel(flow.user)) {
      const work = this.cards.issue(flow.user)
      if (!work.ok) {
        this.c.card.n++
        return { endUs: atUs, answer: null, retryable: false, reason: `card: ${work.reason}` }
      }
      // The real card's time replaces the modelled one once the card reports it (net-bytes).
      if (work.cardUs > 0) cardUs = work.cardUs
    }
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
