/**
 * The issuer's authorization host (DESIGN.md §1 "Money movement"): for each online request it
 * checks, in this order, duplicates (the same transaction id answers the same way again, posting
 * nothing), the card (known, not hot-listed), the ARQC (real crypto: the ICC keys derived from the
 * bank's master keys, model/host/issuer/online-issuer.ts), the ATC (a genuine cryptogram whose
 * ATC does not move forward is a cloned card, flagged and declined), the single-transaction limit
 * and the funds; an approval debits the customer in the same step. Reversals undo an approval
 * once and are idempotent. A stand-in advice (UnionPay approved for this host while it was
 * unreachable, unionpay/stand-in.ts) is posted once: matched when the host had approved the same
 * id itself, otherwise forced — the issuer bears the stand-in risk, so what the customer's
 * deposit cannot cover goes to `standin-receivable`, a claim on the cardholder. Every money change is returned as legs for the bank shell to post and
 * signal, so the host is a deterministic function of its state and the message (property tests
 * drive it without a kernel).
 */
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"
import { answerOnlineRequest } from "../../host/issuer/online-issuer.ts"
import type { FraudSignal } from "../../signals/money-signals.ts"
import {
  type AuthRequest,
  type AuthResponse,
  RESPONSE_CODE,
  type ResponseCode,
  type Reversal,
  type ReversalAck,
  type StandInAdvice,
} from "../unionpay/money-messages.ts"
import {
  AUTH_VERDICT,
  type AuthFacts,
  type AuthVerdict,
  advancesAtc,
  decideAuthorization,
  hotListsCard,
} from "./authorization-decision.ts"
import type { Ledger, LegSpec } from "./ledger.ts"

/** The ISO 8583 response code of each verdict (money-messages.ts). */
const RESPONSE_CODES: Readonly<Record<AuthVerdict, ResponseCode>> = {
  [AUTH_VERDICT.approved]: RESPONSE_CODE.approved,
  [AUTH_VERDICT.unknownCard]: RESPONSE_CODE.invalidCard,
  [AUTH_VERDICT.badCryptogram]: RESPONSE_CODE.doNotHonour,
  [AUTH_VERDICT.atcReplay]: RESPONSE_CODE.suspectedFraud,
  [AUTH_VERDICT.atcRegression]: RESPONSE_CODE.suspectedFraud,
  [AUTH_VERDICT.hotListed]: RESPONSE_CODE.lostCard,
  [AUTH_VERDICT.exceedsLimit]: RESPONSE_CODE.exceedsLimit,
  [AUTH_VERDICT.insufficientFunds]: RESPONSE_CODE.insufficientFunds,
}

export interface IssuedCard {
  readonly pan: string
  readonly account: string
  /** The highest ATC seen online; −1 before the first online transaction. */
  lastOnlineAtc: number
  hotListed: boolean
}

interface AuthRecord {
  readonly id: string
  readonly amountFen: number
  readonly response: AuthResponse
  /** The legs posted at approval (empty when declined), undone by a reversal. */
  readonly legs: ReadonlyArray<LegSpec>
  reversed: boolean
  settled: boolean
  /** A stand-in advice for this id has been booked (matched or forced). */
  advised: boolean
}

export interface AdviceDecision {
  readonly outcome: "matched" | "forced"
  readonly legs: ReadonlyArray<LegSpec>
  /** The advice was already booked: acknowledge again, post and signal nothing. */
  readonly repeated: boolean
}

export interface HostDecision {
  readonly response: AuthResponse
  readonly legs: ReadonlyArray<LegSpec>
  readonly fraud: FraudSignal | null
  readonly duplicate: boolean
}

export interface HostLimits {
  /** Single online transaction limit in fen (the bank's rule; assumption, see the scenario). */
  readonly singleLimitFen: number
}

export class AuthorizationHost {
  readonly cards = new Map<string, IssuedCard>()
  private readonly auths = new Map<string, AuthRecord>()

  constructor(
    readonly bank: string,
    private readonly crypto: Crypto,
    private readonly algorithm: AlgorithmProfile,
    private readonly imks: IssuerMasterKeys,
    private readonly ledger: Ledger,
    private readonly limits: HostLimits,
  ) {}

  enrol(pan: string, account: string): void {
    if (this.cards.has(pan)) throw new Error(`${this.bank}: PAN ${pan} enrolled twice`)
    this.cards.set(pan, { pan, account, lastOnlineAtc: -1, hotListed: false })
  }

  /** The approved, unreversed authorizations: what the issuer expects in clearing. */
  approvedOpen(): ReadonlyArray<{ readonly id: string; readonly amountFen: number }> {
    const out: Array<{ id: string; amountFen: number }> = []
    for (const r of this.auths.values())
      if (r.response.code === RESPONSE_CODE.approved && !r.reversed && !r.settled)
        out.push({ id: r.id, amountFen: r.amountFen })
    return out
  }

  /** Clearing settled this approval; reconciliation stops expecting it. */
  settle(id: string): void {
    const r = this.auths.get(id)
    if (r !== undefined) r.settled = true
  }

  wasApproved(id: string): boolean {
    const r = this.auths.get(id)
    return r !== undefined && r.response.code === RESPONSE_CODE.approved && !r.reversed
  }

