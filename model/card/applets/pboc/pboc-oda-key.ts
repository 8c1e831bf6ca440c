/**
 * The ICC private key for fDDA and DDA inside the applet image, as an internal record under SFI 0
 * (which READ RECORD never returns): record 1 = algorithm 01 ‖ part length L ‖ p ‖ q for RSA, or
 * 04 ‖ the SM2 scalar. They arrive as DGIs 8101 and, for RSA, 8102 = dp ‖ dq ‖ qInv (pboc-
 * constants.ts), split so that each fits one short STORE DATA with secure messaging.
 *
 * Compact by design (DESIGN.md §4: ≤ 1 KiB per card): the card keeps only p and q and derives the
 * modulus p·q and the CRT parts dp, dq, qInv (exponent 3) when it signs, so 8102 is checked
 * against what the card derives and then not stored — 3·L bytes (144 for a 768-bit key) saved.
 */
import { concat, equals } from "../../../bytes/bytes.ts"
import { type RsaPrivateKey, rsaKeyFromPrimes } from "../../../crypto/rsa.ts"
import { findRecord } from "./pboc-image.ts"
import { ODA_ALGORITHM } from "./pboc-oda.ts"

export const ICC_KEY_SFI = 0
const SM2_KEY_BYTES = 32
/** The ICC RSA public exponent the twin's issuers use (9F47 = 03, issuer-oda.ts). */
const ICC_EXPONENT = Uint8Array.of(0x03)
/** CRT parts of 32..64 bytes: ICC moduli of 512..1024 bits. */
const CRT_PART_BYTES_MIN = 32
const CRT_PART_BYTES_MAX = 64

const zeroTail = (plain: Uint8Array, length: number): boolean =>
  plain.length >= length && plain.subarray(length).every((b) => b === 0)

/** DGI 8101's record (algorithm, [L,] p q or the scalar), or undefined when malformed. */
export const keyRecord1 = (plain: Uint8Array): Uint8Array | undefined => {
  if (plain[0] === ODA_ALGORITHM.sm2)
    return zeroTail(plain, 1 + SM2_KEY_BYTES) ? plain.slice(0, 1 + SM2_KEY_BYTES) : undefined
  const part = plain[1] ?? 0
  if (plain[0] !== ODA_ALGORITHM.rsa || part < CRT_PART_BYTES_MIN || part > CRT_PART_BYTES_MAX)
    return undefined
  return zeroTail(plain, 2 + 2 * part) ? plain.slice(0, 2 + 2 * part) : undefined
}

/** DGI 8102's record (dp dq qInv), given record 1 of an RSA key; undefined when malformed. */
export const keyRecord2 = (record1: Uint8Array | undefined, plain: Uint8Array): Uint8Array | undefined => {
  if (record1?.[0] !== ODA_ALGORITHM.rsa) return undefined
  const length = 3 * record1[1]!
  return zeroTail(plain, length) ? plain.slice(0, length) : undefined
}

export type IccPrivateKey =
  | { readonly algorithm: "rsa"; readonly key: RsaPrivateKey }
  | { readonly algorithm: "sm2"; readonly scalar: Uint8Array }

/** The RSA key of record 1 (01 ‖ L ‖ p ‖ q), its CRT parts derived (rsaKeyFromPrimes). */
const rsaKeyOfRecord = (record1: Uint8Array): RsaPrivateKey => {
  const part = record1[1]!
  return rsaKeyFromPrimes(record1.slice(2, 2 + part), record1.slice(2 + part, 2 + 2 * part), ICC_EXPONENT)
}

export const iccPrivateKey = (image: Uint8Array): IccPrivateKey | undefined => {
  const record1 = findRecord(image, ICC_KEY_SFI, 1)
  if (record1 === undefined) return undefined
  if (record1[0] === ODA_ALGORITHM.sm2) return { algorithm: "sm2", scalar: record1.slice(1) }
  return { algorithm: "rsa", key: rsaKeyOfRecord(record1) }
}

/** 8102 must hold the CRT parts of 8101's primes: the card derives them and checks what it was sent. */
export const crtMatches = (record1: Uint8Array, record2: Uint8Array): boolean => {
  const key = rsaKeyOfRecord(record1)
  return equals(concat(key.dp, key.dq, key.qInv), record2)
}
