/**
 * Key check values: the short fingerprints PUT KEY carries and key ceremonies compare.
 * PROTOCOLS.md §1.1 records the rules with their sources.
 */
import type { Crypto } from "./crypto.ts"

const KCV_BYTES = 3

/** DES/TDES: the first 3 bytes of (T)DES-ECB(key, 00*8) (PROTOCOLS.md §1.1; GlobalPlatformPro GPCrypto). */
export const kcvDes = (crypto: Crypto, key: Uint8Array): Uint8Array => {
  const cipher = key.length === 8 ? "DES" : "TDES"
  return crypto.encryptEcb(cipher, key, new Uint8Array(8)).slice(0, KCV_BYTES)
}

/** AES: the first 3 bytes of AES(key, 01*16) (GP Card Spec 2.2 Amendment D §7.2.2). */
export const kcvAes = (crypto: Crypto, key: Uint8Array): Uint8Array =>
  crypto.encryptEcb("AES", key, new Uint8Array(16).fill(0x01)).slice(0, KCV_BYTES)

/**
 * SM4: the first 3 bytes of SM4(key, 01*16). No public GP text defines an SM4 KCV; the twin's SM4
 * profile substitutes SM4 for AES throughout SCP03 (PROTOCOLS.md §1.3), so it takes Amendment D's
 * AES rule unchanged. A profile choice, named as such, not a published rule.
 */
export const kcvSm4 = (crypto: Crypto, key: Uint8Array): Uint8Array =>
  crypto.encryptEcb("SM4", key, new Uint8Array(16).fill(0x01)).slice(0, KCV_BYTES)
