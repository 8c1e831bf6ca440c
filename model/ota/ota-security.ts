/**
 * The security parameters of ETSI TS 102 225 secured packets (§5.1.1-§5.1.3; 3GPP TS 31.115 §4):
 * the SPI's two octets, the KIc / KID algorithm nibbles, and the two algorithm pairs the twin
 * supports — 3DES with two keys in outer CBC mode (CC = last block of the 3DES-CBC MAC, zero IV,
 * zero padding) and AES (AES-CBC ciphering, AES-CMAC checksum truncated to 8 bytes, TS 102 225
 * §5.1.3.1). The PoR response status codes are TS 102 225 Table 5.
 */

import { cmac } from "../crypto/cmac.ts"
import type { BlockCipherName, Crypto } from "../crypto/crypto.ts"

/** What the receiving entity checks (SPI octet 1 b2-b1, TS 102 225 §5.1.1). */
export type Integrity = "none" | "rc" | "cc" | "ds"
/** SPI octet 1 b5-b4: no counter; counter present, no check; must be higher; must be exactly one higher. */
export type CounterMode = "none" | "present" | "higher" | "one-higher"
export type PorRequest = "none" | "always" | "on-error"

export interface Spi {
  readonly integrity: Integrity
  readonly ciphered: boolean
  readonly counter: CounterMode
  readonly por: PorRequest
  readonly porIntegrity: Integrity
  readonly porCiphered: boolean
  /** SPI octet 2 b6: PoR in an SMS-SUBMIT (true) or the SMS-DELIVER-REPORT (false). */
  readonly porInSubmit: boolean
}

const INTEGRITY: ReadonlyArray<Integrity> = ["none", "rc", "cc", "ds"]
const COUNTER: ReadonlyArray<CounterMode> = ["none", "present", "higher", "one-higher"]
const POR: ReadonlyArray<PorRequest> = ["none", "always", "on-error", "none"]

export const decodeSpi = (b1: number, b2: number): Spi => ({
  integrity: INTEGRITY[b1 & 0x03]!,
  ciphered: (b1 & 0x04) !== 0,
  counter: COUNTER[(b1 >> 3) & 0x03]!,
  por: POR[b2 & 0x03]!,
  porIntegrity: INTEGRITY[(b2 >> 2) & 0x03]!,
  porCiphered: (b2 & 0x10) !== 0,
  porInSubmit: (b2 & 0x20) !== 0,
})

export const encodeSpi = (s: Spi): Uint8Array =>
  Uint8Array.of(
    INTEGRITY.indexOf(s.integrity) | (s.ciphered ? 0x04 : 0) | (COUNTER.indexOf(s.counter) << 3),
    POR.indexOf(s.por) |
      (INTEGRITY.indexOf(s.porIntegrity) << 2) |
      (s.porCiphered ? 0x10 : 0) |
      (s.porInSubmit ? 0x20 : 0),
  )

/** KIc / KID low nibble (TS 102 225 §5.1.2-§5.1.3.1): 5 = 3DES 2 keys outer CBC, 2 = AES. */
export type OtaAlgorithm = "3DES" | "AES"
export const algorithmOf = (kiByte: number): OtaAlgorithm | null =>
  (kiByte & 0x0f) === 0x05 ? "3DES" : (kiByte & 0x0f) === 0x02 ? "AES" : null
export const algorithmNibble = (a: OtaAlgorithm): number => (a === "3DES" ? 0x05 : 0x02)

const cipherOf = (a: OtaAlgorithm): BlockCipherName => (a === "3DES" ? "TDES" : "AES")
export const blockBytes = (a: OtaAlgorithm): number => (a === "3DES" ? 8 : 16)

export const CC_BYTES = 8

const zeroPad = (data: Uint8Array, block: number): Uint8Array => {
  const rest = data.length % block
  if (rest === 0) return data
  const out = new Uint8Array(data.length + block - rest)
  out.set(data)
  return out
}

/** The cryptographic checksum over the given bytes (TS 102 225 §5.1.3.1). */
export const checksum = (crypto: Crypto, a: OtaAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array => {
  if (a === "AES") return cmac(crypto, "AES", key, data).subarray(0, CC_BYTES)
  const out = crypto.encryptCbc("TDES", key, new Uint8Array(8), zeroPad(data, 8))
  return out.subarray(out.length - 8)
}

export const encipher = (crypto: Crypto, a: OtaAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array =>
  crypto.encryptCbc(cipherOf(a), key, new Uint8Array(blockBytes(a)), data)

export const decipher = (crypto: Crypto, a: OtaAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array =>
  crypto.decryptCbc(cipherOf(a), key, new Uint8Array(blockBytes(a)), data)

/** Padding that brings `length` to a whole number of cipher blocks (the PCNTR, §5.1.1). */
export const paddingBytes = (length: number, a: OtaAlgorithm): number => {
  const rest = length % blockBytes(a)
  return rest === 0 ? 0 : blockBytes(a) - rest
}

/** Response status codes of the PoR (TS 102 225 Table 5). */
export const PorStatus = {
  OK: 0x00,
  RC_CC_DS_FAILED: 0x01,
  COUNTER_LOW: 0x02,
  COUNTER_HIGH: 0x03,
  COUNTER_BLOCKED: 0x04,
  CIPHERING_ERROR: 0x05,
  UNDEFINED_SECURITY_ERROR: 0x06,
  INSUFFICIENT_MEMORY: 0x07,
  MORE_TIME: 0x08,
  TAR_UNKNOWN: 0x09,
  INSUFFICIENT_SECURITY_LEVEL: 0x0a,
} as const
export type PorStatus = (typeof PorStatus)[keyof typeof PorStatus]
