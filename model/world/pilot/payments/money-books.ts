/**
 * The banks' double-entry books at the pilot's scale (issue 12 item 2, rule 2): per bank, one
 * aggregate balance per account (a Float64Array row, exact in integer fen up to 2^53), and per user
 * the two balances the decisions read — the customer's deposit and the card's e-cash — in typed
 * arrays, so no object exists per user or per transaction. The accounts and their sides are
 * bank/ledger.ts's chart; every posting here is a set of legs that keeps Σ assets = Σ liabilities
 * per bank (`imbalanceFen` recomputes it; money-audit.ts checks it with the per-user recounts).
 *
 * Money a customer brings from outside the twin enters the way bank.ts's `openDeposit` books it
 * (equity → deposit): the opening deposit and the income credited to the account. The pilot's
 * population draws payment amounts without a budget (pilot-calibrations.ts: a mean ticket of
 * ≈10,000 yuan, mostly transfers), so the twin's assumption, documented here, is that an account
 * opens able to cover the largest single payment of the mix and is credited income at the user's
 * own expected spending rate; a user whose spending runs ahead of it is declined for funds.
 */

import { UserAccounts } from "./user-accounts.ts"

/** Accounts of every bank's book (bank/ledger.ts names in comments). */
export const ACCOUNT = {
  /** `reserve` (asset): the settlement account at the central bank, moved only by settlement. */
  reserve: 0,
  /** `scheme-receivable` (asset): owed by UnionPay as acquirer until settlement. */
  schemeReceivable: 1,
  /** `standin-receivable` (asset): stand-in approvals the customer's deposit did not cover. */
  standinReceivable: 2,
  /** `cust:*` (liability): the customers' deposits, Σ of the per-user balances. */
  customerDeposits: 3,
  /** `merch:*` (liability): deposits of acquired merchants, billers and payees. */
  merchantDeposits: 4,
  /** `ecash-float` (liability): e-cash on this issuer's cards and TCs not yet cleared. */
  ecashFloat: 5,
  /** `scheme-payable` (liability): owed to UnionPay as issuer until settlement. */
  schemePayable: 6,
  /** `equity` (liability). */
  equity: 7,
} as const
export type Account = (typeof ACCOUNT)[keyof typeof ACCOUNT]
export const ACCOUNTS = 8
export const ACCOUNT_NAMES = [
  "reserve",
  "scheme-receivable",
  "standin-receivable",
  "customer-deposits",
  "merchant-deposits",
  "ecash-float",
  "scheme-payable",
  "equity",
] as const
const IS_ASSET = [true, true, true, false, false, false, false, false] as const

/** Each bank's reserve at the central bank at time zero (assumption; only its changes matter). */
export const RESERVE_OPENING_FEN = 1_000_000_000_000

export class MoneyBooks {
  /** Balance of bank b's account a at [b × ACCOUNTS + a]. */
  readonly balances: Float64Array
  /** Each user's deposit, e-cash, issuing bank (index into `bankIds`) and host state. */
  readonly accounts: UserAccounts
  postings = 0

  constructor(
    readonly bankIds: ReadonlyArray<string>,
    users: number,
  ) {
    if (bankIds.length < 1 || bankIds.length > 255) throw new RangeError(`banks: ${bankIds.length}`)
    this.balances = new Float64Array(bankIds.length * ACCOUNTS)
    this.accounts = new UserAccounts(users)
    for (let b = 0; b < bankIds.length; b++) {
      this.leg(b, ACCOUNT.reserve, RESERVE_OPENING_FEN)
      this.leg(b, ACCOUNT.equity, RESERVE_OPENING_FEN)
    }
  }

  get banks(): number {
    return this.bankIds.length
  }

  balance(bank: number, account: Account): number {
    return this.balances[bank * ACCOUNTS + account]!
  }

  /** One leg. Postings below pair legs; a lone leg is how a test plants a lost one. */
  leg(bank: number, account: Account, deltaFen: number): void {
    this.balances[bank * ACCOUNTS + account]! += deltaFen
  }

  /** Two liability legs of one posting: `fromAccount` −fen, `toAccount` +fen at one bank. */
  moveLiability(bank: number, fromAccount: Account, toAccount: Account, fen: number): void {
    const row = bank * ACCOUNTS
    this.balances[row + fromAccount]! -= fen
    this.balances[row + toAccount]! += fen
    this.postings++
  }

  /** An asset and a liability growing together (a claim booked against what it funds). */
  growBoth(bank: number, asset: Account, liability: Account, fen: number): void {
    const row = bank * ACCOUNTS
    this.balances[row + asset]! += fen
    this.balances[row + liability]! += fen
    this.postings++
  }

  /** Money from outside the twin into the user's deposit (opening deposit, income): equity → deposit. */
  creditCustomer(user: number, fen: number): void {
    this.moveLiability(this.accounts.bankOf(user), ACCOUNT.equity, ACCOUNT.customerDeposits, fen)
    this.accounts.addDeposit(user, fen)
  }

  /** Debits the user's deposit into `toAccount` at the issuer (merchant, scheme payable, e-cash float). */
  debitCustomer(user: number, toAccount: Account, fen: number): void {
    this.moveLiability(this.accounts.bankOf(user), ACCOUNT.customerDeposits, toAccount, fen)
    this.accounts.addDeposit(user, -fen)
  }

  /** Σ assets − Σ liabilities of one bank: zero after every posting (the double-entry identity). */
  imbalanceFen(bank: number): number {
    let net = 0
    for (let a = 0; a < ACCOUNTS; a++) {
      const v = this.balances[bank * ACCOUNTS + a]!
      net += IS_ASSET[a] ? v : -v
    }
    return net
  }
}
