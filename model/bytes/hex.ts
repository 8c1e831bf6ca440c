import { err, ok, type Result, unwrap } from "./result.ts"

/** Why a hex string was refused, with the character offset of the first problem. */
export interface HexError {
  readonly _tag: "HexError"
  readonly reason: "odd-length" | "invalid-character"
  readonly offset: number
  readonly message: string
}

const hexError = (reason: HexError["reason"], offset: number, message: string): HexError => ({
  _tag: "HexError",
  reason,
  offset,
  message,
})

const DIGITS = "0123456789ABCDEF"

// Lookup tables built once: nibble value per char code (-1 = not hex), and the two-char form per byte.
const NIBBLE = new Int8Array(128).fill(-1)
for (let i = 0; i < 16; i++) {
  NIBBLE[DIGITS.charCodeAt(i)] = i
  NIBBLE[DIGITS.toLowerCase().charCodeAt(i)] = i
}
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, b) => DIGITS[b >> 4]! + DIGITS[b & 15]!)

/**
 * Parses hex text (upper or lower case, no separators) into bytes. Whitespace is not accepted:
 * vector files and scenario fields carry compact hex, and silently skipping characters would hide
 * a corrupted field.
 */
export const parseHex = (text: string): Result<Uint8Array, HexError> => {
  if (text.length % 2 !== 0) {
    return err(hexError("odd-length", text.length, `hex has an odd number of digits (${text.length})`))
  }
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < text.length; i += 2) {
    const hi = nibbleAt(text, i)
    const lo = nibbleAt(text, i + 1)
    if (hi < 0 || lo < 0) {
      const offset = hi < 0 ? i : i + 1
      return err(
        hexError(
          "invalid-character",
          offset,
          `not a hex digit ${JSON.stringify(text[offset])} at offset ${offset}`,
        ),
      )
    }
    out[i >> 1] = (hi << 4) | lo
  }
  return ok(out)
}

const nibbleAt = (text: string, index: number): number => {
  const code = text.charCodeAt(index)
  return code < 128 ? NIBBLE[code]! : -1
}

/** Hex for constants written in the code: a malformed literal is a programmer error. */
export const hex = (text: string): Uint8Array => unwrap(parseHex(text), "hex literal")

/** Upper-case hex, two digits per byte, as in the vectors and in GP/EMV documents. */
export const toHex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_HEX[bytes[i]!]
  return out
}
