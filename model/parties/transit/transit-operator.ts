/**
 * The transit operator (贵州通) as the acquirer of its readers' fares (DESIGN.md §1 "transit
 * taps"; issue 16 item 5): it takes each reader's daily batch upload (transit-batch.ts), refuses a
 * damaged file whole and a fare it already has (a reader that uploads twice), and at the cut-off
 * presents the fares to the banks that issued the cards' e-cash, through the same clearing pieces
 * UnionPay's cycle uses: one TWIN-CLR-1 file per issuer bank (clearing-file.ts), the issuer's
 * check of each TC against its own keys (tc-verifier.ts), and net positions that move money from
 * the issuers' e-cash floats to the operator (reconciliation.ts `netPositions`, summing to zero).
 * A TC its issuer cannot verify is not paid (差错 `bad-tc`); a card whose issuer the operator does
 * not know is not presented (`unknown-issuer`).
 */
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"
import { type BatchError, parseTransitBatch } from "../../host/transit/transit-batch.ts"
import { evidenceOf, type TransitRecord, transitRecordId } from "../../host/transit/transit-record.ts"
import { verifyTc } from "../bank/tc-verifier.ts"
import { type ClearingRecord, encodeClearingFile, parseClearingFile } from "../unionpay/clearing-file.ts"
import { netPositions } from "../unionpay/reconciliation.ts"

/** The keys an issuer bank checks its cards' TCs with. */
export interface IssuerBankKeys {
  readonly profile: AlgorithmProfile
  readonly imks: IssuerMasterKeys
}

export type BatchReceipt =
  | { readonly kind: "accepted"; readonly fares: number; readonly duplicates: number }
  | { readonly kind: "refused"; readonly error: BatchError }

export interface TransitRejection {
  readonly id: string
  readonly reason: "bad-tc" | "unknown-issuer" | "file-corrupted"
}

export interface TransitClearing {
  readonly cycle: number
  /** The TWIN-CLR-1 file sent to each issuer bank. */
  readonly files: ReadonlyMap<string, string>
  readonly settled: ReadonlyArray<ClearingRecord>
  readonly rejected: ReadonlyArray<TransitRejection>
  /** Net position per party in fen: issuers negative, the operator positive; they sum to zero. */
  readonly positions: ReadonlyMap<string, number>
}

/** Bound on fares held between cut-offs (a day of the pilot's transit traffic, generously). */
export const PENDING_FARES_MAX = 5_000_000

export class TransitOperator {
  private pending: TransitRecord[] = []
  private readonly seen = new Set<string>()

  constructor(
    private readonly crypto: Crypto,
    /** The issuer bank of a card's e-cash, by PAN (its BIN), or undefined. */
    private readonly issuerOf: (pan: string) => string | undefined,
    readonly operatorId = "gzt-transit",
  ) {}

  /** One reader's day: all fares or none (a damaged file is refused and uploaded again). */
  receiveBatch(text: string): BatchReceipt {
    const batch = parseTransitBatch(this.crypto, text)
    if (!batch.ok) return { kind: "refused", error: batch.error }
    let duplicates = 0
    for (const r of batch.value.records) {
      const id = transitRecordId(r)
      if (this.seen.has(id)) {
        duplicates++
        continue
      }
      if (this.pending.length >= PENDING_FARES_MAX) throw new Error("transit operator: pending fares bound")
      this.seen.add(id)
      this.pending.push(r)
    }
    return { kind: "accepted", fares: batch.value.records.length - duplicates, duplicates }
  }

  /** The cut-off: present every pending fare to its issuer and settle what the issuers accept. */
  clear(cycle: number, banks: ReadonlyMap<string, IssuerBankKeys>): TransitClearing {
    const byBank = new Map<string, TransitRecord[]>()
    const rejected: TransitRejection[] = []
    for (const r of this.pending) {
      const bank = this.issuerOf(r.pan)
      if (bank === undefined || !banks.has(bank))
        rejected.push({ id: transitRecordId(r), reason: "unknown-issuer" })
      else byBank.set(bank, [...(byBank.get(bank) ?? []), r])
    }
    this.pending = []
    const files = new Map<string, string>()
    const settled: ClearingRecord[] = []
    for (const [bank, fares] of byBank) {
      const records = fares.map((r) => this.clearingRecord(bank, r))
      const file = encodeClearingFile(this.crypto, { cycle, bank, records })
      files.set(bank, file)
      settled.push(...this.issuerAccepts(banks.get(bank)!, file, fares, rejected))
    }
    return { cycle, files, settled, rejected, positions: netPositions(settled) }
  }

  private clearingRecord(bank: string, r: TransitRecord): ClearingRecord {
    return {
      id: transitRecordId(r),
      kind: "offline-tc",
      acquirer: this.operatorId,
      issuer: bank,
      amountFen: r.amountFen,
      payee: `${this.operatorId}/${r.routeId}`,
    }
  }

  /** The issuer's side: read the file, verify each TC with its keys, accept what verifies. */
  private issuerAccepts(
    keys: IssuerBankKeys,
    file: string,
    fares: ReadonlyArray<TransitRecord>,
    rejected: TransitRejection[],
  ): ReadonlyArray<ClearingRecord> {
    const parsed = parseClearingFile(this.crypto, file)
    if (!parsed.ok) {
      for (const r of fares) rejected.push({ id: transitRecordId(r), reason: "file-corrupted" })
      return []
    }
    const evidence = new Map(fares.map((r) => [transitRecordId(r), evidenceOf(r)]))
    return parsed.value.records.filter((record) => {
      const good = verifyTc(this.crypto, keys.profile, keys.imks, evidence.get(record.id)!)
      if (!good) rejected.push({ id: record.id, reason: "bad-tc" })
      return good
    })
  }
}
