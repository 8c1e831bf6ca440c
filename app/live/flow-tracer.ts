/**
 * Traces a few of the pilot's byte-level issuances for the viewer's inspector: the order's way
 * across the parties as the issuance flows move it (bank host, the 贵州通 TSM's order server and
 * HSM, MTPS, an OTA session), then the real APDUs of the card that issuance made — the card story
 * run by byte-level-cards.ts, with each secure-channel command also in plaintext as the host built
 * it before wrapping. At most one issuance per `everyUs` of simulated time and `tracedMax` per run
 * are traced, so tracing stays a small, bounded cost (DESIGN.md §5: viewer ≤ 10 % slower).
 * It only observes: it schedules nothing and draws nothing, so the run is the headless run.
 */

import type { CardStory } from "../../model/host/card-story/card-story.ts"
import { apduView } from "../../model/signals/apdu-view.ts"
import {
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

interface Hop {
  readonly from: string
  readonly to: string
  readonly tUs: number
  readonly label: string
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
  private story: { user: number; story: CardStory } | null = null
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
      wants: (user) => this.users.has(user),
      story: (user, story) => {
        this.story = { user, story }
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
    const story = this.story?.user === flow.user ? this.story.story : null
    this.story = null
    const apdus = story === null ? [] : this.apduSteps(story, t.hops.at(-1)?.tUs ?? flow.startUs)
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
    }
    this.out.write({ tUs: nowUs, signal: FLOW_SUMMARY_SIGNAL, payload: summary })
  }

  /** The card-management exchanges, spaced by the card model's own offsets from the OTA session's start. */
  private apduSteps(story: CardStory, startUs: number): Array<Hop & { apdu: FlowStep["apdu"] & object }> {
    const plain = story.context.plainCommands
    const first = story.exchanges[0]?.atUs ?? 0
    return story.steps.flatMap((s) =>
      story.exchanges.slice(s.firstExchange, s.firstExchange + s.exchangeCount).map((e, i) => ({
        from: SENDER[s.step.actor],
        to: "se",
        tUs: startUs + (e.atUs - first),
        label: s.step.title,
        apdu: apduView(e.command, e.response, plain?.get(s.firstExchange + i)),
      })),
    )
  }
}
