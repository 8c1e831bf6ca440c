/**
 * ISO 9564-1 PIN block format 0 (ANSI X9.8): the clear block is
 *   0 ‖ N ‖ PIN digits ‖ F padding  (16 nibbles)   XOR   0000 ‖ the 12 rightmost PAN digits
 *   excluding the check digit,
 * then encrypted under a PIN encryption key (3DES). Only the twin's terminals, acquirer HSM and
 * issuer host build and read it; the card never sees an online PIN.
 */
import type { Crypto } from "./crypto.ts"

export const PIN_DIGITS_MIN = 4
export const PIN_DIGITS_MAX = 12

const nibbles = (text: string): Uint8Array =>
  Uint8Array.from({ length: 8 }, (_, i) => Number.parseInt(text.slice(2 * i, 2 * i + 2), 16))

/** 0000 ‖ the 12 PAN digits left of the check digit (Book: ISO 9564-1 §9.3.1). */
const panBlock = (pan: string): Uint8Array => {
  if (!/^[0-9]{13,19}$/.test(pan)) throw new RangeError(`PAN of 13 to 19 digits, not ${pan}`)
  return nibbles(`0000${pan.slice(-13, -1)}`)
}

export const clearPinBlockFormat0 = (pin: string, pan: string): Uint8Array => {
  if (!/^[0-9]+$/.test(pin) || pin.length < PIN_DIGITS_MIN || pin.length > PIN_DIGITS_MAX)
    throw new RangeError(`a PIN has ${PIN_DIGITS_MIN} to ${PIN_DIGITS_MAX} digits`)
  const pinField = nibbles(`0${pin.length.toString(16)}${pin}`.padEnd(16, "F"))
  const account = panBlock(pan)
  return pinField.map((b, i) => b ^ account[i]!)
}

export const encryptPinBlock = (crypto: Crypto, key: Uint8Array, pin: string, pan: string): Uint8Array =>
  crypto.encryptEcb("TDES", key, clearPinBlockFormat0(pin, pan))

/** The PIN inside a clear format-0 block, or null when the block is not well formed. */
export const pinOfClearBlock = (clear: Uint8Array, pan: string): string | null => {
  const account = panBlock(pan)
  const text = Array.from(clear, (b, i) => (b ^ account[i]!).toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase()
  const length = Number.parseInt(text[1]!, 16)
  if (text[0] !== "0" || length < PIN_DIGITS_MIN || length > PIN_DIGITS_MAX) return null
  const pin = text.slice(2, 2 + length)
  const padding = text.slice(2 + length)
  return /^[0-9]+$/.test(pin) && /^F*$/.test(padding) ? pin : null
}
