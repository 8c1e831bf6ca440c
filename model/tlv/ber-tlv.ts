/**
 * BER-TLV as used by ISO/IEC 7816-4 §5.2.2, EMV 4.3 Book 3 Annex B and GlobalPlatform: the codec
 * every card response, personalization record and registry entry in the twin passes through.
 *
 * Decoding follows /work/shared/vectors/README.md (`ber_tlv` kind) and PROTOCOLS.md §2.3: tags of
 * any class, constructed objects decoded recursively, short lengths and the long forms 81-84
 * (non-minimal long forms accepted, as pyemv does), no filler bytes skipped. Encoding always writes
 * the minimal length form, so encode∘decode is the identity on trees and on minimal byte strings.
 */
import { err, ok, type Result } from "../bytes/result.ts"
import { TLV_DEPTH_MAX, TLV_TAG_BYTES_MAX } from "./tlv-limits.ts"

export interface Tlv {
  /** All tag bytes as a big-endian unsigned int, e.g. 0x9F02, 0xBF0C, 0x70. */
  readonly tag: number
  /** Raw value bytes, also for constructed objects (then the encoding of `children`). */
  readonly value: Uint8Array
  /** Present iff the tag is constructed (bit 6 of its first byte). */
  readonly children?: ReadonlyArray<Tlv>
}

/**
 * The four codes of the vectors' fixed list, plus two the twin adds for its own limits
 * (tlv-limits.ts): a tag longer than TLV_TAG_BYTES_MAX and nesting deeper than TLV_DEPTH_MAX.
 * No published vector exercises the two additions.
 */
export type TlvErrorCode =
  | "truncated_tag"
  | "truncated_length"
  | "truncated_value"
  | "unsupported_length_form"
  | "tag_too_long"
  | "nesting_too_deep"

/**
 * Why an input was refused. `offset` is absolute in the decoded input and points at the start of
 * the field that could not be read: the first tag byte (truncated_tag, tag_too_long,
 * nesting_too_deep), the first length byte or where it should be (truncated_length,
 * unsupported_length_form), or the first value byte (truncated_value).
 */
export interface TlvError {
  readonly _tag: "TlvError"
  readonly code: TlvErrorCode
  readonly offset: number
  readonly message: string
}

export const tlvError = (code: TlvErrorCode, offset: number, message: string): TlvError => ({
  _tag: "TlvError",
  code,
  offset,
  message: `${message} at offset ${offset}`,
})

/** A tag read from the input and the offset just after it. */
export interface TagRead {
  readonly tag: number
  readonly next: number
}

/**
 * Reads one BER tag starting at `offset`, not reading at or past `end`. ISO 7816-4 §5.2.2.1: when
 * the low five bits of the first byte are all 1, more tag bytes follow while bit 8 is set.
 * Shared with the DOL parser, whose entries use the same tag encoding (EMV 4.3 Book 3 §5.4).
 */
export const readTag = (bytes: Uint8Array, offset: number, end: number): Result<TagRead, TlvError> => {
  const first = bytes[offset]!
  let tag = first
  let next = offset + 1
  if ((first & 0x1f) !== 0x1f) return ok({ tag, next })
  for (;;) {
    if (next >= end) return err(tlvError("truncated_tag", offset, "input ends inside a multi-byte tag"))
    if (next - offset >= TLV_TAG_BYTES_MAX) {
      return err(tlvError("tag_too_long", offset, `tag longer than ${TLV_TAG_BYTES_MAX} bytes`))
    }
    const b = bytes[next]!
    tag = tag * 256 + b
    next++
    if ((b & 0x80) === 0) return ok({ tag, next })
  }
}

interface LengthRead {
  readonly length: number
  readonly next: number
}

/** Reads a length field: 00-7F short form, 81-84 followed by 1-4 big-endian bytes. */
const readLength = (bytes: Uint8Array, offset: number, end: number): Result<LengthRead, TlvError> => {
  if (offset >= end) return err(tlvError("truncated_length", offset, "no length byte after the tag"))
  const first = bytes[offset]!
  if (first < 0x80) return ok({ length: first, next: offset + 1 })
  if (first === 0x80 || first > 0x84) {
    const what = first === 0x80 ? "indefinite length (80)" : `length form ${first.toString(16).toUpperCase()}`
    return err(tlvError("unsupported_length_form", offset, `${what} is not supported`))
  }
  const count = first - 0x80
  if (offset + 1 + count > end) {
    return err(tlvError("truncated_length", offset, `length announces ${count} bytes that are missing`))
  }
  let length = 0
  for (let i = 1; i <= count; i++) length = length * 256 + bytes[offset + i]!
  return ok({ length, next: offset + 1 + count })
}

