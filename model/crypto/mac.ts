/**
 * ISO/IEC 9797-1 MAC algorithms 1 and 3, written once on top of a `Crypto`. Algorithm 1 is the plain
 * CBC-MAC (SCP02 card and host cryptograms, PROTOCOLS.md §1.1); algorithm 3 is the "retail MAC"
 * (SCP02 C-MAC and R-MAC, §1.1; EMV application cryptograms and script MACs, EMV 4.3 Book 2
 * Annex A1.2 and PROTOCOLS.md §2.1).
 */
import type { BlockCipherName, Crypto } from "./crypto.ts"
import { BLOCK_BYTES } from "./crypto.ts"
import { padIso9797Method1, padIso9797Method2 } from "./padding.ts"

/** ISO/IEC 9797-1 padding method 1 (zeros) or 2 (80 00..). */
export type PaddingMethod = 1 | 2

const pad = (data: Uint8Array, blockBytes: number, padding: PaddingMethod): Uint8Array =>
  padding === 1 ? padIso9797Method1(data, blockBytes) : padIso9797Method2(data, blockBytes)

/** MAC algorithm 1: CBC over the padded data with the IV (zero by default); the last block. */
export const mac9797Alg1 = (
  crypto: Crypto,
  cipher: BlockCipherName,
  key: Uint8Array,
  data: Uint8Array,
  padding: PaddingMethod,
  iv?: Uint8Array,
): Uint8Array => {
  const blockBytes = BLOCK_BYTES[cipher]
  const chained = crypto.encryptCbc(
    cipher,
    key,
    iv ?? new Uint8Array(blockBytes),
    pad(data, blockBytes, padding),
  )
  return chained.slice(chained.length - blockBytes)
}

/**
 * The left key K1 of each MAC key, remembered per key array: the native layer caches OpenSSL
 * contexts by key *object*, so handing it the same K1 array every time keeps it on the fast path.
 * The bytes are compared on every use, so a key overwritten in place cannot select a stale K1.
 */
const leftKeys = new WeakMap<Uint8Array, Uint8Array>()

const sameLeftHalf = (left: Uint8Array, key: Uint8Array): boolean => {
  for (let i = 0; i < 8; i++) if (left[i] !== key[i]) return false
  return true
}

const leftKeyOf = (key: Uint8Array): Uint8Array => {
  const known = leftKeys.get(key)
  if (known !== undefined && sameLeftHalf(known, key)) return known
  const fresh = key.slice(0, 8)
  leftKeys.set(key, fresh)
  return fresh
}

/**
 * MAC algorithm 3 with DES (the retail MAC): single-DES CBC with K1 over every block but the last,
 * then TDES (E_K1 ∘ D_K2 ∘ E_K1) on the last one, which is the same as the algorithm's final
 * D_K2, E_K1 after the last CBC step. A 24-byte key applies the three-key TDES to the last block
 * (an extension some HSMs offer; GP and EMV use 16-byte keys). The IV is 00*8 by default; SCP02
 * passes its chained ICV.
 */
export const retailMac = (
  crypto: Crypto,
  key: Uint8Array,
  data: Uint8Array,
  padding: PaddingMethod,
  iv?: Uint8Array,
): Uint8Array => {
  if (key.length !== 16 && key.length !== 24) {
    throw new RangeError(`a retail MAC key has 16 or 24 bytes, not ${key.length}`)
  }
  if (iv !== undefined && iv.length !== 8)
    throw new RangeError(`the retail MAC IV has 8 bytes, not ${iv.length}`)
  const padded = pad(data, 8, padding)
  const lastOffset = padded.length - 8
  let chain = iv ?? new Uint8Array(8)
  if (lastOffset > 0) {
    const head = crypto.encryptCbc("DES", leftKeyOf(key), chain, padded.subarray(0, lastOffset))
    chain = head.subarray(lastOffset - 8)
  }
  const last = padded.slice(lastOffset)
  for (let i = 0; i < 8; i++) last[i]! ^= chain[i]!
  return crypto.encryptEcb("TDES", key, last)
}
