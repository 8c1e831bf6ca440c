/**
 * The persistent image of one PBOC payment applet instance: a fixed header at fixed offsets
 * followed by the personalized records. It is the instance's `ctx.state` (model/card/applet.ts),
 * part of the card's compact byte image (DESIGN.md §4 "Cards are bytes"), and the runtime commits
 * each command's changes to it atomically, so the balance and the ATC cannot tear.
 *
 * Amounts (balance 9F79, limits 9F77 9F78 9F6D) are kept in their wire form, n12 packed BCD
 * (EMV 4.3 Book 3 §4.3 format n), so GET DATA and the MAC'd PUT DATA carry the stored bytes.
 *
 * Size: the header is PBOC_HEADER_BYTES (168); records (and the internal ODA key record) are
 * bounded by RECORDS_BYTES_MAX (704), so an instance never exceeds PBOC_STATE_BYTES_MAX = 872
 * bytes; a card without ODA stays under 400.
 */
import { bytesToUint, uintToBytes } from "../../../bytes/bytes.ts"

/** Offsets of the header fields. Widths follow from the next offset. */
export const IMAGE = {
  /** Format version of this layout, so a later layout can migrate old images. */
  version: 0,
  /** See PersoState. */
  state: 1,
  /** AlgorithmProfile.code (algorithm-profile.ts). */
  profile: 2,
  /** Derivation key index, IAD byte 2. */
  dki: 3,
  /** Application transaction counter 9F36 (2 bytes). */
  atc: 4,
  /** Last online ATC register 9F13 (2 bytes): the ATC of the last issuer-authenticated transaction. */
  lastOnlineAtc: 6,
  balance: 8,
  balanceLimit: 14,
  singleLimit: 20,
  resetThreshold: 26,
  /** ICC master keys MK-AC, MK-SMI, MK-SMC (EMV CPS DGI 8000 order), 16 bytes each. */
  mkAc: 32,
  mkSmi: 48,
  mkSmc: 64,
  /** AIP 82 (2 bytes) returned by GPO. */
  aip: 80,
  /** AFL 94 length, then up to AFL_BYTES_MAX bytes. */
  aflLength: 82,
  afl: 83,
  /** Bit set of the DGIs received so far (PERSO_* below). */
  persoFlags: 99,
  /** Length, then up to FCI_BYTES_MAX bytes of the FCI proprietary template A5 contents. */
  fciLength: 100,
  fci: 101,
  /** Length of the records area (2 bytes) that follows the header. */
  recordsLength: 165,
  /**
   * Issuer scripts: b7-b1 the count of script commands processed with a valid MAC (for the CVR,
   * saturating at 127), b8 a script command failed in the last online transaction (SCRIPT_FAILED).
   */
  scriptCount: 167,
} as const

export const SCRIPT_COUNT_MASK = 0x7f
export const SCRIPT_FAILED = 0x80

export const AFL_BYTES_MAX = 16
export const FCI_BYTES_MAX = 64
export const PBOC_HEADER_BYTES = 168
/**
 * 224 bytes hold a card without ODA; an RSA fDDA card (1024-bit issuer certificate, 768-bit ICC
 * certificate and the primes of its key, pboc-oda-key.ts) needs about 520, an SM2 one about 360.
 * Measured whole-card images after personalization (ISD, SSD, PPSE, PBOC; seed 1): no ODA 569 B,
 * SM2 919 B, RSA 1,011 B (1,158 B while the card also kept dp, dq and qInv).
 */
export const RECORDS_BYTES_MAX = 704
export const PBOC_STATE_BYTES_MAX = PBOC_HEADER_BYTES + RECORDS_BYTES_MAX
export const IMAGE_VERSION = 0x01
export const AMOUNT_BYTES = 6
export const KEY_BYTES = 16

