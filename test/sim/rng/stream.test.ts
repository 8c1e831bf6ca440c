// Proves that named streams are independent by construction — a stream's draws do not change when
// other streams are created or used in between — and that the basic draws are uniform and in range.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { streamOf } from "../../../sim/rng/stream.ts"

describe("streamOf", () => {
  it("gives the same draws whatever other streams are created or used in between", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.string(),
        fc.nat(1000),
        fc.array(fc.tuple(fc.string(), fc.nat(1000), fc.nat(20)), { maxLength: 8 }),
        (seed, purpose, index, others) => {
          const alone = streamOf(seed, purpose, index)
          const expected = Array.from({ length: 10 }, () => alone.nextU32())
          const s = streamOf(seed, purpose, index)
          const got: number[] = []
          for (let i = 0; i < 10; i++) {
            const [p, j, n] = others[i % Math.max(1, others.length)] ?? ["x", 0, 0]
            const other = streamOf(seed, p, j)
            for (let k = 0; k < n; k++) other.nextU32()
            got.push(s.nextU32())
          }
          expect(got).toEqual(expected)
        },
      ),
      { numRuns: 200 },
    )
  })

  it("gives different sequences for different seeds, purposes and indices", () => {
    const first = (seed: number, purpose: string, index: number) => streamOf(seed, purpose, index).nextU32()
    const base = first(1, "arrivals", 0)
    expect(first(2, "arrivals", 0)).not.toBe(base)
    expect(first(1, "services", 0)).not.toBe(base)
    expect(first(1, "arrivals", 1)).not.toBe(base)
    expect(first(2 ** 33 + 1, "arrivals", 0)).not.toBe(first(1, "arrivals", 0))
  })

  it("draws below(n) uniformly (chi-square, 10 cells, 100,000 draws)", () => {
    const s = streamOf(3, "uniformity")
    const cells = new Array<number>(10).fill(0)
    const n = 100_000
    for (let i = 0; i < n; i++) cells[s.below(10)]!++
    const chi2 = cells.reduce((a, c) => a + (c - n / 10) ** 2 / (n / 10), 0)
    // 99.9 % quantile of chi-square with 9 degrees of freedom.
    expect(chi2).toBeLessThan(27.88)
  })

  it("keeps below() and float53() in range and rejects bad arguments", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (seed, n) => {
        const s = streamOf(seed, "range")
        const x = s.below(n)
        const f = s.float53()
        expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true)
        expect(f >= 0 && f < 1).toBe(true)
      }),
    )
    expect(() => streamOf(-1, "x")).toThrow(RangeError)
    expect(() => streamOf(1, "x").below(0)).toThrow(RangeError)
    expect(() => streamOf(1, "x").chance(3, 2)).toThrow(RangeError)
  })
})
