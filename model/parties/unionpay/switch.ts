/**
 * UnionPay's switch (DESIGN.md §1): routes an acquirer's authorization request to the issuer
 * named by the PAN's BIN (an unknown BIN is declined 14), answers the acquirer, and owns the
 * timeout rule. When the issuer does not answer within `issuerTimeoutUs` (host slow or down,
 * message lost) or cannot be reached at all, the switch stands in for it within the stand-in
 * limits (stand-in.ts, "TWIN-STIP-1"): it approves without verifying the ARQC, records the risk,
 * and queues an advice that it resends until the issuer posts it. Above the limits it answers the
 * acquirer 91 (issuer unavailable) and, after a timeout, sends the issuer a reversal, repeated
 * every `reversalRetryUs` until acknowledged, so an approval the issuer made after all is undone
 * (the 冲正 rule). A response arriving after the timeout is ignored for the same reason.
 * Duplicated requests (same id) are answered from the log and never forwarded twice. Every
 * approved, unreversed transaction is kept for the next clearing cycle; every authorization's
 * life is emitted as `money.auth` so the audit can check that each one ends settled, reversed or
 * disputed.
 */
import type { EventHandle, Link, Port } from "../../../sim/kernel/port.ts"
import { type AuthSignal, MONEY_SIGNAL, type StandInSignal } from "../../signals/money-signals.ts"
import {
  type AuthRequest,
  type AuthResponse,
  RESPONSE_CODE,
  type Reversal,
  type StandInAdvice,
  type SwitchMessage,
} from "./money-messages.ts"
import { StandInBook, type StandInLimits } from "./stand-in.ts"

export interface SwitchOptions {
  /** How long the switch waits for an issuer (assumption: 30 s; the ISO 8583 practice range). */
  readonly issuerTimeoutUs: number
  readonly reversalRetryUs: number
  /** Reversal attempts before the case is left to reconciliation. */
  readonly reversalAttemptsMax: number
  /** BIN (6 digits) → issuer id: the routing table. */
  readonly issuerOfBin: ReadonlyMap<string, string>
  /** Stand-in limits, or null for a switch that never stands in (it answers 91). */
  readonly standIn: StandInLimits | null
}

type TxnState = "pending" | "approved" | "declined" | "reversing" | "reversed" | "cleared"

interface Txn {
  readonly request: AuthRequest
  /** The issuer the BIN names (the routing decision), or "" for an unknown BIN. */
  readonly issuer: string
  state: TxnState
  timer: EventHandle | null
  attempts: number
  answer: AuthResponse | null
  /** "pending" from a stand-in approval until the issuer acknowledges the advice. */
  advice: "none" | "pending" | "posted"
}

export class UnionPaySwitch {
  readonly toIssuer = new Map<string, Link<SwitchMessage>>()
  readonly toAcquirer = new Map<string, Link<SwitchMessage>>()
  private readonly txns = new Map<string, Txn>()
  private readonly timeout
  private readonly retry
  private readonly adviceRetry
  private readonly book: StandInBook | null

  constructor(
    private readonly port: Port,
    private readonly options: SwitchOptions,
  ) {
    this.timeout = port.register<Txn>("unionpay.timeout", (_a0, t) => this.onTimeout(t))
    this.retry = port.register<Txn>("unionpay.reversal-retry", (_a0, t) => this.sendReversal(t))
    this.adviceRetry = port.register<Txn>("unionpay.advice-retry", (_a0, t) => this.sendAdvice(t))
    this.book = options.standIn === null ? null : new StandInBook(options.standIn)
  }

  fromAcquirer(message: SwitchMessage): void {
    if (message.kind === "auth-request") this.onRequest(message)
    else if (message.kind === "reversal") this.onAcquirerReversal(message)
  }

