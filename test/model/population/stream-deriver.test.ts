// Proves the population's fast stream derivation is exactly sim/rng's streamOf: same draws for any seed, purpose and index.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { StreamDeriver } from "../../../model/population/stream-deriver.ts"
import { streamOf } from "../../../sim/rng/stream.ts"

const draws = (s: { nextU32(): number }): number[] => Array.from({ length: 8 }, () => s.nextU32())

describe("StreamDeriver", () => {
  it("gives streamOf's draws for any seed, purpose and index", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.string({ maxLength: 24 }), fc.maxSafeNat(), (seed, purpose, index) => {
        expect(draws(new StreamDeriver(seed, purpose).stream(index))).toEqual(
          draws(streamOf(seed, purpose, index)),
        )
      }),
      { numRuns: 2000 },
    )
  })

  it("agrees on the population's own purposes, event indices past 2^32 included", () => {
    for (const purpose of ["population.event", "population.user", "population.activity"]) {
      const d = new StreamDeriver(20140801, purpose)
      for (const index of [0, 1, 2 ** 22, 4_400_000 * 2 ** 22 + 17, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1])
        expect(draws(d.stream(index))).toEqual(draws(streamOf(20140801, purpose, index)))
    }
  })

  it("refuses what streamOf refuses", () => {
    expect(() => new StreamDeriver(-1, "p")).toThrow(RangeError)
    expect(() => new StreamDeriver(0.5, "p")).toThrow(RangeError)
    expect(() => new StreamDeriver(1, "p").stream(-1)).toThrow(RangeError)
    expect(() => new StreamDeriver(1, "p").stream(2 ** 53)).toThrow(RangeError)
  })
})
