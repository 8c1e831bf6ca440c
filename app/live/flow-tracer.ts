/**
 * Traces a few of the pilot's byte-level issuances for the viewer's inspector: the order's way
 * across the parties as the issuance flows move it (bank host, the 贵州通 TSM's order server and
 * HSM, MTPS, an OTA session), then the real APDUs of the card that issuance made — the card story
 * run by byte-level-cards.ts, with each secure-channel command also in plaintext as the host built
 * it before wrapping. Each of the order's OTA steps (create-ssd, personalize) is drawn as the run
 * charged it (card-timeline.ts): the script's delivery over the bearer, then each command with the
 * SE's time, ending when the step's job ended; the flow's summary carries the card's sessions.
 * The latency factor a step ran under is read when its request passes MTPS: the job is asked for
 * in the same synchronous call (issuance-flows.ts `runStep`), so no fault can change it between.
 * At most one issuance per `everyUs` of simulated time and `tracedMax` per run are traced, so
 * tracing stays a small, bounded cost (DESIGN.md §5: viewer ≤ 10 % slower).
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
import {
  ISSUANCE_OTA_STEPS,
  type IssuanceOta,
  type IssuanceOtaStep,
} from "../../model/world/pilot/byte-level/ota-issuance.ts"
import type { Flow, FlowStage } from "../../model/world/pilot/issuance-flows.ts"
import { type PilotWorld, wantsByteLevel } from "../../model/world/pilot/pilot-world.ts"
import type { Sink } from "../../sim/recorder/sink.ts"
import { cardTimeline, type SessionInput } from "./card-timeline.ts"

interface Hop {
  readonly from: string
  readonly to: string
  readonly tUs: number
  readonly label: string
  readonly durationUs?: number
  readonly apdu?: NonNullable<FlowStep["apdu"]>
}

/** An OTA step's job as it ran: the latency factor in force and when the job ended. */
interface OtaJob {
  readonly latencyPermille: number
  readonly endUs: number
}

interface Traced {
  readonly id: string
  readonly hops: Hop[]
  last: string
  /** Each OTA step's last job that ran (a retry's job replaces a failed one's). */
  readonly jobs: Partial<Record<IssuanceOtaStep, OtaJob>>
  /** A step request seen at MTPS: its job ran if the flow's job end changed by the next observation. */
  asked: { step: IssuanceOtaStep; latencyPermille: number; jobEndUs: number } | null
}

/** Who sends each step's script: the telco's OTA platform through the ISD, the TSM through the SSD. */
const SENDER: Readonly<Record<IssuanceOtaStep, string>> = {
  "create-ssd": PILOT_NETWORK.telcoOta.id,
  personalize: PILOT_NETWORK.tsmOtaSessions.id,
}

const OTA_STEP_OF = { ISD: "create-ssd", SSD: "personalize", terminal: null } as const

const isOtaStep = (step: string): step is IssuanceOtaStep =>
  (ISSUANCE_OTA_STEPS as ReadonlyArray<string>).includes(step)

const BYTE_LEVEL_FLAG = 2

export interface TracerOptions {
  readonly everyUs: number
  readonly tracedMax: number
}

