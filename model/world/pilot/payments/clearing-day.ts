/**
 * One business day of interbank items, tallied per (payer, receiver) bank pair (pair-clearing.ts),
 * and the day's clearing cycle over them (issue 12 item 2). Three independent records are kept
 * while the day runs, each by the party that makes it:
 * - the issuers' hosts log their interbank approvals (`approved*`);
 * - the acquirers present online items and offline e-cash TCs (`presented*`, `presentedTc*`);
 * - the cards' TC journal (`journalTc*`): what the cards' own counters say they spent offline.
 * The cycle clears what the acquirers presented; money-audit.ts recomputes the positions from the
 * issuers' logs and the cards' journal, so a lost, doubled or altered item shows as a mismatch.
 *
 * A business day is a simulated calendar day: the cut-off is at midnight, every day including
 * weekends and holidays (UnionPay clears daily; its real cut-off is 23:00 — the twin puts it at the
 * day boundary so a cycle's items are exactly the day the report's rows sample).
 */
import {
  addNetPositions,
  type PairDiscrepancy,
  reconcilePairs,
} from "../../../parties/unionpay/pair-clearing.ts"
import { ACCOUNT, type MoneyBooks } from "./money-books.ts"

export class DayTally {
  readonly approvedCount: Float64Array
  readonly approvedFen: Float64Array
  readonly presentedCount: Float64Array
  readonly presentedFen: Float64Array
  readonly presentedTcCount: Float64Array
  readonly presentedTcFen: Float64Array
  readonly journalTcCount: Float64Array
  readonly journalTcFen: Float64Array

  constructor(readonly banks: number) {
    const n = banks * banks
    this.approvedCount = new Float64Array(n)
    this.approvedFen = new Float64Array(n)
    this.presentedCount = new Float64Array(n)
    this.presentedFen = new Float64Array(n)
    this.presentedTcCount = new Float64Array(n)
    this.presentedTcFen = new Float64Array(n)
    this.journalTcCount = new Float64Array(n)
    this.journalTcFen = new Float64Array(n)
  }

  private arrays(): Float64Array[] {
    return [
      this.approvedCount,
      this.approvedFen,
      this.presentedCount,
      this.presentedFen,
      this.presentedTcCount,
      this.presentedTcFen,
      this.journalTcCount,
      this.journalTcFen,
    ]
  }

  reset(): void {
    for (const a of this.arrays()) a.fill(0)
  }

  /** A copy (tests plant defects by clearing a day twice). */
  copyFrom(other: DayTally): void {
    const mine = this.arrays()
    const theirs = other.arrays()
    for (let i = 0; i < mine.length; i++) mine[i]!.set(theirs[i]!)
  }
}

/** What one cycle did, kept for the audit and the report. */
export interface CycleResult {
  readonly day: number
  /** Net position per bank (positive: receives). */
  readonly positions: Float64Array
  /** Each bank's reserve change by the settlement postings. */
  readonly reserveDeltaFen: Float64Array
  /** Items cleared (online + TCs). */
  readonly items: number
  readonly discrepantPairs: number
}

/**
 * The day's cycle: reconcile each pair, clear what was presented (the receiving bank credits its
 * merchant against the scheme; a TC moves the issuer's e-cash float to the scheme payable), net the
 * positions and settle them between reserves. Pure in the sense the audit needs: its only inputs
 * are the tally and the books, its only effects the postings on the books.
 */
export const runClearingCycle = (
  day: number,
  tally: DayTally,
  books: MoneyBooks,
  found: PairDiscrepancy,
): CycleResult => {
  const banks = tally.banks
  const discrepantPairs = reconcilePairs(
    tally.approvedCount,
    tally.approvedFen,
    tally.presentedCount,
    tally.presentedFen,
    found,
  )
  const payable = new Float64Array(banks)
  const receivable = new Float64Array(banks)
  let items = 0
  for (let payer = 0; payer < banks; payer++)
    for (let receiver = 0; receiver < banks; receiver++) {
      const p = payer * banks + receiver
      const onlineFen = tally.presentedFen[p]!
      const tcFen = tally.presentedTcFen[p]!
      items += tally.presentedCount[p]! + tally.presentedTcCount[p]!
      // The issuer's e-cash float pays the TCs through its scheme payable (clearing-house.ts clearTc).
      if (tcFen !== 0) books.moveLiability(payer, ACCOUNT.ecashFloat, ACCOUNT.schemePayable, tcFen)
      if (onlineFen + tcFen !== 0)
        books.growBoth(receiver, ACCOUNT.schemeReceivable, ACCOUNT.merchantDeposits, onlineFen + tcFen)
      payable[payer]! += onlineFen + tcFen
      receivable[receiver]! += onlineFen + tcFen
    }
  const positions = new Float64Array(banks)
  addNetPositions(tally.presentedFen, banks, positions)
  addNetPositions(tally.presentedTcFen, banks, positions)
  const reserveDeltaFen = new Float64Array(banks)
  for (let b = 0; b < banks; b++) {
    const before = books.balance(b, ACCOUNT.reserve)
    settle(books, b, positions[b]!, payable[b]!, receivable[b]!)
    reserveDeltaFen[b] = books.balance(b, ACCOUNT.reserve) - before
  }
  return { day, positions, reserveDeltaFen, items, discrepantPairs }
}

/** Settlement at one bank (clearing-house.ts `settle`): reserve ± net, the scheme accounts cleared. */
const settle = (books: MoneyBooks, bank: number, net: number, payable: number, receivable: number): void => {
  books.leg(bank, ACCOUNT.reserve, net)
  books.leg(bank, ACCOUNT.schemePayable, -payable)
  books.leg(bank, ACCOUNT.schemeReceivable, -receivable)
  books.postings++
}
