/**
 * Velocity checking of consecutive offline transactions (EMV 4.3 Book 3 §10.6.3 for the terminal;
 * the card's own check as VIS/PBOC card risk management does it): the issuer personalizes the
 * lower and upper consecutive offline limits 9F14 (LCOL) and 9F23 (UCOL) in a record; the count
 * of consecutive offline transactions is the ATC minus the last online ATC register 9F13 (the
 * ATC of the last issuer-authenticated online transaction, pboc-online.ts) minus one.
 *
 * The card's rule (twin reading of PBOC card risk management): once the count of transactions
 * since the last online one reaches UCOL, the card does not approve offline — it asks for an
 * ARQC (or declines at an offline-only reader) and sets CVR byte 3 b6 "exceeded velocity checking
 * counters". Only an issuer-authenticated online transaction (the standard path: a purchase or
 * the 圈存 load) moves 9F13 and so resets the count; a qPBOC online approval has no issuer
 * authentication and does not.
 */
import { decodeTlv, findTag } from "../../../tlv/ber-tlv.ts"
import { TAG } from "./pboc-constants.ts"
import { allRecords, IMAGE, readU16 } from "./pboc-image.ts"
import { ICC_KEY_SFI } from "./pboc-oda-key.ts"

export interface VelocityLimits {
  readonly lcol: number
  readonly ucol: number
}

/**
 * The 1-byte values of `tags` from the card's readable records (undefined where absent): each
 * tag's first record with a 1-byte value, as `recordByte` finds it, with each record decoded once.
 */
const recordBytes = (image: Uint8Array, tags: ReadonlyArray<number>): Array<number | undefined> => {
  const out: Array<number | undefined> = tags.map(() => undefined)
  let missing = tags.length
  for (const r of allRecords(image)) {
    if (missing === 0) break
    if (r.sfi === ICC_KEY_SFI) continue
    const decoded = decodeTlv(r.data)
    if (!decoded.ok) continue
    for (let i = 0; i < tags.length; i++) {
      if (out[i] !== undefined) continue
      const found = findTag(decoded.value, tags[i]!)
      if (found?.value.length === 1) {
        out[i] = found.value[0]
        missing--
      }
    }
  }
  return out
}

/** A 1-byte tag value from the card's readable records, or undefined. */
export const recordByte = (image: Uint8Array, tag: number): number | undefined => recordBytes(image, [tag])[0]

const LIMIT_TAGS = [TAG.lcol, TAG.ucol]

/** LCOL and UCOL, or undefined on a card personalized without velocity limits. */
export const velocityLimits = (image: Uint8Array): VelocityLimits | undefined => {
  const [lcol, ucol] = recordBytes(image, LIMIT_TAGS)
  return lcol === undefined || ucol === undefined ? undefined : { lcol, ucol }
}

/** Consecutive offline transactions before the one in progress (whose ATC the image holds). */
export const consecutiveOffline = (image: Uint8Array): number =>
  Math.max(0, readU16(image, IMAGE.atc) - readU16(image, IMAGE.lastOnlineAtc) - 1)

/** True when the card must not approve this transaction offline. */
export const velocityExceeded = (image: Uint8Array): boolean => {
  const limits = velocityLimits(image)
  return limits !== undefined && consecutiveOffline(image) >= limits.ucol
}
