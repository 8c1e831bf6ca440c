// Proves the knee detector finds the bend of synthetic capacity curves where it was built, finds
// none on straight lines or too few points, and does not move when the curve is rescaled.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { findKnee } from "../../../app/sweep/knee.ts"

const curve = (xs: number[], f: (x: number) => number) => xs.map((x) => ({ x, y: f(x) }))

describe("findKnee", () => {
  it("finds the corner of a piecewise-linear curve that falls steeply, then barely", () => {
    // Falls 100 per step up to x = 4, then 2 per step: the corner is x = 4 by construction.
    const f = (x: number) => (x <= 4 ? 1000 - 100 * x : 600 - 2 * (x - 4))
    const knee = findKnee(curve([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], f))
    expect(knee?.x).toBe(4)
    expect(knee?.marginalShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })

  it("puts the knee of latency ~ 1/servers early, where the marginal gain collapses", () => {
    const knee = findKnee(curve([1, 2, 3, 4, 5, 6, 7, 8], (x) => 100 / x))
    expect(knee).not.toBeNull()
    expect(knee!.x).toBeGreaterThanOrEqual(2)
    expect(knee!.x).toBeLessThanOrEqual(3)
  })

  it("finds no knee on a straight line, a flat line or two points", () => {
    expect(findKnee(curve([1, 2, 3, 4, 5], (x) => 10 - x))).toBeNull()
    expect(findKnee(curve([1, 2, 3], () => 5))).toBeNull()
    expect(findKnee(curve([1, 2], (x) => 1 / x))).toBeNull()
  })

  it("is unchanged by a positive affine rescaling of x and y and by the order of the points", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        (a, b, c) => {
          const base = curve([1, 2, 3, 4, 6, 8], (x) => 50 / x + x)
          const scaled = base.map((p) => ({ x: c * p.x, y: a * p.y + b })).reverse()
          const k0 = findKnee(base)
          const k1 = findKnee(scaled)
          expect(k1?.x).toBeCloseTo(c * k0!.x, 6)
        },
      ),
      { numRuns: 200 },
    )
  })
})