/** Decodes a sequence of TLVs that must exactly fill bytes[start, end). */
const decodeRange = (
  bytes: Uint8Array,
  start: number,
  end: number,
  depth: number,
): Result<ReadonlyArray<Tlv>, TlvError> => {
  const items: Tlv[] = []
  let offset = start
  while (offset < end) {
    const tagRead = readTag(bytes, offset, end)
    if (!tagRead.ok) return tagRead
    const lengthRead = readLength(bytes, tagRead.value.next, end)
    if (!lengthRead.ok) return lengthRead
    const { tag } = tagRead.value
    const { length, next: valueStart } = lengthRead.value
    if (length > end - valueStart) {
      return err(
        tlvError(
          "truncated_value",
          valueStart,
          `length ${length} exceeds the ${end - valueStart} bytes left`,
        ),
      )
    }
    const valueEnd = valueStart + length
    const value = bytes.slice(valueStart, valueEnd)
    if (!isConstructedTag(tag)) {
      items.push({ tag, value })
    } else {
      if (depth >= TLV_DEPTH_MAX) {
        return err(tlvError("nesting_too_deep", offset, `constructed objects nested over ${TLV_DEPTH_MAX}`))
      }
      const children = decodeRange(bytes, valueStart, valueEnd, depth + 1)
      if (!children.ok) return children
      items.push({ tag, value, children: children.value })
    }
    offset = valueEnd
  }
  return ok(items)
}

/** Decodes a sequence of BER-TLV objects, recursively for constructed ones. Never throws. */
export const decodeTlv = (bytes: Uint8Array): Result<ReadonlyArray<Tlv>, TlvError> =>
  decodeRange(bytes, 0, bytes.length, 0)

/** Number of bytes of a tag number written big-endian without leading zero bytes. */
const tagWidth = (tag: number): number => (tag < 0x100 ? 1 : tag < 0x10000 ? 2 : tag < 0x1000000 ? 3 : 4)

/**
 * The tag's bytes. A tag that the decoder could not have produced (a first byte announcing more
 * bytes that are absent, a continuation bit on the last byte, ...) is a programmer error: encoding
 * it would write bytes that decode to something else.
 */
export const tagBytes = (tag: number): Uint8Array => {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffffff) throw new RangeError(`tag ${tag} out of range`)
  const width = tagWidth(tag)
  const out = new Uint8Array(width)
  let rest = tag
  for (let i = width - 1; i >= 0; i--) {
    out[i] = rest % 256
    rest = Math.floor(rest / 256)
  }
  const announcesMore = (out[0]! & 0x1f) === 0x1f
  let wellFormed = announcesMore === width > 1
  for (let i = 1; i < width; i++) {
    const continues = (out[i]! & 0x80) !== 0
    if (continues !== i < width - 1) wellFormed = false
  }
  if (!wellFormed) throw new RangeError(`0x${tag.toString(16).toUpperCase()} is not a well-formed BER tag`)
  return out
}

/** ISO 7816-4 §5.2.2.1: bit 6 (0x20) of the first tag byte marks a constructed object. */
export const isConstructedTag = (tag: number): boolean => {
  const first = Math.floor(tag / 256 ** (tagWidth(tag) - 1))
  return (first & 0x20) !== 0
}

/** The minimal length field: short form below 128, else 81-84 and the big-endian length. */
export const lengthBytes = (length: number): Uint8Array => {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new RangeError(`length ${length} cannot be encoded`)
  }
  if (length < 0x80) return Uint8Array.of(length)
  const count = length <= 0xff ? 1 : length <= 0xffff ? 2 : length <= 0xffffff ? 3 : 4
  const out = new Uint8Array(1 + count)
  out[0] = 0x80 + count
  let rest = length
  for (let i = count; i >= 1; i--) {
    out[i] = rest % 256
    rest = Math.floor(rest / 256)
  }
  return out
}

const isTlvList = (items: Tlv | ReadonlyArray<Tlv>): items is ReadonlyArray<Tlv> => Array.isArray(items)

/**
 * Encodes one TLV or a sequence. A constructed object is written from its `value`, which holds the
 * encoding of its children (constructed() builds it so; a decoded object keeps the bytes it came in).
 */
export const encodeTlv = (items: Tlv | ReadonlyArray<Tlv>): Uint8Array => {
  const list = isTlvList(items) ? items : [items]
  const parts: Uint8Array[] = []
  let size = 0
  for (const item of list) {
    const tag = tagBytes(item.tag)
    const length = lengthBytes(item.value.length)
    parts.push(tag, length, item.value)
    size += tag.length + length.length + item.value.length
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/**
 * A TLV from a tag and its value. For a constructed tag the value must itself be a valid TLV
 * sequence (it becomes `children`); passing anything else is a programmer error.
 */
export const tlv = (tag: number, value: Uint8Array): Tlv => {
  tagBytes(tag)
  if (!isConstructedTag(tag)) return { tag, value: value.slice() }
  const children = decodeTlv(value)
  if (!children.ok) {
    throw new RangeError(`value of constructed tag ${tag.toString(16)}: ${children.error.message}`)
  }
  return { tag, value: value.slice(), children: children.value }
}

/** A constructed TLV whose value is the encoding of `children`. */
export const constructed = (tag: number, children: ReadonlyArray<Tlv>): Tlv => {
  tagBytes(tag)
  if (!isConstructedTag(tag)) throw new RangeError(`tag ${tag.toString(16)} is primitive, not constructed`)
  return { tag, value: encodeTlv(children), children }
}

/** Depth-first (pre-order) search: an object is found before its children and before later siblings. */
export const findTag = (items: ReadonlyArray<Tlv>, tag: number): Tlv | undefined => {
  const stack: Tlv[] = [...items].reverse()
  while (stack.length > 0) {
    const item = stack.pop()!
    if (item.tag === tag) return item
    const children = item.children
    if (children !== undefined) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
  }
  return undefined
}
