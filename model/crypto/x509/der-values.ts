/**
 * Decoders for the primitive DER values a certificate holds (ITU-T X.690 §8.3 INTEGER, §8.6 BIT
 * STRING, §8.19 OBJECT IDENTIFIER, X.680 for the string and time types). Each checks the DER
 * form it relies on and throws `DerFailure` at the element's offset otherwise.
 */
import { bytesToBigint } from "../../bytes/bytes.ts"
import { type DerElement, DerFailure, valueBytesOf } from "./der-reader.ts"
import { DER_TAG } from "./der-tags.ts"

/**
 * A non-negative INTEGER in minimal form (X.690 §8.3.2: no leading 00 unless the next byte has
 * its top bit set). Negative values are refused: serial numbers (RFC 5280 §4.1.2.2) and SM2's
 * r, s (GM/T 0009 §7.3) are positive.
 */
export const decodeUnsignedInteger = (bytes: Uint8Array, element: DerElement): bigint => {
  const value = valueBytesOf(bytes, element)
  if (value.length === 0) throw new DerFailure("bad-value", element.start, "empty INTEGER")
  if ((value[0]! & 0x80) !== 0) throw new DerFailure("bad-value", element.start, "negative INTEGER")
  if (value.length > 1 && value[0] === 0 && (value[1]! & 0x80) === 0) {
    throw new DerFailure("bad-value", element.start, "INTEGER with a superfluous leading zero")
  }
  return bytesToBigint(value)
}

/** A BIT STRING of whole bytes (unused-bits octet 0), as keys and signatures are. */
export const decodeByteAlignedBitString = (bytes: Uint8Array, element: DerElement): Uint8Array => {
  const value = valueBytesOf(bytes, element)
  if (value.length === 0 || value[0] !== 0) {
    throw new DerFailure("bad-value", element.start, "BIT STRING is not a whole number of bytes")
  }
  return value.slice(1)
}

/** OBJECT IDENTIFIER as dotted decimal (X.690 §8.19); arcs must fit a safe integer. */
export const decodeObjectIdentifier = (bytes: Uint8Array, element: DerElement): string => {
  const value = valueBytesOf(bytes, element)
  const fail = (why: string) => new DerFailure("bad-value", element.start, `OBJECT IDENTIFIER ${why}`)
  if (value.length === 0 || (value[value.length - 1]! & 0x80) !== 0) throw fail("is empty or cut off")
  const arcs: number[] = []
  let arc = 0
  for (let i = 0; i < value.length; i++) {
    const byte = value[i]!
    // §8.19.2: each arc in the fewest base-128 digits, so no leading 0x80.
    if (arc === 0 && byte === 0x80) throw fail("has a non-minimal arc")
    arc = arc * 128 + (byte & 0x7f)
    if (arc > Number.MAX_SAFE_INTEGER / 128) throw fail("arc too large")
    if ((byte & 0x80) === 0) {
      arcs.push(arc)
      arc = 0
    }
  }
  // §8.19.4: the first subidentifier packs the first two arcs as 40·X + Y.
  const first = arcs[0]!
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
  return [...head, ...arcs.slice(1)].join(".")
}

const utf8 = new TextDecoder("utf-8", { fatal: true })
const latin1 = new TextDecoder("latin1")
const utf16be = new TextDecoder("utf-16be", { fatal: true })

/** A directory string or time as text; null for a tag that is not a string type. */
export const decodeText = (bytes: Uint8Array, element: DerElement): string | null => {
  const value = valueBytesOf(bytes, element)
  try {
    switch (element.tag) {
      case DER_TAG.UTF8_STRING:
        return utf8.decode(value)
      case DER_TAG.PRINTABLE_STRING:
      case DER_TAG.IA5_STRING:
      case DER_TAG.T61_STRING:
      case DER_TAG.UTC_TIME:
      case DER_TAG.GENERALIZED_TIME:
        return latin1.decode(value)
      case DER_TAG.BMP_STRING:
        return utf16be.decode(value)
      default:
        return null
    }
  } catch {
    // A fatal TextDecoder throws a TypeError on invalid UTF-8/UTF-16: that is malformed input.
    throw new DerFailure("bad-value", element.start, "string is not valid in its encoding")
  }
}

/**
 * UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, the only forms RFC 5280 §4.1.2.5
 * allows. Kept as text: the data plane has no Date, and validity is not part of the chain check.
 */
export const decodeTime = (bytes: Uint8Array, element: DerElement): string => {
  const text = decodeText(bytes, element) ?? ""
  const pattern = element.tag === DER_TAG.UTC_TIME ? /^\d{12}Z$/ : /^\d{14}Z$/
  if ((element.tag !== DER_TAG.UTC_TIME && element.tag !== DER_TAG.GENERALIZED_TIME) || !pattern.test(text)) {
    throw new DerFailure("bad-value", element.start, "time is not UTCTime/GeneralizedTime in RFC 5280 form")
  }
  return text
}
