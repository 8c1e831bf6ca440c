/**
 * Traces a few of the pilot's byte-level issuances for the viewer's inspector: the order's way
 * across the parties as the issuance flows move it (bank host, the 贵州通 TSM's order server and
 * HSM, MTPS, an OTA session), then the real APDUs of the card that issuance made — the card story
 * run by byte-level-cards.ts, with each secure-channel command also in plaintext as the host built
 * it before wrapping — each at its simulated instant inside the OTA session and with its simulated
 * duration by the card-time model the run charged (card-timeline.ts); the flow's summary carries
 * the card's session as a span. At most one issuance per `everyUs` of simulated time and `tracedMax` per run
 * are traced, so tracing stays a small, bounded cost (DESIGN.md §5: viewer ≤ 10 % slower).
 * It only observes: it schedules nothing and draws nothing, so the run is the headless run.
 */

import type { CardStory } from "../../model/host/card-story/card-story.ts"
import { apduView } from "../../model/signals/apdu-view.ts"
import {
  type CardSpan,
  FLOW_LIMITS,
  FLOW_STEP_SIGNAL,
  FLOW_SUMMARY_SIGNAL,
  type FlowStep,
  type FlowSummary,
} from "../../model/signals/flow.ts"
import { PILOT_NETWORK } from "../../model/world/network.ts"
import type { Flow, FlowStage } from "../../model/world/pilot/issuance-flows.ts"
import { type PilotWorld, wantsByteLevel } from "../../model/world/pilot/pilot-world.ts"
import type { Sink } from "../../sim/recorder/sink.ts"
import { cardTimeline } from "./card-timeline.ts"

interface Hop {
  readonly from: string
  readonly to: string
  readonly tUs: number
  readonly label: string
}

/** A traced user's card story with the card time the run charged for it (the tally's increase). */
interface CardCapture {
  readonly user: number
  readonly story: CardStory
  readonly cardUs: number
  readonly roundTripUs: number
  /** The session's first APDU: its job's end less the card time, read once the job has ended. */
  startUs: number | null
}

interface Traced {
  readonly id: string
  readonly hops: Hop[]
  last: string
}

/** Who sends the story's commands: the telco's OTA platform through the ISD, the TSM through the SSD. */
const SENDER = {
  ISD: PILOT_NETWORK.telcoOta.id,
  SSD: PILOT_NETWORK.tsmOtaSessions.id,
  terminal: "pos",
} as const

const BYTE_LEVEL_FLAG = 2

export interface TracerOptions {
  readonly everyUs: number
  readonly tracedMax: number
}

export class FlowTracer {
  private readonly traced = new Map<Flow, Traced>()
  private readonly users = new Set<number>()
  private story: CardCapture | null = null
  /** The byte-level tally when a traced user's card work began. */
  private tallyAt: { cardUs: number; roundTripUs: number } | null = null
  private count = 0
  private nextUs = 0
  /** Traced issuances that ended (issued or abandoned): the viewer's "next traced issuance" counts them. */
  finished = 0

  constructor(
    private readonly world: PilotWorld,
    private readonly out: Sink,
    private readonly options: TracerOptions,
  ) {
    world.flows.observer = (flow, stage, nowUs) => this.observe(flow, stage, nowUs)
    world.cards.tracer = {
      wants: (user) => {
        if (!this.users.has(user)) return false
        const t = world.cards.tally
        this.tallyAt = { cardUs: t.issuanceCardUs, roundTripUs: t.issuanceRoundTripUs }
        return true
      },
      story: (user, story) => {
        // Nothing else runs between `wants` and `story` (one synchronous call): the tally's
        // increase is this card's time and round trip, as byte-level-cards.ts charged them.
        const t = world.cards.tally
        const at = this.tallyAt ?? { cardUs: t.issuanceCardUs, roundTripUs: t.issuanceRoundTripUs }
        this.tallyAt = null
        const cardUs = t.issuanceCardUs - at.cardUs
        this.story = {
          user,
          story,
          cardUs,
          roundTripUs: t.issuanceRoundTripUs - at.roundTripUs,
          startUs: null,
        }
      },
    }
  }

  /** Whether the user's card will be real: in the byte-level sample (pilot-world.ts's flags). */
  private byteLevel(user: number): boolean {
    const w = this.world
    if (user < w.userFlags.length) return (w.userFlags[user]! & BYTE_LEVEL_FLAG) !== 0
    return wantsByteLevel(w, user)
  }

