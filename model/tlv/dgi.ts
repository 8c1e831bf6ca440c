/**
 * Data Grouping Identifiers, the record format of EMV personalization data (EMV Card
 * Personalization Specification v1.1, "Data Grouping": DGI format) carried by GP STORE DATA with
 * P1 structure bits 08 (PROTOCOLS.md §1.4): a 2-byte DGI, a length of one byte (00-FE) or FF
 * followed by two bytes, then the data. Unlike BER-TLV there is no nesting and no tag structure.
 */
import { err, ok, type Result } from "../bytes/result.ts"
import { type TlvError, tlvError } from "./ber-tlv.ts"

export interface Dgi {
  readonly dgi: number
  readonly value: Uint8Array
}

/** The largest value a DGI length can state (FF + two bytes). */
export const DGI_VALUE_BYTES_MAX = 0xffff

/**
 * Decodes a sequence of DGIs. Errors reuse the BER-TLV codes and offsets: truncated_tag (fewer
 * than two DGI bytes), truncated_length (no length byte, or FF without its two bytes),
 * truncated_value. Non-minimal FF lengths (FF 00 05) are accepted. Never throws.
 */
export const decodeDgi = (bytes: Uint8Array): Result<ReadonlyArray<Dgi>, TlvError> => {
  const groups: Dgi[] = []
  let offset = 0
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length) return err(tlvError("truncated_tag", offset, "input ends inside a DGI"))
    const dgi = (bytes[offset]! << 8) | bytes[offset + 1]!
    const lengthAt = offset + 2
    if (lengthAt >= bytes.length)
      return err(tlvError("truncated_length", lengthAt, "no length byte after the DGI"))
    let length = bytes[lengthAt]!
    let valueStart = lengthAt + 1
    if (length === 0xff) {
      if (lengthAt + 3 > bytes.length) {
        return err(tlvError("truncated_length", lengthAt, "FF length without its two bytes"))
      }
      length = (bytes[lengthAt + 1]! << 8) | bytes[lengthAt + 2]!
      valueStart = lengthAt + 3
    }
    if (valueStart + length > bytes.length) {
      return err(
        tlvError(
          "truncated_value",
          valueStart,
          `length ${length} exceeds the ${bytes.length - valueStart} bytes left`,
        ),
      )
    }
    groups.push({ dgi, value: bytes.slice(valueStart, valueStart + length) })
    offset = valueStart + length
  }
  return ok(groups)
}

/** Encodes one DGI with the shortest length form. */
export const encodeDgi = (dgi: number, value: Uint8Array): Uint8Array => {
  if (!Number.isInteger(dgi) || dgi < 0 || dgi > 0xffff) throw new RangeError(`DGI ${dgi} is not two bytes`)
  if (value.length > DGI_VALUE_BYTES_MAX)
    throw new RangeError(`DGI value of ${value.length} bytes is too long`)
  const lengthSize = value.length < 0xff ? 1 : 3
  const out = new Uint8Array(2 + lengthSize + value.length)
  out[0] = dgi >> 8
  out[1] = dgi & 0xff
  if (lengthSize === 1) {
    out[2] = value.length
  } else {
    out[2] = 0xff
    out[3] = value.length >> 8
    out[4] = value.length & 0xff
  }
  out.set(value, 2 + lengthSize)
  return out
}

/** Encodes a sequence of DGIs, as one STORE DATA block or a personalization file holds them. */
export const encodeDgiList = (groups: ReadonlyArray<Dgi>): Uint8Array => {
  const parts = groups.map((g) => encodeDgi(g.dgi, g.value))
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
