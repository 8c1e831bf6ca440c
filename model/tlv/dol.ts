/**
 * Data Object Lists (PDOL 9F38, CDOL1 8C, CDOL2 8D, DDOL 9F49): a list of tag + one length byte
 * with no values (EMV 4.3 Book 3 §5.4). The terminal builds the command data from it
 * (buildDolData); the card reads the same data back by position (splitDolData).
 */
import { err, ok, type Result } from "../bytes/result.ts"
import { isConstructedTag, readTag, type TlvError, tlvError } from "./ber-tlv.ts"

export interface DolEntry {
  readonly tag: number
  readonly length: number
}

/**
 * Parses a DOL. Tags use the BER-TLV tag encoding; each is followed by exactly one length byte
 * (EMV 4.3 Book 3 §5.4). Each entry consumes at least two bytes, so the input bounds the loop.
 * Never throws.
 */
export const parseDol = (bytes: Uint8Array): Result<ReadonlyArray<DolEntry>, TlvError> => {
  const entries: DolEntry[] = []
  let offset = 0
  while (offset < bytes.length) {
    const tagRead = readTag(bytes, offset, bytes.length)
    if (!tagRead.ok) return tagRead
    const lengthAt = tagRead.value.next
    if (lengthAt >= bytes.length)
      return err(tlvError("truncated_length", lengthAt, "DOL entry has no length byte"))
    entries.push({ tag: tagRead.value.tag, length: bytes[lengthAt]! })
    offset = lengthAt + 1
  }
  return ok(entries)
}

/** The DOL bytes of a list of entries (for personalization and tests). */
export const encodeDol = (entries: ReadonlyArray<DolEntry>): Uint8Array => {
  const out: number[] = []
  for (const { tag, length } of entries) {
    if (!Number.isInteger(length) || length < 0 || length > 0xff) throw new RangeError(`DOL length ${length}`)
    const bytes: number[] = []
    let rest = tag
    do {
      bytes.unshift(rest % 256)
      rest = Math.floor(rest / 256)
    } while (rest > 0)
    out.push(...bytes, length)
  }
  return Uint8Array.from(out)
}

/**
 * How a value is padded or truncated to its DOL length (EMV 4.3 Book 3 §5.4 c-d): numeric `n`
 * keeps its rightmost bytes and pads with leading 00; compressed numeric `cn` keeps its leftmost
 * bytes and pads with trailing FF; every other format (an, ans, b) keeps its leftmost bytes and
 * pads with trailing 00.
 */
export type DolFormat = "n" | "cn" | "other"

/**
 * Format `n` data elements a terminal or card is asked for in the twin's DOLs (EMV 4.3 Book 3
 * Annex A; PBOC e-cash amounts per PROTOCOLS.md §2.2). Tags not listed are treated as b/an/ans.
 */
const NUMERIC_TAGS: ReadonlySet<number> = new Set([
  0x9f02, 0x9f03, 0x5f2a, 0x5f36, 0x9f1a, 0x9a, 0x9c, 0x9f21, 0x9f41, 0x5f24, 0x5f25, 0x5f28, 0x9f42, 0x9f44,
  0x5f34, 0x9f15, 0x9f35, 0x9f11, 0x9f39, 0x9f3c, 0x9f3d, 0x9f79, 0x9f77, 0x9f78, 0x9f6d, 0x9f7b,
])

/** Compressed numeric (cn) elements: the PAN and track 2 discretionary data (Book 3 Annex A). */
const COMPRESSED_NUMERIC_TAGS: ReadonlySet<number> = new Set([0x5a, 0x9f20])

export const dolFormatOf = (tag: number): DolFormat =>
  NUMERIC_TAGS.has(tag) ? "n" : COMPRESSED_NUMERIC_TAGS.has(tag) ? "cn" : "other"

/** Fits a value to `length` bytes by the §5.4 c-d rules for its format. */
export const fitDolValue = (value: Uint8Array, length: number, format: DolFormat): Uint8Array => {
  if (value.length === length) return value.slice()
  const out = new Uint8Array(length)
  if (format === "n") {
    // Rightmost bytes kept (leading digits dropped), leading zeros added.
    const take = Math.min(value.length, length)
    out.set(value.subarray(value.length - take), length - take)
    return out
  }
  if (format === "cn") out.fill(0xff)
  out.set(value.subarray(0, Math.min(value.length, length)), 0)
  return out
}

/**
 * Concatenates the values the DOL asks for (EMV 4.3 Book 3 §5.4). A tag the lookup does not know,
 * and a constructed tag, give `length` zero bytes (rules a, b, e); a known value is truncated or
 * padded by its format (rules c, d).
 */
export const buildDolData = (
  dol: ReadonlyArray<DolEntry>,
  lookup: (tag: number) => Uint8Array | undefined,
  formatOf: (tag: number) => DolFormat = dolFormatOf,
): Uint8Array => {
  let size = 0
  for (const entry of dol) size += entry.length
  const out = new Uint8Array(size)
  let offset = 0
  for (const { tag, length } of dol) {
    const value = isConstructedTag(tag) ? undefined : lookup(tag)
    if (value !== undefined) out.set(fitDolValue(value, length, formatOf(tag)), offset)
    offset += length
  }
  return out
}

/** Why DOL-formatted data does not match its DOL; `offset` is in the data. */
export interface DolDataError {
  readonly _tag: "DolDataError"
  readonly reason: "too-short" | "too-long"
  readonly offset: number
  readonly message: string
}

/**
 * Reads DOL-formatted data back into values by tag, as the card does with GPO and GENERATE AC data.
 * The data must have exactly the DOL's total length. A tag listed twice keeps its first value.
 */
export const splitDolData = (
  dol: ReadonlyArray<DolEntry>,
  data: Uint8Array,
): Result<Map<number, Uint8Array>, DolDataError> => {
  const values = new Map<number, Uint8Array>()
  let offset = 0
  for (const { tag, length } of dol) {
    if (offset + length > data.length) {
      const message = `data ends at ${data.length}, tag ${tag.toString(16).toUpperCase()} needs ${length} bytes at offset ${offset}`
      return err({ _tag: "DolDataError", reason: "too-short", offset, message })
    }
    if (!values.has(tag)) values.set(tag, data.slice(offset, offset + length))
    offset += length
  }
  if (offset !== data.length) {
    const message = `DOL covers ${offset} bytes, data has ${data.length} (extra bytes from offset ${offset})`
    return err({ _tag: "DolDataError", reason: "too-long", offset, message })
  }
  return ok(values)
}
