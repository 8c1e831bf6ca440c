/**
 * Named random streams (DESIGN.md §4): every draw in a run comes from `streamOf(seed, purpose,
 * index)`, a pure function of its three arguments, so creating or using one stream can never shift
 * another's draws (OMNeT++'s per-module RNG streams, TigerBeetle's seeded PRNG).
 *
 * The generator is xoshiro128** (Blackman & Vigna, 2018), our own ten lines rather than a
 * library: it uses only 32-bit integer operations (fast and exact in JavaScript), its state is four
 * small integers with no allocation per draw, and we control the stream derivation, which a
 * library's `jump`/`split` would tie to draw order. pure-rand is only a transitive test dependency
 * here, so depending on it from the engine would add an undeclared runtime dependency.
 *
 * Derivation: the seed (a safe integer, split into two 32-bit halves), two independent 32-bit
 * hashes of the purpose string (FNV-1a with different bases) and the index (two halves) are
 * folded through the murmur3 finalizer along four chains with distinct constants, giving the
 * 128-bit state. Distinct (seed, purpose, index) triples give unrelated states with overwhelming
 * probability; this is not a cryptographic generator.
 */

const TWO_32 = 4294967296
const TWO_53 = 9007199254740992
/** The four chains a (seed, purpose, index) triple is folded along, one per state word. */
export const STREAM_CHAINS: readonly [number, number, number, number] = [
  0x9e3779b9, 0x7f4a7c15, 0x6a09e667, 0xbb67ae85,
]

/** The murmur3 32-bit finalizer; exported for derivers that fold the same chains (model/population). */
export const fmix32 = (x: number): number => {
  let h = x | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h
}

/** FNV-1a over a string's UTF-16 code units, with a chosen basis. */
export const fnv1a = (text: string, basis: number): number => {
  let h = basis | 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h
}

export class Stream {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError("xoshiro state must not be all zero")
    this.s0 = s0 | 0
    this.s1 = s1 | 0
    this.s2 = s2 | 0
    this.s3 = s3 | 0
  }

  /** A uniform unsigned 32-bit integer (xoshiro128**). */
  nextU32(): number {
    const s1 = this.s1
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9)
    const t = s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result >>> 0
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  float53(): number {
    const hi = this.nextU32() >>> 5
    const lo = this.nextU32() >>> 6
    return (hi * 67108864 + lo) / TWO_53
  }

  /** A uniform integer in [0, n) for 1 ≤ n ≤ 2^53, without modulo bias (rejection). */
  below(n: number): number {
    if (!(n >= 1 && Number.isSafeInteger(n))) throw new RangeError(`below(${n})`)
    if (n <= TWO_32) {
      const limit = TWO_32 - (TWO_32 % n)
      for (;;) {
        const x = this.nextU32()
        if (x < limit) return x % n
      }
    }
    const limit = TWO_53 - (TWO_53 % n)
    for (;;) {
      const x = (this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)
      if (x < limit) return x % n
    }
  }

  /** True with probability numerator/denominator, decided by integers only (TigerBeetle's ratios). */
  chance(numerator: number, denominator: number): boolean {
    if (!(numerator >= 0 && numerator <= denominator))
      throw new RangeError(`chance ${numerator}/${denominator}`)
    return this.below(denominator) < numerator
  }
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k))

/** The stream for one purpose and index under one seed; see the derivation in the file comment. */
export const streamOf = (seed: number, purpose: string, index = 0): Stream => {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`seed must be a safe integer ≥ 0: ${seed}`)
  if (!Number.isSafeInteger(index) || index < 0)
    throw new RangeError(`index must be a safe integer ≥ 0: ${index}`)
  const words = [
    seed % TWO_32,
    Math.floor(seed / TWO_32),
    fnv1a(purpose, 0x811c9dc5),
    fnv1a(purpose, 0x2f3d5a71),
    index % TWO_32,
    Math.floor(index / TWO_32),
  ]
  const state = STREAM_CHAINS.map((chain) => {
    let h = chain
    for (const w of words) h = fmix32((h ^ w) + chain)
    return h
  })
  const [a, b, c, d] = state as [number, number, number, number]
  return (a | b | c | d) === 0 ? new Stream(1, 2, 3, 4) : new Stream(a, b, c, d)
}