  fromIssuer(message: SwitchMessage): void {
    const t = this.txns.get(message.id)
    if (t === undefined) return
    if (message.kind === "advice-ack") {
      if (t.advice !== "pending") return
      if (t.timer !== null) this.port.cancel(t.timer)
      t.timer = null
      t.advice = "posted"
      return
    }
    if (message.kind === "reversal-ack") {
      if (t.state !== "reversing") return
      if (t.timer !== null) this.port.cancel(t.timer)
      t.timer = null
      t.state = "reversed"
      this.signal(t, "reversed", message.reversed ? "issuer-reversed" : "nothing-to-reverse")
      return
    }
    if (message.kind !== "auth-response" || t.state !== "pending") return
    if (t.timer !== null) this.port.cancel(t.timer)
    t.timer = null
    t.answer = message
    t.state = message.code === RESPONSE_CODE.approved ? "approved" : "declined"
    this.signal(t, t.state === "approved" ? "approved" : "declined", message.code)
    this.answer(t, message)
  }

  /**
   * Approved, unreversed transactions not yet cleared; marks them cleared. Called at the cut-off,
   * which also starts a new stand-in day.
   */
  takeForClearing(): ReadonlyArray<AuthRequest> {
    this.book?.newDay()
    const out: AuthRequest[] = []
    for (const t of this.txns.values()) {
      if (t.state !== "approved") continue
      t.state = "cleared"
      out.push(t.request)
    }
    return out
  }

  /** Whether `id` is a stand-in approval whose advice the issuer has not yet acknowledged. */
  adviceOutstanding(id: string): boolean {
    return this.txns.get(id)?.advice === "pending"
  }

  /** Whether the switch reversed this id (the reference reconciliation compares against). */
  stateOf(id: string): TxnState | undefined {
    return this.txns.get(id)?.state
  }

  /**
   * At the cut-off, reversals still unacknowledged after every attempt are closed: the issuer
   * either reversed them (only the ack was lost) or, still holding the approval, reports it as
   * `missing-in-clearing` and reverses it in the same cycle.
   */
  closeStaleReversals(): void {
    for (const t of this.txns.values()) if (t.state === "reversing") this.closeByReconciliation(t.request.id)
  }

  /** Reconciliation reversed at the issuer what the switch's reversals could not reach. */
  closeByReconciliation(id: string): void {
    const t = this.txns.get(id)
    if (t === undefined || t.state === "reversed") return
    if (t.timer !== null) this.port.cancel(t.timer)
    t.timer = null
    t.state = "reversed"
    this.signal(t, "reversed", "reconciliation")
  }

  private onRequest(request: AuthRequest): void {
    const seen = this.txns.get(request.id)
    if (seen !== undefined) {
      if (seen.answer !== null) this.answer(seen, seen.answer)
      return
    }
    const issuer = this.options.issuerOfBin.get(request.chip.pan.slice(0, 6)) ?? ""
    const t: Txn = {
      request,
      issuer,
      state: "pending",
      timer: null,
      attempts: 0,
      answer: null,
      advice: "none",
    }
    this.txns.set(request.id, t)
    this.signal(t, "opened")
    if (issuer === "") {
      this.decline(t, RESPONSE_CODE.invalidCard)
      return
    }
    const link = this.toIssuer.get(issuer)
    const sent = link === undefined ? "out" : this.port.send(link, request)
    if (sent !== "sent" && sent !== "lost") {
      // The issuer is unreachable now: nothing reached it, so nothing needs reversing.
      if (!this.standIn(t)) this.decline(t, RESPONSE_CODE.issuerUnavailable)
      return
    }
    t.timer = this.port.after(this.options.issuerTimeoutUs, this.timeout, 0, t)
  }

  private onTimeout(t: Txn): void {
    t.timer = null
    if (t.state !== "pending") return
    if (this.standIn(t)) return
    this.answer(t, this.response(t, RESPONSE_CODE.issuerUnavailable))
    t.state = "reversing"
    this.sendReversal(t)
  }

