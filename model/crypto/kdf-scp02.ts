/**
 * SCP02 session keys (GP Card Spec 2.2 Annex E.4.1): each session key is the TDES-CBC encryption,
 * IV zero, of constant(2) ‖ sequence counter(2) ‖ 00*12 under the matching static key
 * (PROTOCOLS.md §1.1; GlobalPlatformPro PlaintextKeys.deriveSessionKeySCP02, pySim scp.py).
 */
import type { Crypto } from "./crypto.ts"

/** GP 2.2 Annex E.4.1 derivation constants. */
export const SCP02_CONSTANTS = {
  C_MAC: Uint8Array.of(0x01, 0x01),
  R_MAC: Uint8Array.of(0x01, 0x02),
  DEK: Uint8Array.of(0x01, 0x81),
  ENC: Uint8Array.of(0x01, 0x82),
} as const

export const scp02SessionKey = (
  crypto: Crypto,
  staticKey: Uint8Array,
  constant: Uint8Array,
  sequenceCounter: Uint8Array,
): Uint8Array => {
  if (constant.length !== 2) throw new RangeError(`an SCP02 constant has 2 bytes, not ${constant.length}`)
  if (sequenceCounter.length !== 2) {
    throw new RangeError(`an SCP02 sequence counter has 2 bytes, not ${sequenceCounter.length}`)
  }
  const derivation = new Uint8Array(16)
  derivation.set(constant, 0)
  derivation.set(sequenceCounter, 2)
  return crypto.encryptCbc("TDES", staticKey, new Uint8Array(8), derivation)
}

export interface Scp02StaticKeys {
  readonly enc: Uint8Array
  readonly mac: Uint8Array
  readonly dek: Uint8Array
}

export interface Scp02SessionKeys {
  readonly sEnc: Uint8Array
  readonly sMac: Uint8Array
  readonly sRmac: Uint8Array
  readonly sDek: Uint8Array
}

/** C-MAC and R-MAC keys come from the static MAC key, S-ENC from ENC and S-DEK from DEK. */
export const scp02SessionKeys = (
  crypto: Crypto,
  keys: Scp02StaticKeys,
  sequenceCounter: Uint8Array,
): Scp02SessionKeys => ({
  sEnc: scp02SessionKey(crypto, keys.enc, SCP02_CONSTANTS.ENC, sequenceCounter),
  sMac: scp02SessionKey(crypto, keys.mac, SCP02_CONSTANTS.C_MAC, sequenceCounter),
  sRmac: scp02SessionKey(crypto, keys.mac, SCP02_CONSTANTS.R_MAC, sequenceCounter),
  sDek: scp02SessionKey(crypto, keys.dek, SCP02_CONSTANTS.DEK, sequenceCounter),
})
