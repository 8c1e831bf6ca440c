/**
 * ISO/IEC 7816-4 command APDUs (§5.1 "Command-response pairs"): the four cases in short and
 * extended form. The encoder picks the form from the content; the decoder recognizes the case from
 * the length alone, as a card does, and refuses an Lc that disagrees with the bytes that follow.
 */
import { err, ok, type Result } from "../bytes/result.ts"

export interface CommandApdu {
  readonly cla: number
  readonly ins: number
  readonly p1: number
  readonly p2: number
  /** Command data field; empty when absent (Lc absent). */
  readonly data: Uint8Array
  /** Expected response length: null = absent; 1..256 short (256 encoded as 00), up to 65536 extended. */
  readonly le: number | null
}

/**
 * Why bytes are not a command (or a response) APDU. `offset` is where the problem was found.
 * Reasons used by the codecs: "too-short", "lc-mismatch", "extended-lc-zero",
 * "malformed-extended-length"; the transmit loop adds "get-response-rounds-exceeded" and
 * "wrong-le-rounds-exceeded" (chaining.ts).
 */
export interface ApduError {
  readonly _tag: "ApduError"
  readonly reason: string
  readonly offset: number
  readonly message: string
}

export const apduError = (reason: string, offset: number, message: string): ApduError => ({
  _tag: "ApduError",
  reason,
  offset,
  message,
})

/** Largest Nc and Ne of an extended APDU (ISO 7816-4 §5.1: Lc 3 bytes, Le up to 65536 as 0000). */
export const DATA_BYTES_MAX = 65535
export const LE_MAX = 65536
/** Largest Nc and Ne that the short form carries. */
export const SHORT_DATA_BYTES_MAX = 255
export const SHORT_LE_MAX = 256

const assertByte = (name: string, value: number): void => {
  if (!Number.isInteger(value) || value < 0 || value > 0xff)
    throw new RangeError(`${name} ${value} is not a byte`)
}

/** Builds a command; out-of-range fields are programmer errors. */
export const command = (
  cla: number,
  ins: number,
  p1: number,
  p2: number,
  data: Uint8Array = new Uint8Array(0),
  le: number | null = null,
): CommandApdu => {
  assertByte("CLA", cla)
  assertByte("INS", ins)
  assertByte("P1", p1)
  assertByte("P2", p2)
  if (data.length > DATA_BYTES_MAX) throw new RangeError(`${data.length} data bytes exceed ${DATA_BYTES_MAX}`)
  if (le !== null && (!Number.isInteger(le) || le < 1 || le > LE_MAX)) {
    throw new RangeError(`Le ${le} outside 1..${LE_MAX} (use null for no Le)`)
  }
  return { cla, ins, p1, p2, data: data.slice(), le }
}

/** True when the command needs the extended form (ISO 7816-4 §5.1: Nc > 255 or Ne > 256). */
export const isExtended = (c: CommandApdu): boolean =>
  c.data.length > SHORT_DATA_BYTES_MAX || (c.le ?? 0) > SHORT_LE_MAX

/**
 * Encodes cases 1, 2S, 3S, 4S, 2E, 3E, 4E (ISO 7816-4 §5.1). In the extended form one 00 byte
 * precedes the first length field, Lc takes two bytes after it, and Le two bytes (0000 = 65536);
 * both lengths use the same form, as the standard requires.
 */
export const encodeCommand = (c: CommandApdu): Uint8Array => {
  const extended = isExtended(c)
  const nc = c.data.length
  const lcSize = nc === 0 ? 0 : extended ? 3 : 1
  const leSize = c.le === null ? 0 : extended ? (nc === 0 ? 3 : 2) : 1
  const out = new Uint8Array(4 + lcSize + nc + leSize)
  out[0] = c.cla
  out[1] = c.ins
  out[2] = c.p1
  out[3] = c.p2
  let offset = 4
  if (nc > 0) {
    if (extended) {
      out[offset++] = 0
      out[offset++] = nc >> 8
    }
    out[offset++] = nc & 0xff
    out.set(c.data, offset)
    offset += nc
  }
  if (c.le !== null) {
    const le = c.le === (extended ? LE_MAX : SHORT_LE_MAX) ? 0 : c.le
    if (extended) {
      if (nc === 0) out[offset++] = 0
      out[offset++] = le >> 8
    }
    out[offset++] = le & 0xff
  }
  return out
}

const header = (bytes: Uint8Array) => ({ cla: bytes[0]!, ins: bytes[1]!, p1: bytes[2]!, p2: bytes[3]! })

/** Decodes the body after a 00 byte at offset 4: cases 2E, 3E, 4E (ISO 7816-4 §5.1, Table 1). */
const decodeExtended = (bytes: Uint8Array): Result<CommandApdu, ApduError> => {
  const length = bytes.length
  const first = (bytes[5]! << 8) | bytes[6]!
  if (length === 7) return ok({ ...header(bytes), data: new Uint8Array(0), le: first === 0 ? LE_MAX : first })
  if (first === 0) return err(apduError("extended-lc-zero", 5, "extended Lc of 0000 at offset 5"))
  const nc = first
  if (length === 7 + nc) return ok({ ...header(bytes), data: bytes.slice(7, 7 + nc), le: null })
  if (length === 9 + nc) {
    const le = (bytes[7 + nc]! << 8) | bytes[8 + nc]!
    return ok({ ...header(bytes), data: bytes.slice(7, 7 + nc), le: le === 0 ? LE_MAX : le })
  }
  return err(
    apduError(
      "lc-mismatch",
      4,
      `extended Lc ${nc} at offset 4 needs ${7 + nc} or ${9 + nc} bytes, the APDU has ${length}`,
    ),
  )
}

/**
 * Recognizes the case from the length (ISO 7816-4 §5.1): 4 bytes case 1; 5 bytes case 2S; a
 * non-zero byte at offset 4 is a short Lc (case 3S or, with one more byte, 4S); a zero byte there
 * with at least 7 bytes opens the extended form. Anything else names the offset where it breaks.
 */
export const decodeCommand = (bytes: Uint8Array): Result<CommandApdu, ApduError> => {
  const length = bytes.length
  if (length < 4) {
    return err(apduError("too-short", length, `a command APDU needs 4 header bytes, got ${length}`))
  }
  if (length === 4) return ok({ ...header(bytes), data: new Uint8Array(0), le: null })
  const b4 = bytes[4]!
  if (length === 5) return ok({ ...header(bytes), data: new Uint8Array(0), le: b4 === 0 ? SHORT_LE_MAX : b4 })
  if (b4 === 0) {
    if (length >= 7) return decodeExtended(bytes)
    return err(
      apduError(
        "malformed-extended-length",
        4,
        `00 at offset 4 opens an extended length, but only ${length} bytes`,
      ),
    )
  }
  const nc = b4
  if (length === 5 + nc) return ok({ ...header(bytes), data: bytes.slice(5, 5 + nc), le: null })
  if (length === 6 + nc) {
    const le = bytes[5 + nc]!
    return ok({ ...header(bytes), data: bytes.slice(5, 5 + nc), le: le === 0 ? SHORT_LE_MAX : le })
  }
  return err(
    apduError(
      "lc-mismatch",
      4,
      `Lc ${nc} at offset 4 needs ${5 + nc} or ${6 + nc} bytes, the APDU has ${length}`,
    ),
  )
}
