/**
 * Many streams of one (seed, purpose), derived fast: the population takes a fresh stream for every
 * user and every event (millions per run), and `streamOf` hashes the purpose string and builds
 * three small arrays each time. The derivation folds the words (seed low, seed high, purpose hash
 * 1, purpose hash 2, index low, index high) along four chains (sim/rng/stream.ts); the first four
 * words are the same for every index, so each chain's state after them is computed once here and
 * only the two index words are folded per stream. The result is exactly `streamOf(seed, purpose,
 * index)` — a property test draws from both and compares — so results do not change.
 */
import { STREAM_CHAINS as CHAINS, fmix32, fnv1a, Stream } from "../../sim/rng/stream.ts"

const TWO_32 = 4294967296

export class StreamDeriver {
  private readonly c0: number
  private readonly c1: number
  private readonly c2: number
  private readonly c3: number

  constructor(
    readonly seed: number,
    readonly purpose: string,
  ) {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new RangeError(`seed must be a safe integer ≥ 0: ${seed}`)
    const words = [
      seed % TWO_32,
      Math.floor(seed / TWO_32),
      fnv1a(purpose, 0x811c9dc5),
      fnv1a(purpose, 0x2f3d5a71),
    ]
    const [c0, c1, c2, c3] = CHAINS.map((chain) => {
      let h = chain
      for (const w of words) h = fmix32((h ^ w) + chain)
      return h
    }) as [number, number, number, number]
    this.c0 = c0
    this.c1 = c1
    this.c2 = c2
    this.c3 = c3
  }

  /** `streamOf(seed, purpose, index)`, folding only the index words. */
  stream(index: number): Stream {
    if (!Number.isSafeInteger(index) || index < 0)
      throw new RangeError(`index must be a safe integer ≥ 0: ${index}`)
    const lo = index % TWO_32
    const hi = Math.floor(index / TWO_32)
    const a = fmix32((fmix32((this.c0 ^ lo) + CHAINS[0]) ^ hi) + CHAINS[0])
    const b = fmix32((fmix32((this.c1 ^ lo) + CHAINS[1]) ^ hi) + CHAINS[1])
    const c = fmix32((fmix32((this.c2 ^ lo) + CHAINS[2]) ^ hi) + CHAINS[2])
    const d = fmix32((fmix32((this.c3 ^ lo) + CHAINS[3]) ^ hi) + CHAINS[3])
    return (a | b | c | d) === 0 ? new Stream(1, 2, 3, 4) : new Stream(a, b, c, d)
  }
}
