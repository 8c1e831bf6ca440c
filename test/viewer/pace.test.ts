// The pace line: a straight line through the value a window ago and now, carried to the deadline,
// and its sentence, which projects a whole count.
import { describe, expect, it } from "vitest"
import { paceLine } from "../../viewer/src/chart-text.ts"
import { paceTo } from "../../viewer/src/pace.ts"
import { SeriesBuffer } from "../../viewer/src/series-buffer.ts"

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

describe("paceLine", () => {
  it("projects a whole count, with its unit and the last deadline", () => {
    const buffer = new SeriesBuffer(["cards"], 8)
    buffer.push(0, [0])
    buffer.push(300 * DAY, [1000])
    const series = {
      name: "kpi:cards",
      source: null,
      fields: ["cards"],
      units: ["cards"],
      buffer,
      samples: 2,
      refined: null,
    }
    const target = { phase: "phase 1", deadlineUs: 333 * DAY, target: 2000, status: "pending" as const }
    // 1,000 cards in 300 days carried 33 days further: 1,000 + 33 × 10/3 = 1,110.
    expect(paceLine(series, [target], 0)).toBe(
      "on pace for 1,110 cards by 1970-11-30 (last 90 days' pace; target 2,000)",
    )
    const odd = { ...target, deadlineUs: 301 * DAY }
    // 1000 + 10/3 = 1003.33…: shown as a whole count.
    expect(paceLine(series, [odd], 0)).toMatch(/^on pace for 1,003 cards by /)
  })
})
