/**
 * What the PBOC applet's application cryptograms are computed over, and the issuer application
 * data 9F10 that tells the issuer how. Card and issuer (model/host/issuer) both assemble the input
 * with this file, so the layout is defined once.
 *
 * The input is EMV 4.3 Book 2 §8.1.1 Table 26's recommended minimum: the terminal data 9F02 9F03
 * 9F1A 95 5F2A 9A 9C 9F37 in that order, then AIP 82, ATC 9F36 and the card verification results
 * (CVR, IAD bytes 4-7). The card takes the terminal values from the CDOL1 data of GENERATE AC or,
 * on the qPBOC path, from the PDOL data of GET PROCESSING OPTIONS, so the input does not depend on
 * how an issuer laid out its DOLs; a tag the DOL did not ask for contributes zeros. The second
 * GENERATE AC appends the CDOL2 data (ARC ‖ TVR ‖ UN) after the Table 26 terminal data — a twin
 * convention, documented here because the CVN that would fix it for PBOC 3.0 is not public.
 */
import { concat } from "../../../bytes/bytes.ts"
import { TAG } from "./pboc-constants.ts"

/** Book 2 Table 26 terminal data, tag and length, in cryptogram order. */
export const TABLE26_TERMINAL_DATA: ReadonlyArray<{ readonly tag: number; readonly length: number }> = [
  { tag: TAG.amount, length: 6 },
  { tag: TAG.amountOther, length: 6 },
  { tag: TAG.country, length: 2 },
  { tag: TAG.tvr, length: 5 },
  { tag: TAG.currency, length: 2 },
  { tag: TAG.date, length: 3 },
  { tag: TAG.type, length: 1 },
  { tag: TAG.un, length: 4 },
]

/** Terminal data by tag, as split from a DOL's data or as the issuer receives it. */
export type TerminalData = ReadonlyMap<number, Uint8Array>

const TABLE26_BYTES = TABLE26_TERMINAL_DATA.reduce((sum, { length }) => sum + length, 0)

/** The Table 26 terminal values, each cut or zero-padded to its length (EMV Book 3 §5.4 rules). */
export const table26Data = (data: TerminalData): Uint8Array => {
  const out = new Uint8Array(TABLE26_BYTES)
  let at = 0
  for (const { tag, length } of TABLE26_TERMINAL_DATA) {
    const value = data.get(tag)
    if (value !== undefined) out.set(value.length > length ? value.subarray(0, length) : value, at)
    at += length
  }
  return out
}

/** Cryptogram input: Table 26 terminal data ‖ [CDOL2 data] ‖ AIP ‖ ATC ‖ CVR. */
export const cryptogramInput = (
  data: TerminalData,
  aip: Uint8Array,
  atc: number,
  cvr: Uint8Array,
  cdol2Data: Uint8Array = new Uint8Array(0),
): Uint8Array => {
  if (aip.length !== 2 || cvr.length !== 4) throw new RangeError("AIP is 2 bytes and CVR 4 bytes")
  return concat(table26Data(data), cdol2Data, aip, new Uint8Array([atc >> 8, atc & 0xff]), cvr)
}

/**
 * Card verification results, 4 bytes, in the layout VIS and PBOC 2.0 share (length byte 03 first).
 * Byte 2: b8-b7 the AC type of the second GENERATE AC (00 AAC, 01 TC, 10 not requested),
 * b6-b5 that of the first (00 AAC, 01 TC, 10 ARQC), b3 issuer authentication failed,
 * b2 issuer authentication performed. Byte 3: the count of issuer scripts processed (low nibble).
 * Byte 3 b6: the card's velocity check sent the transaction online (pboc-velocity.ts).
 * Byte 4: b4 issuer script processing failed on the last online transaction (VIS byte 4 b4), so the
 * issuer learns in the next transaction's IAD that its script did not take.
 */
export interface CvrFacts {
  readonly firstAc: "aac" | "tc" | "arqc"
  readonly secondAc: "aac" | "tc" | "none"
  readonly issuerAuth: "none" | "ok" | "failed"
  readonly scriptCount: number
  /** An issuer script command failed in the last online transaction (byte 4 b4, VIS layout). */
  readonly scriptFailed?: boolean
  /** Card risk management: consecutive offline limit reached (byte 3 b6, VIS layout). */
  readonly velocityExceeded?: boolean
}

const AC_BITS = { aac: 0b00, tc: 0b01, arqc: 0b10, none: 0b10 } as const

export const cvr = (facts: CvrFacts): Uint8Array => {
  let b2 = (AC_BITS[facts.secondAc] << 6) | (AC_BITS[facts.firstAc] << 4)
  if (facts.issuerAuth !== "none") b2 |= 0x02
  if (facts.issuerAuth === "failed") b2 |= 0x04
  const b3 = Math.min(facts.scriptCount, 15) | (facts.velocityExceeded === true ? 0x20 : 0x00)
  return new Uint8Array([0x03, b2, b3, facts.scriptFailed === true ? 0x08 : 0x00])
}

/** Issuer application data 9F10: length 07 ‖ DKI ‖ CVN ‖ CVR (PBOC 2.0/3.0 layout). */
export const issuerApplicationData = (dki: number, cvn: number, cvrBytes: Uint8Array): Uint8Array =>
  concat(new Uint8Array([0x07, dki, cvn]), cvrBytes)

/** The CVR inside an IAD (bytes 4-7), or undefined when the IAD is not in this layout. */
export const cvrOfIad = (iad: Uint8Array): Uint8Array | undefined =>
  iad.length >= 7 && iad[0] === 0x07 ? iad.slice(3, 7) : undefined

/** CVR byte 4 b4 of an IAD: an issuer script failed in the card's last online transaction. */
export const scriptFailedInIad = (iad: Uint8Array): boolean => ((cvrOfIad(iad)?.[3] ?? 0) & 0x08) !== 0
