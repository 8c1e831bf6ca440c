/**
 * The money auditor (issue 12 item 7), TigerBeetle's way: it recomputes what must hold from
 * records other than the ones the checked code used, never from that code's own sums.
 * - `clearing-positions-tied` (each cycle): the net position of every bank recomputed from the
 *   issuers' approval logs and the cards' TC journal equals the position the clearing computed from
 *   the acquirers' presentments, and equals the reserve change its settlement posted;
 * - `clearing-once-per-business-day` (end): every simulated day has exactly one cycle;
 * - `approvals-cleared-once` (end): the items cleared over all cycles equal the interbank
 *   approvals and offline TCs counted when they were made;
 * - `money-double-entry` (end, per bank): Σ assets = Σ liabilities;
 * - `money-deposits-recount` / `money-ecash-recount` (end, per bank): the customer-deposit and
 *   e-cash-float accounts equal the sum of the per-user balances of that bank's customers;
 * - `money-conserved-total` (end): the reserves of all banks still sum to what they opened with
 *   (settlement only moves central-bank money between banks);
 * - `scheme-accounts-settled` (end, per bank): after the last cut-off nothing is owed to or by
 *   the scheme.
 */
import type { CycleResult, DayTally } from "./clearing-day.ts"
import { ACCOUNT, type MoneyBooks, RESERVE_OPENING_FEN } from "./money-books.ts"

export interface InvariantRow {
  checks: number
  violations: number
}

export const MONEY_INVARIANTS = [
  "clearing-positions-tied",
  "clearing-once-per-business-day",
  "approvals-cleared-once",
  "money-double-entry",
  "money-deposits-recount",
  "money-ecash-recount",
  "money-conserved-total",
  "scheme-accounts-settled",
] as const
export type MoneyInvariant = (typeof MONEY_INVARIANTS)[number]

/** What the end-of-run checks read besides the books. */
export interface MoneyEnd {
  readonly books: MoneyBooks
  /** Cycles per day, index = day (1 … days). */
  readonly cyclesByDay: ReadonlyArray<number>
  readonly days: number
  readonly itemsToClear: number
}

export class MoneyAudit {
  readonly rows = new Map<MoneyInvariant, InvariantRow>(
    MONEY_INVARIANTS.map((n) => [n, { checks: 0, violations: 0 }]),
  )
  readonly violations: string[] = []
  itemsCleared = 0

  private check(name: MoneyInvariant, ok: boolean, text: () => string): void {
    const row = this.rows.get(name)!
    row.checks++
    if (ok) return
    row.violations++
    if (this.violations.length < 100) this.violations.push(`${name}: ${text()}`)
  }

  /** One cycle against the records it did not read: the issuers' logs and the cards' journal. */
  checkCycle(r: CycleResult, t: DayTally): void {
    const banks = t.banks
    this.itemsCleared += r.items
    for (let b = 0; b < banks; b++) {
      let expected = 0
      for (let other = 0; other < banks; other++) {
        expected += t.approvedFen[other * banks + b]! + t.journalTcFen[other * banks + b]!
        expected -= t.approvedFen[b * banks + other]! + t.journalTcFen[b * banks + other]!
      }
      const got = r.positions[b]!
      const reserve = r.reserveDeltaFen[b]!
      this.check(
        "clearing-positions-tied",
        got === expected && reserve === expected,
        () =>
          `day ${r.day} bank #${b}: position ${got}, settled ${reserve}, approvals and TCs give ${expected} fen`,
      )
    }
  }

  /** The end of the run, after the last cut-off. */
  checkEnd(e: MoneyEnd): void {
    for (let day = 1; day <= e.days; day++) {
      const n = e.cyclesByDay[day] ?? 0
      this.check("clearing-once-per-business-day", n === 1, () => `day ${day} cleared ${n} times`)
    }
    this.check(
      "approvals-cleared-once",
      this.itemsCleared === e.itemsToClear,
      () => `${this.itemsCleared} items cleared for ${e.itemsToClear} approvals and TCs`,
    )
    this.checkBooks(e.books)
  }

  private checkBooks(books: MoneyBooks): void {
    const banks = books.banks
    const deposits = new Float64Array(banks)
    const ecash = new Float64Array(banks)
    const a = books.accounts
    for (let u = 0; u < a.users; u++) {
      deposits[a.bankOf(u)]! += a.depositFen(u)
      ecash[a.bankOf(u)]! += a.ecashFen(u)
    }
    let reserves = 0
    for (let b = 0; b < banks; b++) {
      const id = books.bankIds[b]
      const imbalance = books.imbalanceFen(b)
      this.check(
        "money-double-entry",
        imbalance === 0,
        () => `${id}: assets − liabilities = ${imbalance} fen`,
      )
      const dep = books.balance(b, ACCOUNT.customerDeposits)
      this.check(
        "money-deposits-recount",
        dep === deposits[b],
        () => `${id}: deposits ${dep} ≠ Σ customers ${deposits[b]} fen`,
      )
      const fl = books.balance(b, ACCOUNT.ecashFloat)
      this.check(
        "money-ecash-recount",
        fl === ecash[b],
        () => `${id}: e-cash float ${fl} ≠ Σ cards ${ecash[b]} fen`,
      )
      const pay = books.balance(b, ACCOUNT.schemePayable)
      const rec = books.balance(b, ACCOUNT.schemeReceivable)
      this.check(
        "scheme-accounts-settled",
        pay === 0 && rec === 0,
        () => `${id}: scheme payable ${pay}, receivable ${rec} fen after the cut-off`,
      )
      reserves += books.balance(b, ACCOUNT.reserve)
    }
    const opening = banks * RESERVE_OPENING_FEN
    this.check(
      "money-conserved-total",
      reserves === opening,
      () => `reserves ${reserves} ≠ ${opening} fen opened`,
    )
  }
}
