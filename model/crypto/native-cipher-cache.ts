/**
 * OpenSSL cipher contexts kept per key, so that a block operation costs one `update` call instead
 * of a fresh `createCipheriv` (measured on this machine, 2-core, Node 20.20 / OpenSSL 3.0.19: one
 * SM4 block 2.1 µs per call with a new context, 0.6 µs with a cached one; per APDU this adds up).
 *
 * Why this is correct:
 * - With auto-padding off and whole blocks in, OpenSSL's `update` returns exactly the bytes it was
 *   given, so a context never holds data back between calls and can be used forever without `final`.
 * - ECB contexts carry no state between blocks.
 * - A CBC context remembers the last ciphertext block it saw (SP 800-38A §6.2), which acts as the
 *   IV of the next call. We track that block (`chain`) and correct for it: to encrypt with IV `v`,
 *   the first plaintext block is fed as P1 ⊕ v ⊕ chain, so that OpenSSL computes E(P1 ⊕ v); to
 *   decrypt, the first output block is XORed with chain ⊕ v. Both are exact, not approximations.
 *
 * Entries are found by the key's bytes, not by the caller's array: a card materialized from its
 * image, a host deriving the same key again or a held card's fresh copy of its keys all reach the
 * same context (issuing one card made 73 contexts for 17 distinct keys when entries were found by
 * array identity). The cache is bounded (KEYS_MAX keys, the oldest dropped first), so it holds no
 * context for keys nobody uses any more: a held card between sessions costs no OpenSSL memory.
 */
import { createCipheriv, createDecipheriv } from "node:crypto"
import { assertKeyBytes } from "./cipher-key.ts"
import { BLOCK_BYTES, type BlockCipherName } from "./crypto.ts"
import { type TdesSchedule, tdesSchedule } from "./fast-des.ts"
import { type Sm4Schedule, sm4Schedule } from "./fast-sm4.ts"

/** What OpenSSL's `update` offers, for ciphers and deciphers alike. */
interface Stream {
  readonly update: (data: Uint8Array) => Buffer
}

/** One OpenSSL context and, for CBC, the last ciphertext block it processed. */
export interface CipherSlot {
  readonly stream: Stream
  readonly chain: Uint8Array
}

/**
 * What one key's bytes have made: up to 16 OpenSSL contexts (cipher × mode × direction, at
 * CIPHER_INDEX · 4 + mode · 2 + direction) and, for (T)DES and SM4, the TypeScript key schedule.
 */
interface KeyEntry {
  readonly slots: Array<CipherSlot | undefined>
  des: TdesSchedule | undefined
  sm4: Sm4Schedule | undefined
}

export type ModeName = "ECB" | "CBC"

const CIPHER_INDEX: Readonly<Record<BlockCipherName, number>> = { DES: 0, TDES: 1, AES: 2, SM4: 3 }

/**
 * Distinct keys with contexts. A session uses a handful of keys (an issuance 17, a transaction up
 * to 7), so 256 keeps every live session's keys many times over; each entry is a few OpenSSL
 * contexts (~1-2 KB each with their JS wrappers), so the bound is ≈ 1 MB at most.
 */
export const KEYS_MAX = 256
/** Insertion order is age: the first entry is dropped when a new key would exceed the bound. */
const cache = new Map<string, KeyEntry>()

/** The key's bytes as a string (one UTF-16 unit per byte), a Map key that compares by value. */
const contentOf = (key: Uint8Array): string => String.fromCharCode.apply(null, key as unknown as number[])

/** Keys with contexts now (for tests of the bound). */
export const cachedKeyCount = (): number => cache.size

/** The OpenSSL algorithm name and key for one of our ciphers; keys were length-checked before. */
const opensslCipher = (cipher: BlockCipherName, key: Uint8Array, mode: ModeName): [string, Uint8Array] => {
  const suffix = mode === "ECB" ? "ecb" : "cbc"
  switch (cipher) {
    // OpenSSL 3's default provider has no single DES (it is in the legacy provider, not loaded by
    // Node); TDES with K1 = K2 = K3 is single DES (SP 800-67 Rev. 2 §3.1, EDE collapses to E).
    case "DES": {
      const tripled = new Uint8Array(24)
      tripled.set(key, 0)
      tripled.set(key, 8)
      tripled.set(key, 16)
      return [`des-ede3-${suffix}`, tripled]
    }
    case "TDES":
      return [key.length === 16 ? `des-ede-${suffix}` : `des-ede3-${suffix}`, key]
    case "AES":
      return [`aes-${key.length * 8}-${suffix}`, key]
    case "SM4":
      return [`sm4-${suffix}`, key]
  }
}

