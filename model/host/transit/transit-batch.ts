/**
 * The batch file a transit reader uploads at the end of its day to the transit operator (贵州通),
 * "TWIN-TRANSIT-1". Operators' own formats are not public; the twin defines a line format in the
 * manner of its clearing file (model/parties/unionpay/clearing-file.ts): a header, one line per
 * fare, a trailer with the count, the total and an SM3 digest of every line before it, so a
 * transfer that lost or changed a byte is refused before any fare is accepted.
 *
 *   H|<readerId>|<dateYymmdd>
 *   F|<seq>|<routeId>|<pan>|<psn>|<atc>|<amountFen>|<aip>|<iad>|<tc>|<terminal data>
 *   T|<count>|<totalFen>|<sm3 hex of the preceding lines joined by "\n">
 *
 * Parsing never throws: a bad file is a typed error naming the line and the reason.
 */
import { toHex } from "../../bytes/hex.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { TransitRecord } from "./transit-record.ts"

export interface TransitBatch {
  readonly readerId: string
  readonly dateYymmdd: string
  readonly records: ReadonlyArray<TransitRecord>
}

export interface BatchError {
  readonly line: number
  readonly reason: "header" | "record" | "trailer" | "count" | "total" | "digest"
}

const digestOf = (crypto: Crypto, lines: ReadonlyArray<string>): string =>
  toHex(crypto.sm3(new TextEncoder().encode(lines.join("\n")))).toLowerCase()

const fieldsOf = (r: TransitRecord): ReadonlyArray<string | number> => [
  r.seq,
  r.routeId,
  r.pan,
  r.psn,
  r.atc,
  r.amountFen,
  r.aipHex,
  r.iadHex,
  r.tcHex,
  r.terminalHex,
]

export const encodeTransitBatch = (crypto: Crypto, batch: TransitBatch): string => {
  const lines = [`H|${batch.readerId}|${batch.dateYymmdd}`]
  for (const r of batch.records) lines.push(`F|${fieldsOf(r).join("|")}`)
  const total = batch.records.reduce((sum, r) => sum + r.amountFen, 0)
  lines.push(`T|${batch.records.length}|${total}|${digestOf(crypto, lines)}`)
  return lines.join("\n")
}

const HEX = /^[0-9A-F]*$/
const NAME = /^[\w .-]{1,32}$/

const parseRecord = (readerId: string, f: ReadonlyArray<string>): TransitRecord | null => {
  if (f.length !== 11 || f[0] !== "F") return null
  const [, seq, routeId, pan, psn, atc, amount, aip, iad, tc, terminal] = f as [string, ...string[]]
  const numbers = [seq, atc, amount].every((n) => /^[0-9]{1,12}$/.test(n!))
  const hexes = [aip, iad, tc, terminal].every((h) => HEX.test(h!) && h!.length % 2 === 0)
  if (
    !numbers ||
    !hexes ||
    !/^[0-9]{12,19}$/.test(pan!) ||
    !/^([0-9]{2})?$/.test(psn!) ||
    !NAME.test(routeId!)
  )
    return null
  if (aip!.length !== 4 || tc!.length !== 16 || terminal!.length !== 58 || Number(atc) > 0xffff) return null
  return {
    readerId,
    seq: Number(seq),
    routeId: routeId!,
    pan: pan!,
    psn: psn!,
    atc: Number(atc),
    amountFen: Number(amount),
    aipHex: aip!,
    iadHex: iad!,
    tcHex: tc!,
    terminalHex: terminal!,
  }
}

export const parseTransitBatch = (crypto: Crypto, text: string): Result<TransitBatch, BatchError> => {
  const lines = text.split("\n")
  const head = lines[0]?.split("|") ?? []
  if (head.length !== 3 || head[0] !== "H" || !NAME.test(head[1] ?? "") || !/^[0-9]{6}$/.test(head[2] ?? ""))
    return err({ line: 1, reason: "header" })
  const records: TransitRecord[] = []
  for (let i = 1; i < lines.length - 1; i++) {
    const r = parseRecord(head[1]!, lines[i]!.split("|"))
    if (r === null) return err({ line: i + 1, reason: "record" })
    records.push(r)
  }
  const at = lines.length
  const trailer = lines[at - 1]!.split("|")
  if (at < 2 || trailer.length !== 4 || trailer[0] !== "T") return err({ line: at, reason: "trailer" })
  if (trailer[1] !== String(records.length)) return err({ line: at, reason: "count" })
  if (trailer[2] !== String(records.reduce((s, r) => s + r.amountFen, 0)))
    return err({ line: at, reason: "total" })
  if (trailer[3] !== digestOf(crypto, lines.slice(0, -1))) return err({ line: at, reason: "digest" })
  return ok({ readerId: head[1]!, dateYymmdd: head[2]!, records })
}
