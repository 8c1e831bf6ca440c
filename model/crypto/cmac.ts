/**
 * CMAC (NIST SP 800-38B) over a 16-byte block cipher: AES for SCP03 (PROTOCOLS.md §1.2) and SM4 for
 * the twin's SM4 channel profile (PROTOCOLS.md §1.3), which uses SM4 exactly as AES is used here.
 */
import type { Crypto } from "./crypto.ts"

export type CmacCipherName = "AES" | "SM4"

const BLOCK_BYTES = 16

/** SP 800-38B §5.3: R_128 = 0^120 ‖ 10000111. */
const RB = 0x87

/** Multiplication by x in GF(2^128): shift left one bit, XOR Rb into the last byte on carry. */
const double = (block: Uint8Array): Uint8Array => {
  const out = new Uint8Array(BLOCK_BYTES)
  for (let i = 0; i < BLOCK_BYTES; i++) out[i] = ((block[i]! << 1) | ((block[i + 1] ?? 0) >> 7)) & 0xff
  if (block[0]! & 0x80) out[BLOCK_BYTES - 1]! ^= RB
  return out
}

/** SP 800-38B §6.1 SUBK: L = CIPH_K(0^128), K1 = dbl(L), K2 = dbl(K1). */
export const cmacSubkeys = (
  crypto: Crypto,
  cipher: CmacCipherName,
  key: Uint8Array,
): { readonly k1: Uint8Array; readonly k2: Uint8Array } => {
  const l = crypto.encryptEcb(cipher, key, new Uint8Array(BLOCK_BYTES))
  const k1 = double(l)
  return { k1, k2: double(k1) }
}

/**
 * SP 800-38B §6.2 MAC generation, full 16-byte tag (callers truncate as their protocol says).
 * The last block is M_n ⊕ K1 when complete and (M_n ‖ 10..0) ⊕ K2 otherwise (also for the empty
 * message); the tag is then the last block of one CBC pass with a zero IV over M_1..M_(n-1), M_n*,
 * which is exactly the C_i chain the standard writes out.
 */
export const cmac = (
  crypto: Crypto,
  cipher: CmacCipherName,
  key: Uint8Array,
  data: Uint8Array,
): Uint8Array => {
  const { k1, k2 } = cmacSubkeys(crypto, cipher, key)
  const blocks = Math.max(1, Math.ceil(data.length / BLOCK_BYTES))
  const complete = data.length > 0 && data.length % BLOCK_BYTES === 0
  const message = new Uint8Array(blocks * BLOCK_BYTES)
  message.set(data)
  const lastOffset = (blocks - 1) * BLOCK_BYTES
  if (!complete) message[data.length] = 0x80
  const subkey = complete ? k1 : k2
  for (let i = 0; i < BLOCK_BYTES; i++) message[lastOffset + i]! ^= subkey[i]!
  const chained = crypto.encryptCbc(cipher, key, new Uint8Array(BLOCK_BYTES), message)
  return chained.slice(lastOffset)
}
