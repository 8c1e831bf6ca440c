// The pace line: a straight line through the value a window ago and now, carried to the deadline.
import { describe, expect, it } from "vitest"
import { paceTo } from "../../viewer/src/pace.ts"

const DAY = 86_400_000_000

describe("paceTo", () => {
  it("carries the recent slope to the deadline", () => {
    const t = [0, 100, 200, 300].map((d) => d * DAY)
    const v = [0, 10, 30, 60]
    // The last 90 days reach back to day 200 (the first point at or before day 210): 0.3 a day.
    const pace = paceTo(t, v, 400 * DAY, 90 * DAY)!
    expect(pace.perDay).toBeCloseTo(0.3)
    expect(pace.value).toBeCloseTo(90)
  })

  it("has nothing to say past the deadline or with a single point", () => {
    expect(paceTo([0, DAY], [0, 1], DAY)).toBeNull()
    expect(paceTo([0], [5], 10 * DAY)).toBeNull()
  })
})
