import { toHex } from "./hex.ts"

/**
 * Byte-array operations that every layer needs. Functions return fresh arrays and never mutate
 * their arguments unless the name says so (`xorInto`).
 */

export const concat = (...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

export const equals = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Compares without an early exit, so a MAC or cryptogram check does not leak through timing how
 * many leading bytes were right. (The twin runs in simulated time, but the code is meant to be
 * read as a faithful implementation.)
 */
export const equalsConstantTime = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

export const xor = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  if (a.length !== b.length) throw new RangeError(`xor of ${a.length} and ${b.length} bytes`)
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!
  return out
}

/** target ^= source over source.length bytes starting at targetOffset. */
export const xorInto = (target: Uint8Array, source: Uint8Array, targetOffset = 0): void => {
  if (targetOffset + source.length > target.length) throw new RangeError("xorInto overruns the target")
  for (let i = 0; i < source.length; i++) target[targetOffset + i]! ^= source[i]!
}

/** Big-endian unsigned integer of `width` bytes (width ≤ 6 keeps it exact in a number). */
export const uintToBytes = (value: number, width: number): Uint8Array => {
  if (!Number.isSafeInteger(value) || value < 0 || width > 6 || value >= 2 ** (8 * width)) {
    throw new RangeError(`${value} does not fit in ${width} unsigned bytes`)
  }
  const out = new Uint8Array(width)
  let rest = value
  for (let i = width - 1; i >= 0; i--) {
    out[i] = rest % 256
    rest = Math.floor(rest / 256)
  }
  return out
}

export const bytesToUint = (bytes: Uint8Array, offset = 0, width = bytes.length - offset): number => {
  if (width > 6 || offset + width > bytes.length)
    throw new RangeError(`cannot read ${width} bytes at ${offset}`)
  let value = 0
  for (let i = 0; i < width; i++) value = value * 256 + bytes[offset + i]!
  return value
}

/**
 * Big-endian, left-padded to `width` bytes. Through the hex text: one `toString(16)` costs less
 * than a BigInt shift and mask per byte (measured ~8× faster for 32 bytes).
 */
export const bigintToBytes = (value: bigint, width: number): Uint8Array => {
  const hex = value < 0n ? "" : value.toString(16)
  if (value < 0n || hex.length > 2 * width) throw new RangeError(`bigint does not fit in ${width} bytes`)
  const out = new Uint8Array(width)
  // Hex digits from the right: byte width − 1 − i takes digits at end − 2i − 2 and end − 2i − 1.
  let at = hex.length
  for (let i = width - 1; i >= 0 && at > 0; i--) {
    const low = hexValue(hex.charCodeAt(at - 1))
    const high = at >= 2 ? hexValue(hex.charCodeAt(at - 2)) : 0
    out[i] = (high << 4) | low
    at -= 2
  }
  return out
}

/** The value of a lower-case hex digit's character code (BigInt's toString(16) writes lower case). */
const hexValue = (code: number): number => (code <= 57 ? code - 48 : code - 87)

/** Big-endian. Through the hex text, like bigintToBytes: one BigInt parse instead of a shift per byte. */
export const bytesToBigint = (bytes: Uint8Array): bigint =>
  bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`)

/** Left-aligned slice with bounds checked, for parsers that have already validated lengths. */
export const slice = (bytes: Uint8Array, start: number, length: number): Uint8Array => {
  if (start < 0 || length < 0 || start + length > bytes.length) {
    throw new RangeError(`slice ${start}+${length} outside ${bytes.length} bytes`)
  }
  return bytes.slice(start, start + length)
}