  private observe(flow: Flow, stage: FlowStage, nowUs: number): void {
    if (stage === "start") {
      if (this.count >= this.options.tracedMax || nowUs < this.nextUs || !this.byteLevel(flow.user)) return
      this.count++
      this.nextUs = nowUs + this.options.everyUs
      this.users.add(flow.user)
      const id = `issuance-${flow.user}-${this.count}`
      this.traced.set(flow, { id, hops: [], last: PILOT_NETWORK.users.id })
      this.hop(
        flow,
        PILOT_NETWORK.bankHost.id,
        nowUs,
        `${flow.path} issuance order: identity and account check`,
      )
      return
    }
    const t = this.traced.get(flow)
    if (t === undefined) return
    const card = this.story
    // The first observation after the card's job ended: the job's end is set by then.
    if (card !== null && card.user === flow.user && card.startUs === null)
      card.startUs = Math.max(0, card.story.ok ? flow.jobEndUs - card.cardUs : flow.jobEndUs)
    if (stage === "order-server") this.hop(flow, PILOT_NETWORK.tsmOrders.id, nowUs, "order to the 贵州通 TSM")
    else if (stage === "hsm")
      this.hop(flow, PILOT_NETWORK.tsmHsm.id, nowUs, "HSM: key derivation, wrapping, SM2 signature")
    else if (stage === "mtps") this.hop(flow, PILOT_NETWORK.mtps.id, nowUs, "SM2-signed order routed by MTPS")
    else if (stage === "ota-session")
      this.hop(flow, PILOT_NETWORK.tsmOtaSessions.id, nowUs, "OTA session opened")
    else this.finish(flow, t, stage === "issued", nowUs)
  }

  private hop(flow: Flow, to: string, tUs: number, label: string): void {
    const t = this.traced.get(flow)!
    if (t.hops.length >= FLOW_LIMITS.stepsMax / 4) return
    t.hops.push({ from: t.last, to, tUs, label })
    t.last = to
  }

  private finish(flow: Flow, t: Traced, issued: boolean, nowUs: number): void {
    this.finished++
    this.traced.delete(flow)
    this.users.delete(flow.user)
    const card = this.story?.user === flow.user ? this.story : null
    const story = card?.story ?? null
    this.story = null
    const span = card === null ? null : this.cardSpan(card, nowUs)
    const apdus = card === null || span === null ? [] : this.apduSteps(card, span.startUs)
    const all = [...t.hops, ...apdus].sort((a, b) => a.tUs - b.tUs).slice(0, FLOW_LIMITS.stepsMax)
    all.forEach((m, index) => {
      const step: FlowStep = { flowId: t.id, kind: "issuance", index, ...m }
      this.out.write({ tUs: nowUs, signal: FLOW_STEP_SIGNAL, payload: step })
    })
    const summary: FlowSummary = {
      key: t.id,
      kind: "issuance",
      label: `${flow.path} #${flow.user}${issued ? (story === null ? " (no card trace)" : "") : " (abandoned)"}`,
      startUs: flow.startUs,
      endUs: nowUs,
      ok: issued,
      traced: true,
      steps: all.length,
      ...(span === null ? {} : { card: span }),
    }
    this.out.write({ tUs: nowUs, signal: FLOW_SUMMARY_SIGNAL, payload: summary })
  }

  private cardSpan(card: CardCapture, nowUs: number): CardSpan {
    return {
      startUs: card.startUs ?? nowUs,
      durationUs: card.cardUs,
      apdus: card.story.exchanges.length,
      roundTripUs: card.roundTripUs,
      se: card.story.context.profile.name,
    }
  }

  /** The card-management exchanges at their instants in the OTA session, with their card time. */
  private apduSteps(
    card: CardCapture,
    startUs: number,
  ): Array<Hop & { durationUs: number; apdu: FlowStep["apdu"] & object }> {
    const { story } = card
    const plain = story.context.plainCommands
    const line = cardTimeline(
      story.exchanges,
      story.context.card.nowUs(),
      story.context.profile.name,
      card.roundTripUs,
      card.cardUs,
    )
    return story.steps.flatMap((s) =>
      story.exchanges.slice(s.firstExchange, s.firstExchange + s.exchangeCount).map((e, i) => {
        const time = line.exchanges[s.firstExchange + i]!
        return {
          from: SENDER[s.step.actor],
          to: "se",
          tUs: startUs + time.offsetUs,
          durationUs: time.durationUs,
          label: s.step.title,
          apdu: apduView(e.command, e.response, plain?.get(s.firstExchange + i)),
        }
      }),
    )
  }
}
