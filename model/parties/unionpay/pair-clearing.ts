/**
 * UnionPay's daily clearing over aggregates (issue 12 item 2, the pilot's scale): the day's items
 * are tallied per (payer bank, receiving bank) pair — count and fen — instead of one record per
 * transaction, and these pure functions do what clearing-house.ts and reconciliation.ts do per
 * record: compare the issuer's approvals with the acquirers' presentments (the 差错 kinds
 * `missing-in-clearing` and `missing-at-issuer`, reconciliation.ts), and net the settled amounts
 * into one position per bank (`netPositions`). Pair p = payer × banks + receiver; a bank that
 * both pays and receives on one pair (on-us offline TCs) nets to zero there.
 */

export const pairOf = (payer: number, receiver: number, banks: number): number => payer * banks + receiver

/** What reconciling one pair found: items (and fen) on one side only. */
export interface PairDiscrepancy {
  /** The issuer approved more than the acquirers presented (reversed by the issuer, ERROR_OUTCOME). */
  missingInClearing: number
  /** The acquirers presented more than the issuer approved (rejected from clearing). */
  missingAtIssuer: number
}

/**
 * Compares the issuer's approvals with the presentments of every pair; fills `out` with the
 * number of pairs in each kind of discrepancy, and returns the number of discrepant pairs.
 */
export const reconcilePairs = (
  approvedCount: Float64Array,
  approvedFen: Float64Array,
  presentedCount: Float64Array,
  presentedFen: Float64Array,
  out: PairDiscrepancy,
): number => {
  out.missingInClearing = 0
  out.missingAtIssuer = 0
  for (let p = 0; p < approvedCount.length; p++) {
    const a = approvedCount[p]!
    const n = presentedCount[p]!
    if (a === n && approvedFen[p] === presentedFen[p]) continue
    if (a > n || (a === n && approvedFen[p]! > presentedFen[p]!)) out.missingInClearing++
    else out.missingAtIssuer++
  }
  return out.missingInClearing + out.missingAtIssuer
}

/**
 * Net position per bank (positive: the bank receives) from the fen settled per pair; added into
 * `out` (length = banks), so several item kinds can be netted into one set of positions.
 */
export const addNetPositions = (settledFen: Float64Array, banks: number, out: Float64Array): void => {
  for (let payer = 0; payer < banks; payer++)
    for (let receiver = 0; receiver < banks; receiver++) {
      const fen = settledFen[payer * banks + receiver]!
      out[payer]! -= fen
      out[receiver]! += fen
    }
}
