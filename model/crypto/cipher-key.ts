/**
 * Key lengths each block cipher accepts, checked in one place so that both crypto layers refuse the
 * same wrong keys with the same message (a wrong key length is a programmer error, crypto.ts).
 */
import type { BlockCipherName } from "./crypto.ts"

const KEY_BYTES: Readonly<Record<BlockCipherName, ReadonlyArray<number>>> = {
  DES: [8],
  // NIST SP 800-67 Rev. 2 §3.1: keying option 2 (K1‖K2, K3 = K1) and keying option 1 (K1‖K2‖K3).
  TDES: [16, 24],
  // FIPS 197 §5: AES-128, AES-192, AES-256.
  AES: [16, 24, 32],
  // GB/T 32907-2016 §5: a 128-bit key.
  SM4: [16],
}

export const assertKeyBytes = (cipher: BlockCipherName, key: Uint8Array): void => {
  const allowed = KEY_BYTES[cipher]
  if (!allowed.includes(key.length)) {
    throw new RangeError(`a ${cipher} key has ${allowed.join(" or ")} bytes, not ${key.length}`)
  }
}
