/**
 * The SCP03 key derivation function (GP Card Spec 2.2 Amendment D §4.1.5): NIST SP 800-108 KDF in
 * counter mode with CMAC as the PRF. With "SM4" it is the twin's SM4 channel profile, which puts
 * SM4 where Amendment D puts AES (PROTOCOLS.md §1.3; a profile, not a published standard).
 */
import { type CmacCipherName, cmac } from "./cmac.ts"
import type { Crypto } from "./crypto.ts"

/** Amendment D §4.1.5 derivation constants (PROTOCOLS.md §1.2). */
export const SCP03_CONSTANTS = {
  CARD_CRYPTOGRAM: 0x00,
  HOST_CRYPTOGRAM: 0x01,
  CARD_CHALLENGE: 0x02,
  S_ENC: 0x04,
  S_MAC: 0x06,
  S_RMAC: 0x07,
} as const

/**
 * Block i = CMAC(K, label ‖ 00 ‖ L ‖ i ‖ context), with label = 00*11 ‖ constant, L the output
 * length in bits (2 bytes) and i a 1-byte counter from 1; the blocks are concatenated and
 * truncated to L bits. L must be a whole number of bytes here: every GP use is 64, 128, 192 or 256.
 */
export const scp03Kdf = (
  crypto: Crypto,
  cipher: CmacCipherName,
  key: Uint8Array,
  derivationConstant: number,
  context: Uint8Array,
  lengthBits: number,
): Uint8Array => {
  if (!Number.isInteger(derivationConstant) || derivationConstant < 0 || derivationConstant > 0xff) {
    throw new RangeError(`the derivation constant ${derivationConstant} is not one byte`)
  }
  if (!Number.isInteger(lengthBits) || lengthBits <= 0 || lengthBits % 8 !== 0 || lengthBits > 0xffff) {
    throw new RangeError(`the output length ${lengthBits} bits is not a whole number of bytes in 1..8191`)
  }
  const outputBytes = lengthBits / 8
  const blocks = Math.ceil(outputBytes / 16)
  if (blocks > 0xff) throw new RangeError(`${lengthBits} bits need more than 255 counter values`)
  const input = new Uint8Array(16 + context.length)
  input[11] = derivationConstant
  input[13] = lengthBits >> 8
  input[14] = lengthBits & 0xff
  input.set(context, 16)
  const out = new Uint8Array(blocks * 16)
  for (let i = 1; i <= blocks; i++) {
    input[15] = i
    out.set(cmac(crypto, cipher, key, input), (i - 1) * 16)
  }
  return out.slice(0, outputBytes)
}
