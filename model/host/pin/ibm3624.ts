/**
 * IBM 3624 PIN verification with an offset, the method the twin's issuer hosts use (documented
 * choice; Visa PVV is the other common one): the natural PIN is the first N digits of
 * 3DES(PVK, validation data) decimalized with the table 0123456789012345; the card's PIN is the
 * natural PIN plus the offset, digit by digit mod 10. The issuer stores only the offset, so the
 * PIN itself never rests anywhere. Validation data here: the 16 rightmost PAN digits with the
 * check digit, as hex nibbles (a common choice; the spec leaves it to the issuer).
 */
import type { Crypto } from "../../crypto/crypto.ts"

const DECIMALIZATION = "0123456789012345"

export const naturalPin = (crypto: Crypto, pvk: Uint8Array, pan: string, length: number): string => {
  const data = pan.slice(-16).padStart(16, "0")
  const block = Uint8Array.from({ length: 8 }, (_, i) => Number.parseInt(data.slice(2 * i, 2 * i + 2), 16))
  const out = crypto.encryptEcb("TDES", pvk, block)
  const hexDigits = Array.from(out, (b) => b.toString(16).padStart(2, "0")).join("")
  return Array.from(hexDigits.slice(0, length), (d) => DECIMALIZATION[Number.parseInt(d, 16)]).join("")
}

/** Digit-wise (a − b) mod 10, or (a + b) mod 10 with sign +1. */
const digitwise = (a: string, b: string, sign: 1 | -1): string =>
  Array.from(a, (d, i) => (Number(d) + sign * Number(b[i]) + 10) % 10).join("")

export const offsetFor = (crypto: Crypto, pvk: Uint8Array, pan: string, pin: string): string =>
  digitwise(pin, naturalPin(crypto, pvk, pan, pin.length), -1)

export const pinMatches = (
  crypto: Crypto,
  pvk: Uint8Array,
  pan: string,
  offset: string,
  pin: string,
): boolean =>
  pin.length === offset.length && digitwise(naturalPin(crypto, pvk, pan, offset.length), offset, 1) === pin
