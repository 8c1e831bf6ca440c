/**
 * A bank's online-banking desk (DESIGN.md §1 "self-service finance"): loan applications through
 * the credit decision (credit-decision.ts) and escrow (交易担保) with a real confirmation delay.
 *
 * Escrow, the twin's profile "TWIN-ESCROW-1" (the banks' escrow terms are not public; this follows
 * the common 交易担保 shape): the buyer's money moves from the deposit to the bank's `escrow`
 * account when the order is placed (held); when the buyer confirms receipt, days later, it goes to
 * the seller (at this bank at once, at another bank as a transfer through clearing); when the buyer
 * disputes instead, it goes back to the buyer (refunded). Each step is a posting and a
 * `money.escrow` signal, so the audit can check that the escrow account always equals the open
 * holds and that each hold closes once. The delay and the dispute share are the caller's draws.
 */

import type { Stream } from "../../../sim/kernel/port.ts"
import { type EscrowSignal, MONEY_SIGNAL } from "../../signals/money-signals.ts"
import type { ClearingRecord } from "../unionpay/clearing-file.ts"
import type { Bank } from "./bank.ts"
import { type CreditPolicy, decideLoan, type LoanDecision, TWIN_CREDIT_POLICY } from "./credit-decision.ts"

export interface EscrowOrder {
  readonly id: string
  readonly buyerAccount: string
  readonly amountFen: number
  readonly sellerBank: string
  readonly sellerAccount: string
}

export class OnlineBanking {
  /** Outstanding loan principal per customer account (the credit decision's existing debt). */
  private readonly loans = new Map<string, number>()
  private readonly holds = new Map<string, EscrowOrder>()

  constructor(
    private readonly bank: Bank,
    private readonly policy: CreditPolicy = TWIN_CREDIT_POLICY,
  ) {}

  /** Decides and, when approved, books the loan: the bank's asset and the deposit grow together. */
  applyForLoan(id: string, account: string, amountFen: number, bureau: Stream): LoanDecision {
    const outstandingFen = this.loans.get(account) ?? 0
    const depositFen = this.bank.ledger.balance(account)
    const decision = decideLoan(this.policy, { amountFen, depositFen, outstandingFen }, bureau)
    if (!decision.approved) return decision
    this.bank.mustPost(`loan:${id}`, [
      { account: "loans", deltaFen: amountFen },
      { account, deltaFen: amountFen },
    ])
    this.loans.set(account, outstandingFen + amountFen)
    return decision
  }

  /** Places the buyer's money in escrow; false (nothing posted) when the deposit cannot cover it. */
  hold(order: EscrowOrder): boolean {
    if (this.holds.has(order.id)) throw new Error(`${this.bank.id}: escrow ${order.id} held twice`)
    const held = this.bank.post(`escrow-hold:${order.id}`, [
      { account: order.buyerAccount, deltaFen: -order.amountFen },
      { account: "escrow", deltaFen: order.amountFen },
    ])
    if (!held.ok) return false
    this.holds.set(order.id, order)
    this.signal(order, "held")
    return true
  }

  /**
   * Closes a hold: "confirmed" pays the seller, "disputed" refunds the buyer. A seller at another
   * bank is paid through clearing: the returned transfer record is for the caller to present.
   */
  close(id: string, outcome: "confirmed" | "disputed"): ClearingRecord | null {
    const order = this.holds.get(id)
    if (order === undefined) throw new Error(`${this.bank.id}: no open escrow ${id}`)
    this.holds.delete(id)
    const own = outcome === "disputed" || order.sellerBank === this.bank.id
    const to = outcome === "disputed" ? order.buyerAccount : own ? order.sellerAccount : "scheme-payable"
    this.bank.mustPost(`escrow-${outcome === "disputed" ? "refund" : "release"}:${id}`, [
      { account: "escrow", deltaFen: -order.amountFen },
      { account: to, deltaFen: order.amountFen },
    ])
    this.signal(order, outcome === "disputed" ? "refunded" : "released")
    if (own) return null
    return {
      id: `${id}-E`,
      kind: "transfer",
      acquirer: order.sellerBank,
      issuer: this.bank.id,
      amountFen: order.amountFen,
      payee: order.sellerAccount,
    }
  }

  get openHolds(): number {
    return this.holds.size
  }

  private signal(order: EscrowOrder, state: EscrowSignal["state"]): void {
    const s: EscrowSignal = { id: order.id, bank: this.bank.id, amountFen: order.amountFen, state }
    this.bank.port.emit(MONEY_SIGNAL.escrow, s)
  }
}