  /**
   * The decision is authorization-decision.ts's, shared with the pilot's background payments; this
   * shell adds the cryptography (ARQC verification, ARPC) and the log that makes repeats idempotent.
   */
  authorize(request: AuthRequest): HostDecision {
    const seen = this.auths.get(request.id)
    if (seen !== undefined) return { response: seen.response, legs: [], fraud: null, duplicate: true }
    const card = this.cards.get(request.chip.pan)
    if (card === undefined) return this.finish(request, RESPONSE_CODE.invalidCard, null, [], null)
    const facts: AuthFacts = {
      known: true,
      hotListed: card.hotListed,
      lastOnlineAtc: card.lastOnlineAtc,
      balanceFen: this.ledger.balance(card.account),
      amountFen: request.amountFen,
      atc: request.chip.atc,
      arqcValid: true,
      singleLimitFen: this.limits.singleLimitFen,
    }
    // The ARPC carries the answer, so it is computed for the decision the ARQC would get if genuine.
    const provisional = decideAuthorization(facts)
    let chip = this.answerChip(request, provisional === AUTH_VERDICT.approved)
    facts.arqcValid = chip.issuerAuthenticationData !== null
    const verdict = decideAuthorization(facts)
    let fraud: FraudSignal | null = null
    if (hotListsCard(verdict)) {
      fraud = {
        issuer: this.bank,
        pan: card.pan,
        reason: verdict === AUTH_VERDICT.atcReplay ? "atc-replay" : "atc-regression",
        atc: facts.atc,
        lastAtc: card.lastOnlineAtc,
      }
      card.hotListed = true
      chip = this.answerChip(request, false)
    }
    if (advancesAtc(verdict)) card.lastOnlineAtc = facts.atc
    const legs = verdict === AUTH_VERDICT.approved ? this.debitLegs(card, request) : []
    return this.finish(request, RESPONSE_CODES[verdict], chip, legs, fraud)
  }

  private answerChip(request: AuthRequest, approve: boolean): NonNullable<AuthResponse["chip"]> {
    return answerOnlineRequest(this.crypto, this.algorithm, this.imks, request.chip, {
      approve,
      loadFen: approve && request.purpose === "load" ? request.amountFen : null,
    })
  }

  /** Undoes an approval once; later copies, and reversals of unknown or declined ids, do nothing. */
  reverse(reversal: Reversal): { readonly ack: ReversalAck; readonly legs: ReadonlyArray<LegSpec> } {
    const r = this.auths.get(reversal.id)
    if (r === undefined || r.reversed || r.legs.length === 0)
      return { ack: { kind: "reversal-ack", id: reversal.id, reversed: false }, legs: [] }
    r.reversed = true
    const legs = r.legs.map((l) => ({ account: l.account, deltaFen: -l.deltaFen }))
    return { ack: { kind: "reversal-ack", id: reversal.id, reversed: true }, legs }
  }

  /** Posts a stand-in advice once; a repeated advice is acknowledged with the first outcome. */
  postAdvice(advice: StandInAdvice): AdviceDecision {
    const r = this.auths.get(advice.id)
    if (r !== undefined && r.response.code === RESPONSE_CODE.approved && !r.reversed) {
      const outcome = r.response.standIn ? "forced" : "matched"
      const repeated = r.advised
      r.advised = true
      return { outcome, legs: [], repeated }
    }
    const card = this.cards.get(advice.pan)
    const coveredFen =
      card === undefined ? 0 : Math.max(0, Math.min(advice.amountFen, this.ledger.balance(card.account)))
    const legs: LegSpec[] = [{ account: "scheme-payable", deltaFen: advice.amountFen }]
    if (card !== undefined && coveredFen > 0) legs.push({ account: card.account, deltaFen: -coveredFen })
    if (coveredFen < advice.amountFen)
      legs.push({ account: "standin-receivable", deltaFen: advice.amountFen - coveredFen })
    const response: AuthResponse = {
      kind: "auth-response",
      id: advice.id,
      code: RESPONSE_CODE.approved,
      chip: null,
      standIn: true,
    }
    this.auths.set(advice.id, {
      id: advice.id,
      amountFen: advice.amountFen,
      response,
      legs,
      reversed: false,
      settled: false,
      advised: true,
    })
    return { outcome: "forced", legs, repeated: false }
  }

  /** A purchase owes the scheme; a 圈存 load moves the money into the e-cash float. */
  private debitLegs(card: IssuedCard, request: AuthRequest): ReadonlyArray<LegSpec> {
    const to = request.purpose === "load" ? "ecash-float" : "scheme-payable"
    return [
      { account: card.account, deltaFen: -request.amountFen },
      { account: to, deltaFen: request.amountFen },
    ]
  }

  private finish(
    request: AuthRequest,
    code: ResponseCode,
    chip: AuthResponse["chip"],
    legs: ReadonlyArray<LegSpec>,
    fraud: FraudSignal | null,
  ): HostDecision {
    const response: AuthResponse = { kind: "auth-response", id: request.id, code, chip, standIn: false }
    this.auths.set(request.id, {
      id: request.id,
      amountFen: request.amountFen,
      response,
      legs,
      reversed: false,
      settled: false,
      advised: false,
    })
    return { response, legs, fraud, duplicate: false }
  }
}
