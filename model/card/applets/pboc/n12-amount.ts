/**
 * Amounts in EMV format n12: 12 decimal digits packed BCD in 6 bytes (EMV 4.3 Book 3 §4.3,
 * Annex A1: 9F02 Amount Authorised, and PBOC's e-cash amounts 9F79 9F77 9F78 9F6D). Values are
 * integer fen (DESIGN.md §4), at most 999 999 999 999, which a `number` holds exactly.
 */
import { err, ok, type Result } from "../../../bytes/result.ts"

export const N12_BYTES = 6
export const N12_FEN_MAX = 999_999_999_999

export interface AmountError {
  readonly _tag: "AmountError"
  readonly offset: number
  readonly message: string
}

/** Decodes 6 BCD bytes; a nibble above 9 or a wrong length is refused with its byte offset. */
export const decodeN12 = (bytes: Uint8Array): Result<number, AmountError> => {
  if (bytes.length !== N12_BYTES) {
    return err({ _tag: "AmountError", offset: 0, message: `n12 amount needs 6 bytes, got ${bytes.length}` })
  }
  let value = 0
  for (let i = 0; i < N12_BYTES; i++) {
    const b = bytes[i]!
    const hi = b >> 4
    const lo = b & 0x0f
    if (hi > 9 || lo > 9) {
      return err({ _tag: "AmountError", offset: i, message: `not a BCD digit pair at byte ${i}` })
    }
    value = value * 100 + hi * 10 + lo
  }
  return ok(value)
}

/** Encodes integer fen; a value outside 0..N12_FEN_MAX is a programmer error. */
export const encodeN12 = (fen: number): Uint8Array => {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen > N12_FEN_MAX) {
    throw new RangeError(`${fen} fen does not fit n12`)
  }
  const out = new Uint8Array(N12_BYTES)
  let rest = fen
  for (let i = N12_BYTES - 1; i >= 0; i--) {
    const pair = rest % 100
    rest = Math.floor(rest / 100)
    out[i] = (Math.floor(pair / 10) << 4) | (pair % 10)
  }
  return out
}
