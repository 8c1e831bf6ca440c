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

/** Where a seeded source stands, so a holder can keep a number instead of the closure (held cards). */
const POSITION = Symbol("seeded-bytes position")

/** A seeded source that can tell how many bytes it has given since byte 0 of its stream. */
type PositionedSource = ByteSource & { readonly [POSITION]: () => number }

/**
 * The stream of (seed, purpose) from byte `startByte` on: the same bytes a source started at 0
 * gives after drawing `startByte` bytes, so a stream can be put away as a number and resumed.
 */
export const seededBytes = (crypto: Crypto, seed: number, purpose: string, startByte = 0): ByteSource => {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed ${seed} is not a safe integer ≥ 0`)
  if (!Number.isSafeInteger(startByte) || startByte < 0)
    throw new RangeError(`start byte ${startByte} is not ≥ 0`)
  const purposeBytes = new TextEncoder().encode(purpose)
  const SM3_BYTES = 32
  let counter = Math.floor(startByte / SM3_BYTES)
  let pool: Uint8Array = new Uint8Array(0)
  let used = 0
  if (startByte % SM3_BYTES !== 0) {
    pool = crypto.sm3(blockInput(seed, purposeBytes, counter++))
    used = startByte % SM3_BYTES
  }
  const source = (lengthBytes: number): Uint8Array => {
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
  // Bytes given so far: whole blocks hashed, less what is left of the current one.
  const position = () => counter * SM3_BYTES - (pool.length - used)
  return Object.assign(source, { [POSITION]: position }) satisfies PositionedSource
}

/** How many bytes a source made by `seededBytes` has given since byte 0 of its stream. */
export const positionOf = (source: ByteSource): number => {
  const position = (source as Partial<PositionedSource>)[POSITION]
  if (position === undefined) throw new TypeError("positionOf: not a seededBytes source")
  return position()
}