export class FlowTracer {
  private readonly traced = new Map<Flow, Traced>()
  private readonly users = new Set<number>()
  /** Traced users' card stories, from their create-ssd (byte-level-cards.ts). */
  private readonly stories = new Map<number, CardStory>()
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
      story: (user, story) => void this.stories.set(user, story),
    }
  }

  /**
   * The run's last traced issuance ended: the tracer lets go of the world, whose issuances and
   * cards then run as they do headless, without a call per stage for the rest of the run.
   */
  private detach(): void {
    const w = this.world
    w.flows.observer = null
    w.cards.tracer = null
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
      this.traced.set(flow, { id, hops: [], last: PILOT_NETWORK.users.id, jobs: {}, asked: null })
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
    this.settleJob(flow, t)
    if (stage === "order-server") this.hop(flow, PILOT_NETWORK.tsmOrders.id, nowUs, "order to the 贵州通 TSM")
    else if (stage === "hsm")
      this.hop(flow, PILOT_NETWORK.tsmHsm.id, nowUs, "HSM: key derivation, wrapping, SM2 signature")
    else if (stage === "mtps") {
      this.hop(flow, PILOT_NETWORK.mtps.id, nowUs, "SM2-signed order routed by MTPS")
      const step = flow.state.step
      if (isOtaStep(step))
        t.asked = {
          step,
          latencyPermille: this.world.flows.issuers.bearerLatencyPermille,
          jobEndUs: flow.jobEndUs,
        }
    } else if (stage === "ota-session")
      this.hop(flow, PILOT_NETWORK.tsmOtaSessions.id, nowUs, "OTA session opened")
    else this.finish(flow, t, stage === "issued", nowUs)
  }

  /** A step asked for at MTPS whose job ran (the flow's job end moved): its factor and end. */
  private settleJob(flow: Flow, t: Traced): void {
    const a = t.asked
    if (a === null) return
    t.asked = null
    if (flow.jobEndUs !== a.jobEndUs)
      t.jobs[a.step] = { latencyPermille: a.latencyPermille, endUs: flow.jobEndUs }
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
    if (this.count >= this.options.tracedMax && this.traced.size === 0) this.detach()
    const story = this.stories.get(flow.user) ?? null
    this.stories.delete(flow.user)
    const ota = flow.cardWork?.ota
    const card = story === null || ota === undefined ? null : this.cardSteps(story, ota, t.jobs)
    const all = [...t.hops, ...(card?.rows ?? [])]
      .sort((a, b) => a.tUs - b.tUs)
      .slice(0, FLOW_LIMITS.stepsMax)
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
      ...(card === null || card.span.sessions.length === 0 ? {} : { card: card.span }),
    }
    this.out.write({ tUs: nowUs, signal: FLOW_SUMMARY_SIGNAL, payload: summary })
  }

  /**
   * The card's OTA steps whose jobs ran, as the run charged them: each ends when its job ended and
   * starts its rebuilt time before (the tests hold that time equal to the charged one); the
   * bearer's delivery first, then each command of the script.
   */
  private cardSteps(
    story: CardStory,
    ota: IssuanceOta,
    jobs: Traced["jobs"],
  ): { rows: Hop[]; span: CardSpan } {
    const stepOf: Array<IssuanceOtaStep | null> = story.exchanges.map(() => null)
    for (const s of story.steps)
      for (let i = 0; i < s.exchangeCount; i++) stepOf[s.firstExchange + i] = OTA_STEP_OF[s.step.actor]
    const inputs: SessionInput[] = ISSUANCE_OTA_STEPS.flatMap((step) => {
      const job = jobs[step]
      return job === undefined
        ? []
        : [{ step, planBearerUs: ota.steps[step].bearerUs, latencyPermille: job.latencyPermille }]
    })
    const se = story.context.profile.name
    const line = cardTimeline(story.exchanges, stepOf, story.context.card.nowUs(), se, inputs)
    const titleOf = (i: number) =>
      story.steps.find((s) => i >= s.firstExchange && i < s.firstExchange + s.exchangeCount)
    const plain = story.context.plainCommands
    const rows: Hop[] = []
    const sessions = line.map((session, k) => {
      const input = inputs[k]!
      const job = jobs[session.step]!
      const startUs = Math.max(0, job.endUs - session.totalUs)
      const factor = input.latencyPermille === 1000 ? "" : `, bearer ×${input.latencyPermille / 1000}`
      rows.push({
        from: SENDER[session.step],
        to: "se",
        tUs: startUs,
        durationUs: session.bearerUs,
        label: `${session.step}: script over ${ota.bearer}${factor}`,
      })
      for (const x of session.exchanges) {
        const e = story.exchanges[x.index]!
        rows.push({
          from: SENDER[session.step],
          to: "se",
          tUs: startUs + x.offsetUs,
          durationUs: x.durationUs,
          label: titleOf(x.index)?.step.title ?? session.step,
          apdu: apduView(e.command, e.response, plain?.get(x.index)),
        })
      }
      return {
        step: session.step,
        startUs,
        bearerUs: session.bearerUs,
        latencyPermille: input.latencyPermille,
        seUs: session.seUs,
      }
    })
    const span: CardSpan = {
      startUs: sessions[0]?.startUs ?? 0,
      durationUs: line.reduce((n, s) => n + s.totalUs, 0),
      apdus: line.reduce((n, s) => n + s.exchanges.length, 0),
      se,
      bearer: ota.bearer,
      packets: ota.packets,
      sessions,
    }
    return { rows, span }
  }
}
