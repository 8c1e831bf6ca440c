// Proves the demand table's precomputed kind rows and boundary index give exactly the draws of the direct computation (product per kind, binary search over the hours).
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  drawKindIndex,
  HOURS_PER_MONTH,
  nextTransactionUs,
  US_PER_HOUR,
} from "../../../model/population/behaviour.ts"
import { type DemandTable, demandTable } from "../../../model/population/demand-profiles.ts"
import { PILOT_PLAN, PILOT_REALISTIC } from "../../../model/population/pilot-calibrations.ts"
import { PROFILE_CLASSES } from "../../../model/population/population-params.ts"
import { streamOf } from "../../../sim/rng/stream.ts"

/** The kind draw as first written: three lookups and a product per kind, twice. */
const directKind = (t: DemandTable, timeUs: number, u: number): number => {
  const hour = Math.floor(timeUs / US_PER_HOUR)
  const day = Math.min(Math.floor(hour / 24), t.days - 1)
  const w = (k: number) => {
    const c = PROFILE_CLASSES[t.kindClass[k]!]!
    return t.kindShare[k]! * t.classHourly[c][hour % 24]! * t.classDay[c][day]!
  }
  let total = 0
  for (let k = 0; k < t.kindShare.length; k++) total += w(k)
  let x = u * total
  for (let k = 0; k < t.kindShare.length; k++) {
    x -= w(k)
    if (x < 0) return k
  }
  return t.kindShare.length - 1
}

/** The next arrival as first written: a binary search for the hour. */
const directNext = (t: DemandTable, perMonth: number, fromUs: number, u: number): number => {
  const cum = t.cumulativeUnits
  const hours = fromUs / US_PER_HOUR
  const h = Math.floor(hours)
  const at = h >= cum.length - 1 ? cum[cum.length - 1]! : cum[h]! + (cum[h + 1]! - cum[h]!) * (hours - h)
  const target = at + (-Math.log(1 - u) * HOURS_PER_MONTH) / perMonth
  if (!(target < cum[cum.length - 1]!)) return -1
  let lo = h
  let hi = cum.length - 2
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (cum[mid]! <= target) lo = mid
    else hi = mid - 1
  }
  const frac = (target - cum[lo]!) / (cum[lo + 1]! - cum[lo]!)
  return Math.max(fromUs + 1, Math.ceil((lo + frac) * US_PER_HOUR))
}

describe("demand table rows", () => {
  for (const [name, params] of [
    ["plan", PILOT_PLAN],
    ["realistic", PILOT_REALISTIC],
  ] as const) {
    const table = demandTable(params)
    const horizonUs = params.horizonDays * 24 * US_PER_HOUR

    it(`draw the same kinds as the direct computation (${name})`, () => {
      fc.assert(
        fc.property(fc.nat(horizonUs + 30 * 24 * US_PER_HOUR), fc.nat(), (timeUs, seed) => {
          const u = streamOf(seed, "t").float53()
          expect(drawKindIndex(table, timeUs, streamOf(seed, "t"))).toBe(directKind(table, timeUs, u))
        }),
        { numRuns: 3000 },
      )
    })

    it(`find the same next arrival as the binary search (${name})`, () => {
      fc.assert(
        fc.property(
          fc.nat(horizonUs - 1),
          fc.double({ min: 0.001, max: 500, noNaN: true }),
          fc.nat(),
          (fromUs, perMonth, seed) => {
            const u = streamOf(seed, "n").float53()
            expect(nextTransactionUs(table, perMonth, fromUs, streamOf(seed, "n"))).toBe(
              directNext(table, perMonth, fromUs, u),
            )
          },
        ),
        { numRuns: 3000 },
      )
    })
  }
})
