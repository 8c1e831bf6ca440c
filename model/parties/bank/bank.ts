/**
 * One bank as a party (DESIGN.md §1): its core ledger, its authorization host, its CMS's HSM
 * capacity (cms-hsm.ts: when each ordered card's personalization data is ready), and the shell that
 * posts the host's legs and emits every posting as a `money.posting` signal, so the money audit
 * can recompute the ledger from signals alone. Loan applications and escrow live in
 * online-banking.ts; transfers, fund purchases and balance inquiries are single postings the
 * money scenario makes (model/world/money/money-run.ts); all go through `post`.
 */

import { ok, type Result } from "../../bytes/result.ts"
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"
import { MONEY_SIGNAL, type PostingLeg, type StandInSignal } from "../../signals/money-signals.ts"
import type { StandInAdvice, SwitchMessage } from "../unionpay/money-messages.ts"
import { AuthorizationHost, type HostLimits } from "./authorization-host.ts"
import type { BankDeclaration } from "./bank-roster.ts"
import { CmsHsm, type HsmPool } from "./cms-hsm.ts"
import { Ledger, type LegSpec, type PostingRefusal } from "./ledger.ts"
import { OnlineBanking } from "./online-banking.ts"
import { type TcEvidence, verifyTc } from "./tc-verifier.ts"

/** What a bank needs from the engine: the clock and the signal bus (a slice of sim's Port). */
export interface MoneyPort {
  now(): number
  emit(signal: string, payload: unknown): void
}

export interface BankOptions {
  readonly declaration: BankDeclaration
  readonly crypto: Crypto
  readonly algorithm: AlgorithmProfile
  readonly imks: IssuerMasterKeys
  readonly limits: HostLimits
  /** The CMS's HSMs (a ServerPool from the composition root). */
  readonly cmsHsmPool: HsmPool
}

/** Accounts every bank opens; `null` floor = a position that may take either sign. */
const BOOK: ReadonlyArray<readonly [string, "asset" | "liability", number | null]> = [
  ["reserve", "asset", null],
  ["scheme-receivable", "asset", null],
  ["loans", "asset", 0],
  ["standin-receivable", "asset", 0],
  ["scheme-payable", "liability", null],
  ["ecash-float", "liability", null],
  ["suspense", "liability", null],
  ["escrow", "liability", 0],
  ["fund-custody", "liability", 0],
  ["equity", "liability", null],
]

export class Bank {
  readonly ledger: Ledger
  readonly host: AuthorizationHost
  readonly cmsHsm: CmsHsm
  readonly online: OnlineBanking
  private entries = 0

  constructor(
    readonly port: MoneyPort,
    readonly options: BankOptions,
  ) {
    const d = options.declaration
    this.ledger = new Ledger(d.id)
    for (const [name, side, floor] of BOOK) this.ledger.open(name, side, floor)
    this.host = new AuthorizationHost(
      d.id,
      options.crypto,
      options.algorithm,
      options.imks,
      this.ledger,
      options.limits,
    )
    this.cmsHsm = new CmsHsm(d.id, options.cmsHsmPool)
    this.online = new OnlineBanking(this)
    this.post("open", [
      { account: "reserve", deltaFen: d.reserveFen },
      { account: "equity", deltaFen: d.reserveFen },
    ])
  }

  get id(): string {
    return this.options.declaration.id
  }

  /**
   * Opens a deposit account funded from the bank's equity (the customer's opening deposit is
   * outside the twin; it enters as a posting so the audit sees it like any other).
   */
  openDeposit(account: string, openingFen: number): void {
    this.ledger.open(account, "liability", 0)
    if (openingFen > 0)
      this.post(`deposit:${account}`, [
        { account: "equity", deltaFen: -openingFen },
        { account, deltaFen: openingFen },
      ])
  }

  /** Posts and signals; a refusal (a floor) is returned as a value and nothing is signalled. */
  post(entry: string, legs: ReadonlyArray<LegSpec>): Result<ReadonlyArray<PostingLeg>, PostingRefusal> {
    const posted = this.ledger.post(legs)
    if (!posted.ok) return posted
    this.entries++
    this.port.emit(MONEY_SIGNAL.posting, { bank: this.id, entry, legs: posted.value })
    return ok(posted.value)
  }

  /**
   * The host's side of the switch: answers an authorization request or a reversal. The answer is
   * returned for the caller to send back over the issuer → UnionPay link.
   */
  onSwitchMessage(message: SwitchMessage): SwitchMessage | null {
    if (message.kind === "auth-request") {
      const decision = this.host.authorize(message)
      if (decision.fraud !== null) this.port.emit(MONEY_SIGNAL.fraud, decision.fraud)
      if (decision.duplicate)
        this.port.emit(MONEY_SIGNAL.discrepancy, {
          kind: "duplicate-message",
          ref: message.id,
          bank: this.id,
          outcome: "answered-from-log",
        })
      if (decision.legs.length > 0) this.mustPost(`auth:${message.id}`, decision.legs)
      return decision.response
    }
    if (message.kind === "reversal") {
      const undone = this.host.reverse(message)
      if (undone.legs.length > 0) this.mustPost(`reversal:${message.id}`, undone.legs)
      return undone.ack
    }
    if (message.kind === "advice") return this.onAdvice(message)
    return null
  }

  /** Books a stand-in advice once (authorization-host.ts) and acknowledges every copy. */
  private onAdvice(advice: StandInAdvice): SwitchMessage {
    const decision = this.host.postAdvice(advice)
    if (!decision.repeated) {
      if (decision.legs.length > 0) this.mustPost(`advice:${advice.id}`, decision.legs)
      const s: StandInSignal = {
        id: advice.id,
        issuer: this.id,
        pan: advice.pan,
        amountFen: advice.amountFen,
        state: "posted",
        outcome: decision.outcome,
      }
      this.port.emit(MONEY_SIGNAL.standIn, s)
    }
    return { kind: "advice-ack", id: advice.id, outcome: decision.outcome }
  }

  /** Whether an offline TC presented in clearing is the card's genuine cryptogram. */
  verifyTc(evidence: TcEvidence): boolean {
    const o = this.options
    return this.host.cards.has(evidence.pan) && verifyTc(o.crypto, o.algorithm, o.imks, evidence)
  }

  /** Posts legs the bank's own rules already checked; a refusal here is a programmer error. */
  mustPost(entry: string, legs: ReadonlyArray<LegSpec>): void {
    const posted = this.post(entry, legs)
    if (!posted.ok) throw new Error(`${this.id}: ${entry} refused (${posted.error.account})`)
  }

  get postingCount(): number {
    return this.entries
  }
}
