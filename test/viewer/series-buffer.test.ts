// The viewer's series keep the whole run at bounded memory without losing an extreme: whatever the
// samples, the points drawn start at the first sample, end at the newest, stay within the bound,
// run forward in time, and hold every field's true minimum and maximum.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SeriesBuffer } from "../../viewer/src/series-buffer.ts"

const samples = fc.array(
  fc.tuple(
    fc.integer({ min: 1, max: 1000 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.integer({ min: 0, max: 50 }),
  ),
  {
    minLength: 1,
    maxLength: 3000,
  },
)

describe("SeriesBuffer", () => {
  it("keeps the run's span, its bound, time order and every field's extremes", () => {
    fc.assert(
      fc.property(samples, fc.constantFrom(8, 16, 64), (steps, capacity) => {
        const buffer = new SeriesBuffer(["a", "b"], capacity)
        let t = 0
        const ts: number[] = []
        for (const [dt, a, b] of steps) {
          t += dt
          ts.push(t)
          buffer.push(t, [a, b])
        }
        const view = buffer.view()
        expect(view.t.length).toBeLessThanOrEqual(capacity + 2)
        expect(view.t[0]).toBe(ts[0])
        expect(view.t.at(-1)).toBe(ts.at(-1))
        for (let i = 1; i < view.t.length; i++) expect(view.t[i]!).toBeGreaterThan(view.t[i - 1]!)
        const as = steps.map((s) => s[1])
        const bs = steps.map((s) => s[2])
        expect(Math.min(...view.values[0]!)).toBe(Math.min(...as))
        expect(Math.max(...view.values[0]!)).toBe(Math.max(...as))
        expect(Math.min(...view.values[1]!)).toBe(Math.min(...bs))
        expect(Math.max(...view.values[1]!)).toBe(Math.max(...bs))
      }),
      { numRuns: 300 },
    )
  })

  it("keeps every sample while under the bound, and coarsens uniformly beyond it", () => {
    const buffer = new SeriesBuffer(["x"], 16)
    for (let i = 1; i <= 15; i++) buffer.push(i, [i])
    expect(buffer.view().t).toEqual(Array.from({ length: 15 }, (_, i) => i + 1))
    expect(buffer.resolution).toBe(1)
    for (let i = 16; i <= 1000; i++) buffer.push(i, [i])
    expect(buffer.resolution).toBeGreaterThan(1)
    // A cumulative series stays cumulative: min first, max last in every bucket.
    const v = buffer.view().values[0]!
    for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!)
  })

  it("ignores a sample that does not move time forward", () => {
    const buffer = new SeriesBuffer(["x"], 8)
    buffer.push(5, [1])
    buffer.push(5, [99])
    buffer.push(4, [99])
    expect(buffer.view()).toEqual({ t: [5], values: [[1]] })
  })

  it("refuses a capacity it cannot halve evenly", () => {
    expect(() => new SeriesBuffer(["x"], 10)).toThrow(RangeError)
  })
})
