/**
 * The reference crypto layer (DESIGN.md §4): sm-crypto for SM3 and SM4 (the design's original
 * choice), and straightforward code written against the standards for everything else — HMAC
 * (RFC 2104), DES/TDES (FIPS 46-3, des.ts), AES (FIPS 197, aes.ts) and the ECB/CBC modes
 * (SP 800-38A, block-modes.ts). It is slow on purpose: it exists to be read and to check the
 * native layer byte for byte.
 */
import { createRequire } from "node:module"
import { parseHex } from "../bytes/hex.ts"
import { unwrap } from "../bytes/result.ts"
import { aesCipher } from "./aes.ts"
import { type BlockFunction, cbcDecrypt, cbcEncrypt, ecb } from "./block-modes.ts"
import { assertKeyBytes } from "./cipher-key.ts"
import { BLOCK_BYTES, type BlockCipherName, type Crypto } from "./crypto.ts"
import { desCipher, tdesCipher } from "./des.ts"
import { referenceSm2 } from "./sm2/reference-sm2.ts"

/**
 * The slice of sm-crypto 0.5.8 used here, typed by hand (@types/sm-crypto is stale, STACK.md).
 * Inputs are always byte arrays: a string would be UTF-8 encoded even when it looks like hex.
 */
interface SmCrypto {
  readonly sm3: (input: Uint8Array) => string
  readonly sm4: {
    readonly encrypt: (input: Uint8Array, key: Uint8Array, options: Sm4Options) => number[]
    readonly decrypt: (input: Uint8Array, key: Uint8Array, options: Sm4Options) => number[]
  }
}
interface Sm4Options {
  readonly padding: "none"
  readonly output: "array"
}

const smCrypto = createRequire(import.meta.url)("sm-crypto") as SmCrypto

// sm-crypto returns hex text for SM3 and a number array when asked with output "array" for SM4;
// "none" disables its default PKCS#7 padding, because padding is the caller's business here.
const SM4_OPTIONS: Sm4Options = { padding: "none", output: "array" }

const sm3 = (data: Uint8Array): Uint8Array => unwrap(parseHex(smCrypto.sm3(data)), "sm-crypto SM3 output")

const SM3_BLOCK_BYTES = 64

/** RFC 2104 §2: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ text)); keys longer than B are hashed first. */
const hmacSm3 = (key: Uint8Array, data: Uint8Array): Uint8Array => {
  const k = new Uint8Array(SM3_BLOCK_BYTES)
  k.set(key.length > SM3_BLOCK_BYTES ? sm3(key) : key)
  const inner = new Uint8Array(SM3_BLOCK_BYTES + data.length)
  const outer = new Uint8Array(SM3_BLOCK_BYTES + 32)
  for (let i = 0; i < SM3_BLOCK_BYTES; i++) {
    inner[i] = k[i]! ^ 0x36
    outer[i] = k[i]! ^ 0x5c
  }
  inner.set(data, SM3_BLOCK_BYTES)
  outer.set(sm3(inner), SM3_BLOCK_BYTES)
  return sm3(outer)
}

const sm4Cipher = (key: Uint8Array): { encrypt: BlockFunction; decrypt: BlockFunction } => ({
  encrypt: (block) => Uint8Array.from(smCrypto.sm4.encrypt(block, key, SM4_OPTIONS)),
  decrypt: (block) => Uint8Array.from(smCrypto.sm4.decrypt(block, key, SM4_OPTIONS)),
})

const blockCipher = (
  cipher: BlockCipherName,
  key: Uint8Array,
): { encrypt: BlockFunction; decrypt: BlockFunction } => {
  assertKeyBytes(cipher, key)
  switch (cipher) {
    case "DES":
      return desCipher(key)
    case "TDES":
      return tdesCipher(key)
    case "AES":
      return aesCipher(key)
    case "SM4":
      return sm4Cipher(key)
  }
}

export const referenceCrypto: Crypto = {
  name: "reference",
  sm3,
  hmacSm3,
  encryptEcb: (cipher, key, data) => ecb(blockCipher(cipher, key).encrypt, BLOCK_BYTES[cipher], data),
  decryptEcb: (cipher, key, data) => ecb(blockCipher(cipher, key).decrypt, BLOCK_BYTES[cipher], data),
  encryptCbc: (cipher, key, iv, data) =>
    cbcEncrypt(blockCipher(cipher, key).encrypt, BLOCK_BYTES[cipher], iv, data),
  decryptCbc: (cipher, key, iv, data) =>
    cbcDecrypt(blockCipher(cipher, key).decrypt, BLOCK_BYTES[cipher], iv, data),
  sm2: referenceSm2,
}