/**
 * The key length is checked here, when a context is made: a later hit on the same slot means the
 * same key bytes (hence the same, already accepted, length), so the hot path skips the check.
 */
const newSlot = (cipher: BlockCipherName, key: Uint8Array, mode: ModeName, encrypt: boolean): CipherSlot => {
  assertKeyBytes(cipher, key)
  const [algorithm, opensslKey] = opensslCipher(cipher, key, mode)
  const chain = new Uint8Array(BLOCK_BYTES[cipher])
  const iv = mode === "ECB" ? null : chain
  const stream = encrypt
    ? createCipheriv(algorithm, opensslKey, iv).setAutoPadding(false)
    : createDecipheriv(algorithm, opensslKey, iv).setAutoPadding(false)
  return { stream, chain }
}

/** The key's entry, made (and the oldest dropped beyond the bound) on first use. */
const entryOf = (key: Uint8Array): KeyEntry => {
  const content = contentOf(key)
  let entry = cache.get(content)
  if (entry === undefined) {
    if (cache.size >= KEYS_MAX) cache.delete(cache.keys().next().value!)
    entry = { slots: [], des: undefined, sm4: undefined }
    cache.set(content, entry)
  }
  return entry
}

/** The cached context for (key bytes, cipher, mode, direction), created on first use. */
export const cipherSlot = (
  cipher: BlockCipherName,
  key: Uint8Array,
  mode: ModeName,
  encrypt: boolean,
): CipherSlot => {
  const entry = entryOf(key)
  const index = CIPHER_INDEX[cipher] * 4 + (mode === "ECB" ? 0 : 2) + (encrypt ? 0 : 1)
  let slot = entry.slots[index]
  if (slot === undefined) {
    slot = newSlot(cipher, key, mode, encrypt)
    entry.slots[index] = slot
  }
  return slot
}

/**
 * (T)DES calls of at most this many bytes run in TypeScript (fast-des.ts): measured here, a
 * 3DES block costs 0.5 µs there against 1.5 µs for a call on a cached OpenSSL context and ~7.5 µs
 * for a new one, and a double-length key schedule 2.6 µs; OpenSSL's per-block cost wins from a few blocks on.
 */
export const DES_TS_BYTES_MAX = 32
/**
 * Single DES (the retail MAC's CBC over all but the last block, ISO 9797-1 algorithm 3, with a
 * session key new to each card) runs in TypeScript up to this many bytes: there a block is one
 * DES stage (fast-des.ts), where OpenSSL, which has no single DES here, runs des-ede3 with the key
 * tripled, and a fresh key costs no new OpenSSL context. Measured on the loaded 2-core machine
 * (CPU µs per call, TypeScript / cached OpenSSL context): 128 B 5.5-7.7 / 10.7-10.9, 256 B
 * 7.8-13.5 / 10.4-14.0, 1 KiB 30-50 / 44-48 — no worse up to 256 B, and no context at all.
 */
export const SINGLE_DES_TS_BYTES_MAX = 256

/** The cached TypeScript key schedule of a DES (8-byte) or TDES (16/24-byte) key. */
export const desScheduleOf = (cipher: "DES" | "TDES", key: Uint8Array): TdesSchedule => {
  const entry = entryOf(key)
  if (entry.des === undefined) {
    assertKeyBytes(cipher, key)
    entry.des = tdesSchedule(key)
  }
  return entry.des
}

/** The cached TypeScript round keys of an SM4 key (fast-sm4.ts); every SM4 call runs there. */
export const sm4ScheduleOf = (key: Uint8Array): Sm4Schedule => {
  const entry = entryOf(key)
  if (entry.sm4 === undefined) {
    assertKeyBytes("SM4", key)
    entry.sm4 = sm4Schedule(key)
  }
  return entry.sm4
}
