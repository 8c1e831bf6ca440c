/**
 * A bank's core ledger: double entry in integer fen (DESIGN.md §4). Every account sits on one
 * side of the balance sheet; a posting is a list of signed deltas that keeps Σ asset deltas equal
 * to Σ liability deltas, so assets = liabilities holds after every posting by construction. An
 * account may carry a floor (customer deposits never go below zero); a posting that would cross
 * a floor is refused as a value and changes nothing.
 *
 * Accounts the twin's banks open (names are the twin's, no bank's real chart of accounts):
 * - `reserve` (asset): the bank's settlement account at the central bank, moved only by settlement;
 * - `cust:<id>`, `merch:<id>` (liabilities): deposits of customers and of acquired merchants;
 * - `ecash-float` (liability): e-cash loaded onto this issuer's cards and not yet presented;
 * - `scheme-payable` (liability) / `scheme-receivable` (asset): what the bank owes UnionPay as
 *   issuer and is owed as acquirer until settlement;
 * - `suspense` (liability): money held while a 差错 case is open; `loans` (asset); `escrow`,
 *   `fund-custody` (liabilities).
 */
import { err, ok, type Result } from "../../bytes/result.ts"
import type { AccountSide, PostingLeg } from "../../signals/money-signals.ts"

interface Account {
  readonly side: AccountSide
  /** Lowest allowed balance, or null for none (positions may go either way). */
  readonly floorFen: number | null
  balanceFen: number
}

export type PostingRefusal = { readonly reason: "insufficient-funds"; readonly account: string }

export interface LegSpec {
  readonly account: string
  readonly deltaFen: number
}

export class Ledger {
  private readonly accounts = new Map<string, Account>()

  constructor(readonly bank: string) {}

  open(account: string, side: AccountSide, floorFen: number | null = 0, balanceFen = 0): void {
    if (this.accounts.has(account)) throw new Error(`${this.bank}: account ${account} exists`)
    if (!Number.isSafeInteger(balanceFen)) throw new RangeError(`opening balance ${balanceFen}`)
    this.accounts.set(account, { side, floorFen, balanceFen })
  }

  has(account: string): boolean {
    return this.accounts.has(account)
  }

  balance(account: string): number {
    return this.get(account).balanceFen
  }

  side(account: string): AccountSide {
    return this.get(account).side
  }

  /** Every account with its side and balance, in name order (for reports and the pair check). */
  snapshot(): ReadonlyArray<{ account: string; side: AccountSide; balanceFen: number }> {
    return [...this.accounts]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([account, a]) => ({ account, side: a.side, balanceFen: a.balanceFen }))
  }

  /**
   * Applies the legs atomically. An unbalanced posting or an unknown account is a programmer
   * error (the bank's own rules built the legs); a floor crossing is an operating outcome.
   */
  post(legs: ReadonlyArray<LegSpec>): Result<ReadonlyArray<PostingLeg>, PostingRefusal> {
    let net = 0
    const resolved: PostingLeg[] = []
    for (const leg of legs) {
      if (!Number.isSafeInteger(leg.deltaFen)) throw new RangeError(`leg ${leg.account}: ${leg.deltaFen}`)
      const a = this.get(leg.account)
      net += a.side === "asset" ? leg.deltaFen : -leg.deltaFen
      resolved.push({ account: leg.account, side: a.side, deltaFen: leg.deltaFen })
    }
    if (net !== 0) throw new Error(`${this.bank}: unbalanced posting (net ${net} fen)`)
    const after = new Map<string, number>()
    for (const leg of legs) {
      const a = this.get(leg.account)
      const next = (after.get(leg.account) ?? a.balanceFen) + leg.deltaFen
      if (a.floorFen !== null && next < a.floorFen && leg.deltaFen < 0)
        return err({ reason: "insufficient-funds", account: leg.account })
      after.set(leg.account, next)
    }
    for (const [account, balanceFen] of after) this.get(account).balanceFen = balanceFen
    return ok(resolved)
  }

  /** Σ assets − Σ liabilities; zero after every posting (the double-entry identity). */
  imbalanceFen(): number {
    let net = 0
    for (const a of this.accounts.values()) net += a.side === "asset" ? a.balanceFen : -a.balanceFen
    return net
  }

  private get(account: string): Account {
    const a = this.accounts.get(account)
    if (a === undefined) throw new Error(`${this.bank}: no account ${account}`)
    return a
  }
}
