/**
 * Reconciliation between an issuer's own records and the clearing file (DESIGN.md §1 "Money
 * movement"; the seed's 差错处理流程): for each online record of the file, the issuer compares it
 * with the authorizations its host approved and did not reverse. It reports exactly four kinds of
 * discrepancy, each with the id it concerns, and nothing else:
 * - `duplicate`: the file presents the same id more than once (each extra copy is one);
 * - `amount-mismatch`: the file's amount differs from the authorized amount;
 * - `missing-at-issuer`: the file presents an id the issuer did not approve (or reversed);
 * - `missing-in-clearing`: the issuer approved an id the file does not present (typically a
 *   reversal that never reached the issuer after a timeout).
 * Offline TCs are checked by cryptogram instead (bank/tc-verifier.ts), so they are not compared
 * here. The function is pure, so a property can check it against injected faults.
 */
import type { ClearingRecord } from "./clearing-file.ts"

export type DiscrepancyKind = "duplicate" | "amount-mismatch" | "missing-at-issuer" | "missing-in-clearing"

export interface Discrepancy {
  readonly kind: DiscrepancyKind
  readonly id: string
  /** The amount the issuer stands behind (authorized), or the file's for `missing-at-issuer`. */
  readonly amountFen: number
}

/**
 * `approved` maps each id the issuer expects to clear this cycle to its authorized amount;
 * `records` are the file's online records for this issuer.
 */
export const reconcile = (
  approved: ReadonlyMap<string, number>,
  records: ReadonlyArray<ClearingRecord>,
): ReadonlyArray<Discrepancy> => {
  const out: Discrepancy[] = []
  const seen = new Set<string>()
  for (const r of records) {
    if (r.kind !== "online") continue
    if (seen.has(r.id)) {
      out.push({ kind: "duplicate", id: r.id, amountFen: r.amountFen })
      continue
    }
    seen.add(r.id)
    const authorized = approved.get(r.id)
    if (authorized === undefined) out.push({ kind: "missing-at-issuer", id: r.id, amountFen: r.amountFen })
    else if (authorized !== r.amountFen)
      out.push({ kind: "amount-mismatch", id: r.id, amountFen: authorized })
  }
  for (const [id, amountFen] of approved)
    if (!seen.has(id)) out.push({ kind: "missing-in-clearing", id, amountFen })
  return out
}

/**
 * The 差错 outcome of each discrepancy kind, as the twin's profile documents them (the rules of
 * UnionPay's real 差错处理 are not public; these follow the ISO 8583 concepts of reversal,
 * adjustment and chargeback): the record set that settles is the file corrected by these rules.
 */
export const ERROR_OUTCOME: Readonly<Record<DiscrepancyKind | "bad-tc" | "file-corrupted", string>> = {
  duplicate: "duplicate-removed",
  "amount-mismatch": "adjusted-to-authorized",
  "missing-at-issuer": "rejected-from-clearing",
  "missing-in-clearing": "reversed-by-issuer",
  "bad-tc": "tc-rejected-chargeback-to-acquirer",
  "file-corrupted": "file-refetched",
}

/** Applies the outcomes to the issuer's online records: what this issuer agrees to settle. */
export const correctedRecords = (
  records: ReadonlyArray<ClearingRecord>,
  discrepancies: ReadonlyArray<Discrepancy>,
): ReadonlyArray<ClearingRecord> => {
  const rejected = new Set(discrepancies.filter((d) => d.kind === "missing-at-issuer").map((d) => d.id))
  const adjusted = new Map(
    discrepancies.filter((d) => d.kind === "amount-mismatch").map((d) => [d.id, d.amountFen] as const),
  )
  const seen = new Set<string>()
  const out: ClearingRecord[] = []
  for (const r of records) {
    if (r.kind !== "online") continue
    if (seen.has(r.id) || rejected.has(r.id)) continue
    seen.add(r.id)
    const amountFen = adjusted.get(r.id)
    out.push(amountFen === undefined ? r : { ...r, amountFen })
  }
  return out
}

/**
 * Net position per bank (positive: the bank receives). The payer of a record is its issuer (the
 * payer's bank), except a chargeback, which the acquirer pays back. Positions sum to zero.
 */
export const netPositions = (records: ReadonlyArray<ClearingRecord>): Map<string, number> => {
  const net = new Map<string, number>()
  const add = (bank: string, fen: number) => net.set(bank, (net.get(bank) ?? 0) + fen)
  for (const r of records) {
    const payer = r.kind === "chargeback" ? r.acquirer : r.issuer
    const receiver = r.kind === "chargeback" ? r.issuer : r.acquirer
    add(payer, -r.amountFen)
    add(receiver, r.amountFen)
  }
  return net
}
