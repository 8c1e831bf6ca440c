/**
 * fast-check generators shared by the crypto property tests. Keys come partly from a small pool of
 * long-lived arrays, so that the native layer's per-key context cache is hit across runs (and its
 * CBC chain correction is exercised), and partly fresh, so that new contexts are made too.
 */
import fc from "fast-check"
import type { BlockCipherName } from "../../../model/crypto/crypto.ts"

export const bytes = (length: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: length, maxLength: length })

/** Any length from 0 to `maxBytes`, for hashes, MACs and padding. */
export const message = (maxBytes: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: maxBytes })

/** A whole number of blocks, from 0 to `maxBlocks`. */
export const blocks = (blockBytes: number, maxBlocks: number): fc.Arbitrary<Uint8Array> =>
  fc.integer({ min: 0, max: maxBlocks }).chain((count) => bytes(count * blockBytes))

const pools = new Map<number, Uint8Array[]>()

const pool = (length: number): Uint8Array[] => {
  let keys = pools.get(length)
  if (keys === undefined) {
    // Fixed, distinct contents; the arrays themselves are what the cache is keyed by.
    keys = [1, 2, 3].map((seed) => Uint8Array.from({ length }, (_, i) => (seed * 37 + i * 11) & 0xff))
    pools.set(length, keys)
  }
  return keys
}

export const key = (length: number): fc.Arbitrary<Uint8Array> =>
  fc.oneof(bytes(length), fc.constantFrom(...pool(length)))

/** Every block cipher with each key length the layers accept, for per-cipher properties. */
export const CIPHERS: ReadonlyArray<{ cipher: BlockCipherName; keyBytes: number }> = [
  { cipher: "DES", keyBytes: 8 },
  { cipher: "TDES", keyBytes: 16 },
  { cipher: "TDES", keyBytes: 24 },
  { cipher: "AES", keyBytes: 16 },
  { cipher: "AES", keyBytes: 24 },
  { cipher: "AES", keyBytes: 32 },
  { cipher: "SM4", keyBytes: 16 },
]
