/**
 * The TSM's file (batch) interface (DESIGN.md §1: "file interface (batch)" between the 贵州通 TSM
 * and local banks' systems): a bank's CMS sends a day's issuance orders as one text file, and the
 * TSM answers a receipt naming every record it refused. The twin's own profile — the pilot's file
 * formats are not public — modelled on the usual bank batch layout of a header, detail records and
 * a trailer with the record count and a digest of the detail lines:
 *
 *   H|<bank id>|<batch id>|<record count>
 *   D|<order id>|<user index>|<SE id hex>|<SCP02|SCP03|SM4>|<app id>|<PAN>|<PSN>|<balance fen>
 *   T|<record count>|<SM3 of the detail lines, each ending in LF, as hex>
 *
 * Parsing never throws: a broken header or trailer refuses the file, a broken detail record only
 * that record, each with its line number and reason.
 */
import { toHex } from "../../bytes/hex.ts"
import type { SecureChannelProtocol } from "../../card/applet.ts"
import type { Crypto } from "../../crypto/crypto.ts"

/** Records per file at most (STYLE.md rule 3): a day of a large campaign fits. */
export const BATCH_RECORDS_MAX = 100_000

export interface BatchRecord {
  readonly line: number
  readonly orderId: string
  readonly userIndex: number
  readonly seId: string
  readonly seProtocol: SecureChannelProtocol
  readonly appId: string
  readonly pan: string
  readonly psn: string
  readonly balanceFen: number
}

export interface LineError {
  readonly line: number
  readonly reason: string
}

export interface BatchFile {
  readonly bankId: string
  readonly batchId: string
  readonly records: ReadonlyArray<BatchRecord>
  /** Detail records refused one by one; the rest of the file stands. */
  readonly refused: ReadonlyArray<LineError>
}

export type BatchParse =
  | { readonly ok: true; readonly file: BatchFile }
  | { readonly ok: false; readonly error: LineError }

const ID = /^[A-Za-z0-9._:-]{1,64}$/
const SE_ID = /^(?:[0-9A-F]{2}){8,16}$/
const PAN = /^[0-9]{12,19}$/
const PSN = /^[0-9]{2}$/
const UINT = /^(?:0|[1-9][0-9]{0,14})$/
const PROTOCOLS: ReadonlyArray<SecureChannelProtocol> = ["SCP02", "SCP03", "SM4"]

const detailDigest = (crypto: Crypto, lines: ReadonlyArray<string>): string =>
  toHex(crypto.sm3(new TextEncoder().encode(lines.map((l) => `${l}\n`).join(""))))

/** Builds a file from records (the bank's side; tests and the scenario's banks use it). */
export const writeBatchFile = (
  crypto: Crypto,
  bankId: string,
  batchId: string,
  records: ReadonlyArray<Omit<BatchRecord, "line">>,
): string => {
  const details = records.map(
    (r) =>
      `D|${r.orderId}|${r.userIndex}|${r.seId}|${r.seProtocol}|${r.appId}|${r.pan}|${r.psn}|${r.balanceFen}`,
  )
  const lines = [`H|${bankId}|${batchId}|${records.length}`, ...details]
  lines.push(`T|${records.length}|${detailDigest(crypto, details)}`)
  return `${lines.join("\n")}\n`
}

const parseDetail = (line: number, fields: ReadonlyArray<string>): BatchRecord | LineError => {
  if (fields[0] !== "D") return { line, reason: "not a detail record (D|...)" }
  if (fields.length !== 9) return { line, reason: `a detail record has 9 fields, not ${fields.length}` }
  const [, orderId, userIndex, seId, protocol, appId, pan, psn, balance] = fields as string[]
  if (!ID.test(orderId!)) return { line, reason: "order id" }
  if (!UINT.test(userIndex!)) return { line, reason: "user index" }
  if (!SE_ID.test(seId!)) return { line, reason: "SE id (8-16 bytes of upper-case hex)" }
  const seProtocol = PROTOCOLS.find((p) => p === protocol)
  if (seProtocol === undefined) return { line, reason: `secure channel protocol "${protocol}"` }
  if (!ID.test(appId!)) return { line, reason: "app id" }
  if (!PAN.test(pan!)) return { line, reason: "PAN (12-19 digits)" }
  if (!PSN.test(psn!)) return { line, reason: "PSN (2 digits)" }
  if (!UINT.test(balance!)) return { line, reason: "balance in fen" }
  const record = { line, orderId: orderId!, userIndex: Number(userIndex), seId: seId!, seProtocol }
  return { ...record, appId: appId!, pan: pan!, psn: psn!, balanceFen: Number(balance) }
}

/** Reads a batch file; `refused` lists bad detail records, a bad frame refuses the whole file. */
export const parseBatchFile = (crypto: Crypto, text: string): BatchParse => {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n")
  if (lines.length < 2) return { ok: false, error: { line: 1, reason: "no header and trailer" } }
  if (lines.length - 2 > BATCH_RECORDS_MAX)
    return {
      ok: false,
      error: { line: BATCH_RECORDS_MAX + 2, reason: `more than ${BATCH_RECORDS_MAX} records` },
    }
  const header = lines[0]!.split("|")
  if (header.length !== 4 || header[0] !== "H" || !ID.test(header[1]!) || !ID.test(header[2]!))
    return { ok: false, error: { line: 1, reason: "header is not H|bank|batch|count" } }
  const details = lines.slice(1, -1)
  const trailer = lines[lines.length - 1]!.split("|")
  const count = String(details.length)
  if (header[3] !== count || trailer.length !== 3 || trailer[0] !== "T" || trailer[1] !== count)
    return { ok: false, error: { line: lines.length, reason: `trailer or header count is not ${count}` } }
  if (trailer[2] !== detailDigest(crypto, details))
    return { ok: false, error: { line: lines.length, reason: "detail digest does not match" } }
  const records: BatchRecord[] = []
  const refused: LineError[] = []
  const seen = new Set<string>()
  for (let i = 0; i < details.length; i++) {
    const parsed = parseDetail(i + 2, details[i]!.split("|"))
    if ("reason" in parsed) refused.push(parsed)
    else if (seen.has(parsed.orderId)) refused.push({ line: i + 2, reason: "order id repeated in the file" })
    else {
      seen.add(parsed.orderId)
      records.push(parsed)
    }
  }
  return { ok: true, file: { bankId: header[1]!, batchId: header[2]!, records, refused } }
}