  /**
   * Approves for the issuer when the stand-in limits allow it (stand-in.ts); the approval is
   * money in flight until the issuer acknowledges the advice. False when the limits refuse.
   */
  private standIn(t: Txn): boolean {
    const r = t.request
    if (this.book === null || r.purpose !== "purchase" || !this.book.take(r.chip.pan, r.amountFen))
      return false
    const response: AuthResponse = {
      kind: "auth-response",
      id: r.id,
      code: RESPONSE_CODE.approved,
      chip: null,
      standIn: true,
    }
    t.state = "approved"
    t.answer = response
    t.advice = "pending"
    this.signal(t, "approved", "stand-in")
    const s: StandInSignal = {
      id: r.id,
      issuer: t.issuer,
      pan: r.chip.pan,
      amountFen: r.amountFen,
      state: "approved",
      risk: "arqc-unverified",
    }
    this.port.emit(MONEY_SIGNAL.standIn, s)
    this.answer(t, response)
    this.sendAdvice(t)
    return true
  }

  /** Store and forward: resends the advice until acknowledged, within the attempts bound. */
  private sendAdvice(t: Txn): void {
    t.timer = null
    if (t.advice !== "pending" || this.options.standIn === null) return
    if (t.attempts >= this.options.standIn.adviceAttemptsMax) return
    t.attempts++
    const link = this.toIssuer.get(t.issuer)
    const r = t.request
    const advice: StandInAdvice = { kind: "advice", id: r.id, pan: r.chip.pan, amountFen: r.amountFen }
    if (link !== undefined) this.port.send(link, advice)
    t.timer = this.port.after(this.options.standIn.adviceRetryUs, this.adviceRetry, 0, t)
  }

  /** The acquirer gave up (its own timeout): reverse whatever the switch did for it. */
  private onAcquirerReversal(reversal: Reversal): void {
    const t = this.txns.get(reversal.id)
    // A stand-in approval stands: its advice keeps going, and a record the acquirer then does not
    // present is reversed by the issuer's reconciliation (`missing-in-clearing`).
    if (t === undefined || t.advice !== "none") return
    if (t.state === "pending" || t.state === "approved") {
      if (t.timer !== null) this.port.cancel(t.timer)
      t.state = "reversing"
      this.sendReversal(t)
    } else if (t.state === "declined") {
      t.state = "reversed"
      this.signal(t, "reversed", "declined-before")
    }
  }

  private sendReversal(t: Txn): void {
    t.timer = null
    if (t.state !== "reversing") return
    if (t.attempts >= this.options.reversalAttemptsMax) return
    t.attempts++
    const link = this.toIssuer.get(t.issuer)
    const reversal: Reversal = {
      kind: "reversal",
      id: t.request.id,
      amountFen: t.request.amountFen,
      reason: "switch-timeout",
    }
    if (link !== undefined) this.port.send(link, reversal)
    t.timer = this.port.after(this.options.reversalRetryUs, this.retry, 0, t)
  }

  private decline(t: Txn, code: AuthResponse["code"]): void {
    t.state = "declined"
    const r = this.response(t, code)
    t.answer = r
    this.signal(t, "declined", code)
    this.answer(t, r)
  }

  private response(t: Txn, code: AuthResponse["code"]): AuthResponse {
    return { kind: "auth-response", id: t.request.id, code, chip: null, standIn: false }
  }

  private answer(t: Txn, response: AuthResponse): void {
    const link = this.toAcquirer.get(t.request.acquirer)
    if (link !== undefined) this.port.send(link, response)
  }

  private signal(t: Txn, state: AuthSignal["state"], reason?: string): void {
    const r = t.request
    const payload: AuthSignal = {
      id: r.id,
      issuer: t.issuer === "" ? r.issuer : t.issuer,
      acquirer: r.acquirer,
      amountFen: r.amountFen,
      state,
      ...(reason === undefined ? {} : { reason }),
    }
    this.port.emit(MONEY_SIGNAL.auth, payload)
  }
}
