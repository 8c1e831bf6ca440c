/**
 * The terminal's own data for one transaction (EMV 4.3 Book 4 §6, PROTOCOLS.md §2.2) and how it
 * fills the card's DOLs. Entropy (the unpredictable number) is injected by the caller (DESIGN.md
 * §4): the kernel never draws randomness itself.
 */
import { encodeN12 } from "../../card/applets/pboc/n12-amount.ts"
import { CNY, TAG, TTQ_ONLINE_REQUIRED, TTQ_QPBOC } from "../../card/applets/pboc/pboc-constants.ts"

export interface TerminalTransaction {
  readonly amountFen: number
  /** 9C: 00 purchase; 60 the 圈存 load (twin convention for an e-cash load at a bank terminal). */
  readonly type: number
  /** Transaction date 9A as YYMMDD digits. */
  readonly dateYymmdd: string
  /** 4 bytes from the caller's seeded stream. */
  readonly unpredictableNumber: Uint8Array
  /** "qpboc" sets TTQ for qPBOC; "pboc" asks for the standard debit/credit flow. */
  readonly path: "qpboc" | "pboc"
  /** Reader supports e-cash (9F7A = 01). */
  readonly ecashSupported: boolean
  /** Demand an online cryptogram (TTQ byte 2 b8). */
  readonly onlineRequired: boolean
  /** An offline-only reader (TTQ byte 1 b4), such as a bus validator: the card answers TC or AAC. */
  readonly offlineOnly?: boolean
}

export const TYPE_PURCHASE = 0x00
/** TTQ byte 1 b4: the reader is offline only (pboc-gpo.ts answers AAC instead of ARQC). */
const TTQ_OFFLINE_ONLY = 0x08
export const TYPE_ECASH_LOAD = 0x60

const bcd = (digits: string): Uint8Array => {
  const out = new Uint8Array(digits.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** Terminal data by tag; the TVR starts at zero (no checks failed). */
export const terminalData = (t: TerminalTransaction): Map<number, Uint8Array> => {
  if (!/^[0-9]{6}$/.test(t.dateYymmdd)) throw new RangeError(`date must be YYMMDD: ${t.dateYymmdd}`)
  if (t.unpredictableNumber.length !== 4) throw new RangeError("the unpredictable number has 4 bytes")
  const ttq = new Uint8Array([
    (t.path === "qpboc" ? TTQ_QPBOC : 0x00) | (t.offlineOnly === true ? TTQ_OFFLINE_ONLY : 0x00),
    t.onlineRequired ? TTQ_ONLINE_REQUIRED : 0,
    0,
    0,
  ])
  return new Map<number, Uint8Array>([
    [TAG.ttq, ttq],
    [TAG.amount, encodeN12(t.amountFen)],
    [TAG.amountOther, encodeN12(0)],
    [TAG.country, CNY],
    [TAG.tvr, new Uint8Array(5)],
    [TAG.currency, CNY],
    [TAG.date, bcd(t.dateYymmdd)],
    [TAG.type, new Uint8Array([t.type])],
    [TAG.un, t.unpredictableNumber.slice()],
    [TAG.ecashTerminalSupport, new Uint8Array([t.ecashSupported ? 0x01 : 0x00])],
  ])
}
