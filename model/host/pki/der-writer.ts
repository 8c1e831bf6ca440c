/**
 * A DER writer for the few ASN.1 types an X.509 certificate needs (ITU-T X.690 §8 basic rules with
 * the §10-11 DER restrictions: definite minimal lengths, minimal INTEGERs, SET OF sorted). The
 * reader lives in model/crypto/x509; this writer sits with the PKI that issues certificates, so
 * the crypto layer stays a consumer of certificates only.
 *
 * Every function returns the complete encoding (identifier, length, contents) so they nest like
 * the ASN.1 they mirror. Wrong arguments are programmer errors and throw.
 */
import { concat } from "../../bytes/bytes.ts"
import { DER_TAG } from "../../crypto/x509/der-tags.ts"

/** Far above any certificate the twin writes; a longer element means a caller bug. */
export const DER_ELEMENT_BYTES_MAX = 1 << 20

/** X.690 §8.1.3: short form below 128, else 0x80|n followed by n big-endian length octets. */
export const derLength = (length: number): Uint8Array => {
  if (!Number.isSafeInteger(length) || length < 0 || length > DER_ELEMENT_BYTES_MAX) {
    throw new RangeError(`DER length ${length} outside 0..${DER_ELEMENT_BYTES_MAX}`)
  }
  if (length < 0x80) return Uint8Array.of(length)
  const octets: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256)
  return Uint8Array.of(0x80 | octets.length, ...octets)
}

/** One element with a single-octet identifier (every tag the certificate profile uses). */
export const derElement = (tag: number, contents: Uint8Array): Uint8Array => {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new RangeError(`tag ${tag} is not a single-octet identifier`)
  }
  return concat(Uint8Array.of(tag), derLength(contents.length), contents)
}

export const derSequence = (...members: ReadonlyArray<Uint8Array>): Uint8Array =>
  derElement(DER_TAG.SEQUENCE, concat(...members))

/** X.690 §11.6: the members of a SET OF are ordered by their encodings as octet strings. */
export const derSetOf = (...members: ReadonlyArray<Uint8Array>): Uint8Array =>
  derElement(DER_TAG.SET, concat(...[...members].sort(compareOctets)))

const compareOctets = (a: Uint8Array, b: Uint8Array): number => {
  const shared = Math.min(a.length, b.length)
  for (let i = 0; i < shared; i++) {
    const difference = (a[i] as number) - (b[i] as number)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

/** X.690 §8.2 and §11.1: TRUE is FF in DER. */
export const derBoolean = (value: boolean): Uint8Array =>
  derElement(DER_TAG.BOOLEAN, Uint8Array.of(value ? 0xff : 0x00))

/**
 * X.690 §8.3: two's complement in the fewest octets, so a non-negative value whose top bit is set
 * gets a leading 00. Only non-negative values occur in certificates (serials, r, s, version).
 */
export const derInteger = (value: bigint): Uint8Array => {
  if (value < 0n) throw new RangeError("negative INTEGER is not used by the certificate profile")
  const octets: number[] = []
  for (let rest = value; rest > 0n; rest >>= 8n) octets.unshift(Number(rest & 0xffn))
  if (octets.length === 0 || (octets[0] as number) >= 0x80) octets.unshift(0)
  return derElement(DER_TAG.INTEGER, Uint8Array.from(octets))
}

/** X.690 §8.6: the first contents octet counts the unused bits of the last octet. */
export const derBitString = (bits: Uint8Array, unusedBits = 0): Uint8Array => {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7) {
    throw new RangeError(`unused bits ${unusedBits} outside 0..7`)
  }
  if (bits.length === 0 && unusedBits !== 0) throw new RangeError("empty BIT STRING with unused bits")
  return derElement(DER_TAG.BIT_STRING, concat(Uint8Array.of(unusedBits), bits))
}

/**
 * A named-bit BIT STRING (X.690 §11.2.2: trailing zero bits removed) from the numbers of the set
 * bits, bit 0 being the most significant bit of the first octet, as RFC 5280 numbers KeyUsage.
 */
export const derNamedBits = (setBits: ReadonlyArray<number>): Uint8Array => {
  if (setBits.length === 0) return derBitString(new Uint8Array(0))
  const highest = Math.max(...setBits)
  const octets = new Uint8Array(Math.floor(highest / 8) + 1)
  for (const bit of setBits) {
    octets[bit >> 3] = (octets[bit >> 3] as number) | (0x80 >> (bit & 7))
  }
  return derBitString(octets, 7 - (highest & 7))
}

export const derOctetString = (value: Uint8Array): Uint8Array => derElement(DER_TAG.OCTET_STRING, value)

export const derNull = (): Uint8Array => derElement(DER_TAG.NULL, new Uint8Array(0))

/** X.690 §8.19: first two arcs as 40·a + b, every arc base-128 with continuation bits. */
export const derObjectIdentifier = (dotted: string): Uint8Array => {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new RangeError(`bad OID ${dotted}`)
  const arcs = dotted.split(".").map((arc) => BigInt(arc))
  const first = arcs[0] as bigint
  const second = arcs[1] as bigint
  if (first < 2n && second > 39n) throw new RangeError(`bad OID ${dotted}: second arc above 39`)
  const octets: number[] = []
  for (const arc of [first * 40n + second, ...arcs.slice(2)]) octets.push(...base128(arc))
  return derElement(DER_TAG.OBJECT_IDENTIFIER, Uint8Array.from(octets))
}

const base128 = (arc: bigint): number[] => {
  const groups = [Number(arc & 0x7fn)]
  for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) groups.unshift(Number(rest & 0x7fn) | 0x80)
  return groups
}

export const derUtf8String = (text: string): Uint8Array =>
  derElement(DER_TAG.UTF8_STRING, new TextEncoder().encode(text))

/** X.680 §41.4: PrintableString allows letters, digits, space and '()+,-./:=? only. */
export const derPrintableString = (text: string): Uint8Array => {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError(`"${text}" is not printable`)
  return derElement(DER_TAG.PRINTABLE_STRING, new TextEncoder().encode(text))
}

/** [n] EXPLICIT: a constructed context-specific wrapper around one complete encoding. */
export const derExplicit = (tagNumber: number, inner: Uint8Array): Uint8Array =>
  derElement(0xa0 | contextNumber(tagNumber), inner)

/** [n] IMPLICIT of a primitive type: the contents octets under a context-specific tag. */
export const derImplicitPrimitive = (tagNumber: number, contents: Uint8Array): Uint8Array =>
  derElement(0x80 | contextNumber(tagNumber), contents)

const contextNumber = (tagNumber: number): number => {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) {
    throw new RangeError(`context tag ${tagNumber} outside 0..30`)
  }
  return tagNumber
}
