/**
 * The twin's clearing file, "TWIN-CLR-1". PBOC/UnionPay clearing file layouts are not public, so
 * the twin defines a line format from the ISO 8583 field concepts: one header line, one line per
 * record, and a trailer with the record count, the amount total and an SM3 digest of every line
 * before it, so a corrupted transfer is detected before reconciliation looks at any record.
 *
 *   H|<cycle>|<bank>
 *   R|<id>|<kind>|<acquirer>|<issuer>|<amountFen>|<payee>
 *   T|<count>|<totalFen>|<sm3 hex of the preceding lines joined by "\n">
 *
 * Parsing never throws: a bad file is a typed error naming the line and the reason.
 */
import { toHex } from "../../bytes/hex.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import type { Crypto } from "../../crypto/crypto.ts"

export type RecordKind = "online" | "offline-tc" | "transfer" | "chargeback"

export interface ClearingRecord {
  readonly id: string
  readonly kind: RecordKind
  readonly acquirer: string
  readonly issuer: string
  readonly amountFen: number
  /** The account credited at the receiving bank (a merchant, or a transfer's beneficiary). */
  readonly payee: string
}

export interface ClearingFile {
  readonly cycle: number
  readonly bank: string
  readonly records: ReadonlyArray<ClearingRecord>
}

export interface FileError {
  readonly line: number
  readonly reason: "header" | "record" | "trailer" | "count" | "total" | "digest"
}

const KINDS: ReadonlyArray<string> = ["online", "offline-tc", "transfer", "chargeback"]

const digestOf = (crypto: Crypto, lines: ReadonlyArray<string>): string =>
  toHex(crypto.sm3(new TextEncoder().encode(lines.join("\n")))).toLowerCase()

export const encodeClearingFile = (crypto: Crypto, file: ClearingFile): string => {
  const lines = [`H|${file.cycle}|${file.bank}`]
  let total = 0
  for (const r of file.records) {
    lines.push(`R|${r.id}|${r.kind}|${r.acquirer}|${r.issuer}|${r.amountFen}|${r.payee}`)
    total += r.amountFen
  }
  lines.push(`T|${file.records.length}|${total}|${digestOf(crypto, lines)}`)
  return lines.join("\n")
}

const parseRecord = (fields: ReadonlyArray<string>): ClearingRecord | null => {
  const [tag, id, kind, acquirer, issuer, amount, payee] = fields
  if (tag !== "R" || fields.length !== 7 || payee === undefined || id === undefined || kind === undefined)
    return null
  if (!KINDS.includes(kind) || acquirer === undefined || issuer === undefined) return null
  if (amount === undefined || !/^[0-9]{1,15}$/.test(amount)) return null
  return { id, kind: kind as RecordKind, acquirer, issuer, amountFen: Number(amount), payee }
}

export const parseClearingFile = (crypto: Crypto, text: string): Result<ClearingFile, FileError> => {
  const lines = text.split("\n")
  const head = lines[0]?.split("|") ?? []
  if (head.length !== 3 || head[0] !== "H" || !/^[0-9]+$/.test(head[1] ?? ""))
    return err({ line: 1, reason: "header" })
  const records: ClearingRecord[] = []
  for (let i = 1; i < lines.length - 1; i++) {
    const r = parseRecord(lines[i]!.split("|"))
    if (r === null) return err({ line: i + 1, reason: "record" })
    records.push(r)
  }
  const trailer = lines[lines.length - 1]!.split("|")
  const at = lines.length
  if (lines.length < 2 || trailer.length !== 4 || trailer[0] !== "T")
    return err({ line: at, reason: "trailer" })
  if (trailer[1] !== String(records.length)) return err({ line: at, reason: "count" })
  if (trailer[2] !== String(records.reduce((s, r) => s + r.amountFen, 0)))
    return err({ line: at, reason: "total" })
  if (trailer[3] !== digestOf(crypto, lines.slice(0, -1))) return err({ line: at, reason: "digest" })
  return ok({ cycle: Number(head[1]), bank: head[2]!, records })
}
