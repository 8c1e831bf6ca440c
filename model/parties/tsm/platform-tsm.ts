/**
 * The 贵州通 TSM (and, with `route: "ota"`, a national bank's SP-TSM): the thin shell that applies
 * the order machine's actions (order-machine.ts) against the world. It keeps the application
 * catalogue (publishing; only published apps of authorized SPs are served), the SSD key store,
 * its view of each SE's registry, and one context per order. Steps reach MTPS and the SE issuers
 * through signed envelopes, and the SE through the wallet app's SERAM channel or, when the phone
 * cannot be used (a loss report), through the SE issuer's OTA bearer.
 */
import type { EventHandle, HandlerId } from "../../../sim/kernel/port.ts"
import { hex, toHex } from "../../bytes/hex.ts"
import { TDES_PBOC } from "../../card/applets/pboc/algorithm-profile.ts"
import type { StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import type { IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"
import type { Institution } from "../messages/institution.ts"
import type { ERROR_CODES } from "../messages/lifecycle-messages.ts"
import type { Message } from "../messages/messages.ts"
import { checkRound, commandRound, describeFailure, openingRound } from "../ota/domain-script.ts"
import { SSD_KVN } from "../telco/se-issuer.ts"
import { publicationRefusal } from "./app-catalogue.ts"
import { ChannelSessions } from "./channel-sessions.ts"
import {
  decideOrder,
  newOrder,
  type OrderAction,
  type OrderInput,
  type OrderState,
  type RetryPolicy,
  type StepName,
} from "./order-machine.ts"
import type { OrderRequest, PublishedApp, ScriptRoute } from "./order-request.ts"
import { deleteAppScript, lockScript, personalizeScript, type SsdScript } from "./ssd-scripts.ts"
import { TsmView } from "./tsm-view.ts"

export interface TsmOptions {
  readonly hubId: string
  readonly policy: RetryPolicy
  /** How SSD scripts reach the SE by default: the wallet app (贵州通) or OTA via MTPS (SP-TSM). */
  readonly route: ScriptRoute
  /** The SP's issuer master keys, by SP id (the bank's CMS would hold them; assumption). */
  readonly issuerKeys: ReadonlyMap<string, IssuerMasterKeys>
  /** SPs with a contract with this TSM: only they may publish applications. */
  readonly contractedSps: ReadonlySet<string>
  readonly draw: (n: number) => Uint8Array
}

interface OrderContext {
  readonly request: OrderRequest
  readonly app: PublishedApp
  state: OrderState
  /** The exchange in flight (SERAM session or OTA exchange id), so late answers are ignored. */
  exchangeId: string
  /** The pending step timeout or backoff; cancelled once a decision supersedes it. */
  timer: EventHandle | null
}

interface Timer {
  readonly orderId: string
  readonly input: OrderInput
}

export class PlatformTsm {
  readonly catalogue = new Map<string, PublishedApp>()
  readonly view: TsmView
  readonly channel: ChannelSessions
  /** SSD keys by SE and SSD AID: what the telco handed over, SM2-decrypted. */
  private readonly ssdKeys = new Map<string, StaticKeys>()
  private readonly orders = new Map<string, OrderContext>()
  private readonly otaAnswers = new Map<number, (rapdus: ReadonlyArray<Uint8Array> | null) => void>()
  private readonly timer: HandlerId<Timer>
  private exchanges = 0
  /** Called on every terminal order (the composition root's audit probe hooks here). */
  onTerminal: (request: OrderRequest, state: OrderState) => void = () => {}

  constructor(
    readonly institution: Institution,
    private readonly options: TsmOptions,
  ) {
    this.view = new TsmView(institution.port, institution.id)
    this.channel = new ChannelSessions(institution.port)
    this.timer = institution.port.register<Timer>(`tsm.timer:${institution.id}`, (_a0, t) =>
      this.input(t.orderId, t.input),
    )
  }

  /** Publishes an application after the catalogue's checks; false (and a signal) when refused. */
  publish(app: PublishedApp): boolean {
    const port = this.institution.port
    const refusal = publicationRefusal(this.catalogue, app, this.options.contractedSps)
    if (refusal !== null) {
      port.emit("app.refused", {
        tsm: this.institution.id,
        appId: app.appId,
        spId: app.spId,
        reason: refusal,
      })
      return false
    }
    this.catalogue.set(app.appId, app)
    port.emit("app.published", {
      tsm: this.institution.id,
      appId: app.appId,
      spId: app.spId,
      category: app.category,
    })
    return true
  }

  /** Accepts an order; a known id is ignored (idempotent), an unauthorized one fails at once. */
  submit(request: OrderRequest): void {
    if (this.orders.has(request.orderId)) return
    const app = this.catalogue.get(request.appId)
    const port = this.institution.port
    port.emit("order.opened", {
      orderId: request.orderId,
      kind: request.kind,
      seId: request.seId,
      tsm: this.institution.id,
    })
    if (app === undefined || !this.options.issuerKeys.has(app.spId)) {
      port.emit("order.terminal", {
        orderId: request.orderId,
        kind: request.kind,
        phase: "failed",
        reason: "unauthorized",
      })
      return
    }
    this.orders.set(request.orderId, {
      request,
      app,
      state: newOrder(request.kind),
      exchangeId: "",
      timer: null,
    })
    this.input(request.orderId, { kind: "start" })
  }

  private input(orderId: string, input: OrderInput): void {
    const ctx = this.orders.get(orderId)
    if (ctx === undefined) return
    const d = decideOrder(this.options.policy, ctx.state, input)
    ctx.state = d.state
    if (d.actions.length === 0) return
    // Every decision with actions supersedes the pending timeout or backoff of the last one.
    if (ctx.timer !== null) this.institution.port.cancel(ctx.timer)
    ctx.timer = null
    for (const a of d.actions) this.apply(ctx, a)
  }

  private apply(ctx: OrderContext, a: OrderAction): void {
    const port = this.institution.port
    const orderId = ctx.request.orderId
    if (a.kind === "backoff") {
      ctx.timer = port.after(a.delayUs, this.timer, 0, {
        orderId,
        input: { kind: "retry-due", step: a.step, attempt: a.attempt },
      })
      return
    }
    if (a.kind === "terminal") {
      this.channel.forget(ctx.exchangeId)
      this.orders.delete(orderId)
      const r = ctx.request
      port.emit("order.terminal", {
        orderId,
        kind: r.kind,
        phase: a.phase,
        reason: a.reason,
        attempts: ctx.state.attempt,
      })
      if (a.phase === "done" && (r.kind === "issue" || r.kind === "reissue" || r.kind === "sim-swap"))
        port.emit("card.issued", {
          pan: r.pan,
          psn: r.psn,
          seId: r.seId,
          appId: r.appId,
          userIndex: r.userIndex,
        })
      this.onTerminal(r, ctx.state)
      return
    }
    ctx.timer = port.after(a.timeoutUs, this.timer, 0, {
      orderId,
      input: { kind: "timeout", step: a.step, attempt: a.attempt },
    })
    this.runStep(ctx, a.step, a.attempt)
  }

  private ok(ctx: OrderContext, step: StepName, attempt: number): void {
    this.input(ctx.request.orderId, { kind: "step-ok", step, attempt })
  }

  private failed(ctx: OrderContext, step: StepName, attempt: number, reason: string, retryable = true): void {
    this.input(ctx.request.orderId, { kind: "step-failed", step, attempt, retryable, reason })
  }

  private runStep(ctx: OrderContext, step: StepName, attempt: number): void {
    const r = ctx.request
    const send = (message: Message) => this.institution.send(this.options.hubId, r.orderId, message)
    const common = { attempt: Math.min(attempt, 0xff), flow: flowOf(r.kind), seId: r.seId }
    const registry = {
      flow: common.flow,
      seId: r.seId,
      aid: ctx.app.appAid,
      serviceProviderId: this.institution.id,
    }
    switch (step) {
      case "create-ssd":
        return void send({
          _tag: "SsdCreateRequest",
          ...common,
          ssdAid: ctx.app.ssdAid,
          serviceProviderId: this.institution.id,
        })
      case "delete-ssd":
        return void send({
          _tag: "DeleteRequest",
          ...common,
          aid: ctx.app.ssdAid,
          script: [],
          deleteRelated: true,
        })
      case "register":
        return void send({
          _tag: "RegistryUpdate",
          ...registry,
          state: r.kind === "lock" ? "locked" : "active",
        })
      case "deregister":
        return void send({ _tag: "RegistryUpdate", ...registry, state: "deleted" })
      case "deregister-old":
        return void send({ _tag: "RegistryUpdate", ...registry, seId: r.oldSeId, state: "deleted" })
      case "personalize":
        return void this.runScript(ctx, step, attempt, this.options.route, this.personalization(ctx))
      case "ota-lock":
        return void this.runScript(ctx, step, attempt, "ota", lockScript(hex(ctx.app.appAid)))
      case "delete-app":
        return void this.runScript(
          ctx,
          step,
          attempt,
          this.options.route,
          deleteAppScript(hex(ctx.app.appAid)),
        )
      case "hot-list":
      case "refund":
      case "wait":
        return void this.local(ctx, step, attempt)
    }
  }

  /** Steps inside the SP's own systems: the host hot-list, the refund, the 补卡 waiting period. */
  private local(ctx: OrderContext, step: StepName, attempt: number): void {
    const r = ctx.request
    const port = this.institution.port
    if (step === "hot-list") port.emit("card.hot-listed", { pan: r.pan, psn: r.psn, seId: r.seId })
    if (step === "refund")
      port.emit("card.closed", { pan: r.pan, psn: r.psn, seId: r.seId, refundFen: r.balanceFen })
    const delay = step === "wait" ? r.waitUs : 0
    port.after(delay, this.timer, 0, { orderId: r.orderId, input: { kind: "step-ok", step, attempt } })
  }

  private personalization(ctx: OrderContext): SsdScript {
    const r = ctx.request
    const imks = this.options.issuerKeys.get(ctx.app.spId)!
    return personalizeScript(this.institution.options.crypto, imks, {
      profile: TDES_PBOC,
      account: { pan: r.pan, psn: r.psn },
      expiryYymm: "2012",
      label: ctx.app.label,
      aid: hex(ctx.app.appAid),
      dki: 0x01,
      balanceFen: r.balanceFen,
      balanceLimitFen: 100_000,
      singleLimitFen: 20_000,
      resetThresholdFen: 0,
    })
  }

  private stillCurrent(ctx: OrderContext, step: StepName, attempt: number, exchangeId: string): boolean {
    return (
      this.orders.get(ctx.request.orderId) === ctx &&
      ctx.state.step === step &&
      ctx.state.attempt === attempt &&
      ctx.exchangeId === exchangeId
    )
  }

  /** Two rounds through the SSD (GP session split for batches), then a check of every answer. */
  private runScript(
    ctx: OrderContext,
    step: StepName,
    attempt: number,
    route: ScriptRoute,
    script: SsdScript,
  ): void {
    const r = ctx.request
    const keys = this.ssdKeys.get(`${r.seId}/${ctx.app.ssdAid}`)
    if (keys === undefined) return void this.failed(ctx, step, attempt, "no SSD keys for this SE", false)
    this.channel.forget(ctx.exchangeId)
    const exchangeId = `${this.institution.id}/${r.orderId}/${++this.exchanges}`
    ctx.exchangeId = exchangeId
    // The SSD speaks the SE's protocol: the SE issuer put its keys with that protocol's key type.
    const access = { protocol: r.seProtocol, aid: hex(ctx.app.ssdAid), kvn: SSD_KVN, keys }
    const challenge = this.options.draw(8)
    const crypto = this.institution.options.crypto
    this.exchange(route, exchangeId, r.seId, openingRound(access, challenge), (opening) => {
      if (!this.stillCurrent(ctx, step, attempt, exchangeId)) return
      if (opening === null) return this.failed(ctx, step, attempt, "SE unreachable")
      const round = commandRound(crypto, access, challenge, opening, script.commands)
      if (!round.ok) return this.failed(ctx, step, attempt, describeFailure(round.error))
      this.exchange(route, exchangeId, r.seId, round.value, (answers) => {
        if (!this.stillCurrent(ctx, step, attempt, exchangeId)) return
        if (answers === null) return this.failed(ctx, step, attempt, "SE unreachable")
        const checked = checkRound(round.value.length, answers, script.tolerated)
        if (route === "wallet") this.channel.close(exchangeId, checked.ok ? `${step}/OK` : `${step}/FAILED`)
        if (!checked.ok) return this.failed(ctx, step, attempt, describeFailure(checked.error))
        this.view.afterScript(r.seId, ctx.app, step)
        this.ok(ctx, step, attempt)
      })
    })
  }

  private exchange(
    route: ScriptRoute,
    exchangeId: string,
    seId: string,
    capdus: ReadonlyArray<Uint8Array>,
    answer: (rapdus: ReadonlyArray<Uint8Array> | null) => void,
  ): void {
    if (route === "wallet") return void this.channel.exchange(exchangeId, seId, capdus, answer)
    const ctx = this.orders.get(exchangeId.split("/")[1]!)
    if (ctx === undefined) return
    const exchange = ++this.exchanges
    this.otaAnswers.set(exchange, answer)
    this.institution.send(this.options.hubId, ctx.request.orderId, {
      _tag: "ScriptRelayRequest",
      attempt: Math.min(ctx.state.attempt, 0xff),
      flow: flowOf(ctx.request.kind),
      seId,
      aid: ctx.app.ssdAid,
      exchange,
      script: capdus.map((c) => toHex(c)),
    })
  }

  /** Envelopes from the hub: answers to this TSM's requests. */
  receive(bytes: Uint8Array): void {
    const e = this.institution.admit(bytes)
    if (e === null) return
    const m = e.payload
    if (m._tag === "ScriptRelayResponse") {
      const answer = this.otaAnswers.get(m.exchange)
      this.otaAnswers.delete(m.exchange)
      return void answer?.(m.outcome === "done" ? m.responses.map((x) => hex(x)) : null)
    }
    const ctx = this.orders.get(e.orderId)
    if (ctx === undefined) return
    const { step, attempt } = ctx.state
    if (m._tag === "ErrorReport")
      return void this.failed(ctx, step, attempt, `${m.code}: ${m.detail}`, RETRYABLE.has(m.code))
    if (m._tag === "SsdCreateResponse" && step === "create-ssd") {
      const keys = this.decryptKeys(m.keySetCryptogram)
      if (keys === null) return void this.failed(ctx, step, attempt, "SSD keys did not decrypt", false)
      this.ssdKeys.set(`${m.seId}/${m.ssdAid}`, keys)
      this.view.ssdCreated(m.seId, m.ssdAid)
      return void this.ok(ctx, step, attempt)
    }
    if (m._tag === "LifecycleResponse" && m.action === "delete" && step === "delete-ssd") {
      this.view.ssdDeleted(m.seId, m.aid)
      return void this.ok(ctx, step, attempt)
    }
    const registering = step === "register" || step === "deregister" || step === "deregister-old"
    if (m._tag === "Acknowledgement" && registering) this.ok(ctx, step, attempt)
  }

  private decryptKeys(cipherHex: string): StaticKeys | null {
    const plain = this.institution.decrypt(hex(cipherHex))
    if (plain === null || plain.length !== 48) return null
    return { enc: plain.slice(0, 16), mac: plain.slice(16, 32), dek: plain.slice(32, 48) }
  }
}

/** Refusals worth retrying: a saturated hub, an SE out of reach, a timeout downstream. */
const RETRYABLE: ReadonlySet<(typeof ERROR_CODES)[number]> = new Set(["busy", "se-unreachable", "timeout"])

const FLOWS = {
  issue: "ota-issuance",
  reissue: "reissue",
  lock: "loss-report",
  close: "closure",
  "sim-swap": "sim-swap",
} as const

const flowOf = (kind: OrderRequest["kind"]): (typeof FLOWS)[keyof typeof FLOWS] => FLOWS[kind]
