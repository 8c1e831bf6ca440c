/**
 * A deterministic byte source for the card story: SM3 in counter mode over (seed, purpose,
 * counter), so every key, challenge and unpredictable number of a story is a pure function of
 * its seed (DESIGN.md §4 "Determinism"). Each purpose is its own stream, so drawing more bytes
 * for one purpose (a longer script, an extra challenge) never shifts another purpose's bytes.
 *
 * This is a stand-in for sim/rng's named streams where the story runs without a kernel; it is
 * not a cryptographic DRBG and never needs to be (the twin's keys protect nothing real).
 */
import type { Crypto } from "../../crypto/crypto.ts"

/** Returns `lengthBytes` fresh bytes of one stream each call. */
export type ByteSource = (lengthBytes: number) => Uint8Array

/** A bound on one draw, so a wrong length (a programmer error) fails loudly instead of hashing for ages. */
export const DRAW_BYTES_MAX = 64 * 1024

/** The block input: seed (8 bytes, big-endian) ‖ purpose (UTF-8) ‖ counter (4 bytes, big-endian). */
const blockInput = (seed: number, purpose: Uint8Array, counter: number): Uint8Array => {
  const input = new Uint8Array(8 + purpose.length + 4)
  const view = new DataView(input.buffer)
  view.setBigUint64(0, BigInt(seed))
  input.set(purpose, 8)
  view.setUint32(8 + purpose.length, counter)
  return input
}

export const seededBytes = (crypto: Crypto, seed: number, purpose: string): ByteSource => {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed ${seed} is not a safe integer ≥ 0`)
  const purposeBytes = new TextEncoder().encode(purpose)
  let counter = 0
  let pool: Uint8Array = new Uint8Array(0)
  let used = 0
  return (lengthBytes) => {
    if (!Number.isInteger(lengthBytes) || lengthBytes < 0 || lengthBytes > DRAW_BYTES_MAX)
      throw new RangeError(`cannot draw ${lengthBytes} bytes (0..${DRAW_BYTES_MAX})`)
    const out = new Uint8Array(lengthBytes)
    for (let filled = 0; filled < lengthBytes; ) {
      if (used === pool.length) {
        pool = crypto.sm3(blockInput(seed, purposeBytes, counter++))
        used = 0
      }
      const take = Math.min(lengthBytes - filled, pool.length - used)
      out.set(pool.subarray(used, used + take), filled)
      filled += take
      used += take
    }
    return out
  }
}