/**
 * The applet's own life cycle. GP's application life cycle (ctx.lifeCycle) says whether the card
 * may select it at all; this byte says whether it has its data and whether the issuer blocked it
 * with APPLICATION BLOCK (EMV 4.3 Book 3 §6.5.1).
 */
export const PersoState = { empty: 0x00, personalized: 0x01, blocked: 0x02 } as const

/** DGIs that must all have arrived before the applet leaves PersoState.empty. */
export const PERSO_KEYS = 0x01
export const PERSO_ECASH = 0x02
export const PERSO_FCI = 0x04
export const PERSO_GPO = 0x08
export const PERSO_PROFILE = 0x10
export const PERSO_RECORDS = 0x20
export const PERSO_COMPLETE = 0x3f

/** A fresh instance: only the version byte is set. */
export const emptyImage = (): Uint8Array => {
  const image = new Uint8Array(PBOC_HEADER_BYTES)
  image[IMAGE.version] = IMAGE_VERSION
  return image
}

export const readU16 = (image: Uint8Array, offset: number): number => bytesToUint(image, offset, 2)

export const writeU16 = (image: Uint8Array, offset: number, value: number): void => {
  image.set(uintToBytes(value, 2), offset)
}

export const field = (image: Uint8Array, offset: number, length: number): Uint8Array =>
  image.slice(offset, offset + length)

export const afl = (image: Uint8Array): Uint8Array => field(image, IMAGE.afl, image[IMAGE.aflLength]!)

export const fciProprietary = (image: Uint8Array): Uint8Array =>
  field(image, IMAGE.fci, image[IMAGE.fciLength]!)

/** One stored record: its SFI, number and the record template bytes (tag 70 ...). */
export interface StoredRecord {
  readonly sfi: number
  readonly record: number
  readonly data: Uint8Array
}

/**
 * Records follow the header as [SFI, record number, length, data...]; they are few (a qPBOC
 * card has 2-4), so a linear scan is cheaper than an index in bytes.
 */
export const findRecord = (image: Uint8Array, sfi: number, record: number): Uint8Array | undefined => {
  const end = PBOC_HEADER_BYTES + readU16(image, IMAGE.recordsLength)
  for (let at = PBOC_HEADER_BYTES; at + 3 <= end; at += 3 + image[at + 2]!) {
    if (image[at] === sfi && image[at + 1] === record) return field(image, at + 3, image[at + 2]!)
  }
  return undefined
}

export const allRecords = (image: Uint8Array): StoredRecord[] => {
  const end = PBOC_HEADER_BYTES + readU16(image, IMAGE.recordsLength)
  const out: StoredRecord[] = []
  for (let at = PBOC_HEADER_BYTES; at + 3 <= end; at += 3 + image[at + 2]!) {
    out.push({ sfi: image[at]!, record: image[at + 1]!, data: field(image, at + 3, image[at + 2]!) })
  }
  return out
}

/**
 * The image with one record added or replaced, or undefined when the records area would exceed
 * RECORDS_BYTES_MAX (the applet answers 6A84, not enough memory).
 */
export const withRecord = (image: Uint8Array, rec: StoredRecord): Uint8Array | undefined => {
  const kept = allRecords(image).filter((r) => r.sfi !== rec.sfi || r.record !== rec.record)
  kept.push(rec)
  const length = kept.reduce((sum, r) => sum + 3 + r.data.length, 0)
  if (length > RECORDS_BYTES_MAX || rec.data.length > 0xff) return undefined
  const next = new Uint8Array(PBOC_HEADER_BYTES + length)
  next.set(image.subarray(0, PBOC_HEADER_BYTES))
  writeU16(next, IMAGE.recordsLength, length)
  let at = PBOC_HEADER_BYTES
  for (const r of kept) {
    next[at] = r.sfi
    next[at + 1] = r.record
    next[at + 2] = r.data.length
    next.set(r.data, at + 3)
    at += 3 + r.data.length
  }
  return next
}
