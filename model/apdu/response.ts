/**
 * ISO/IEC 7816-4 response APDUs (§5.1): an optional data field followed by the status word
 * SW1-SW2, which is always present.
 */
import { err, ok, type Result } from "../bytes/result.ts"
import { type ApduError, apduError } from "./command.ts"

export interface ResponseApdu {
  readonly data: Uint8Array
  /** SW1 << 8 | SW2. */
  readonly sw: number
}

/** Builds a response; an SW outside 0000-FFFF is a programmer error. */
export const response = (data: Uint8Array, sw: number): ResponseApdu => {
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) throw new RangeError(`SW ${sw} is not two bytes`)
  return { data: data.slice(), sw }
}

export const encodeResponse = (r: ResponseApdu): Uint8Array => {
  const out = new Uint8Array(r.data.length + 2)
  out.set(r.data, 0)
  out[r.data.length] = r.sw >> 8
  out[r.data.length + 1] = r.sw & 0xff
  return out
}

/** Splits data and SW; fewer than two bytes cannot carry a status word. */
export const decodeResponse = (bytes: Uint8Array): Result<ResponseApdu, ApduError> => {
  if (bytes.length < 2) {
    return err(
      apduError("too-short", bytes.length, `a response APDU needs SW1 SW2, got ${bytes.length} bytes`),
    )
  }
  const n = bytes.length - 2
  return ok({ data: bytes.slice(0, n), sw: (bytes[n]! << 8) | bytes[n + 1]! })
}
