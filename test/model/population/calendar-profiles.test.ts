/**
 * Proves the calendar and the demand profiles: civil dates round-trip, the Lunar New Year windows
 * fall on the real dates, and every profile averages to 1 over its period (day, week, calendar
 * year) whatever its weights, so shapes move demand in time without changing the mean rate.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  civilFromDays,
  daysFromCivil,
  daysFromIso,
  weekdayMondayZero,
} from "../../../model/calendar/civil-calendar.ts"
import { holidayOf } from "../../../model/population/calendar.ts"
import { hourlyProfile, seasonalFactors, weeklyProfile } from "../../../model/population/demand-profiles.ts"
import { PILOT_PLAN } from "../../../model/population/pilot-calibrations.ts"

const mean = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0) / xs.length

const weights = (n: number) =>
  fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: n, maxLength: n })
const factor = fc.double({ min: 0.1, max: 10, noNaN: true })

describe("calendar", () => {
  it("round-trips civil dates", () => {
    fc.assert(
      fc.property(fc.integer({ min: -50_000, max: 50_000 }), (days) => {
        const c = civilFromDays(days)
        expect(daysFromCivil(c.year, c.month, c.day)).toBe(days)
      }),
      { numRuns: 500 },
    )
  })

  it("knows weekdays and the Spring Festival windows of the pilot's years", () => {
    expect(weekdayMondayZero(daysFromIso("2014-08-01"))).toBe(4) // a Friday
    expect(holidayOf(daysFromIso("2015-02-18"))).toBe("festival-week") // 除夕 2015
    expect(holidayOf(daysFromIso("2016-01-31"))).toBe("pre-festival")
    expect(holidayOf(daysFromIso("2017-02-02"))).toBe("festival-week")
    expect(holidayOf(daysFromIso("2016-11-11"))).toBe("double-11")
    expect(holidayOf(daysFromIso("2016-03-15"))).toBe("payday")
    expect(holidayOf(daysFromIso("2016-03-16"))).toBe("ordinary")
    expect(() => daysFromIso("2015-02-30")).toThrow(/no such date/)
  })
})

describe("demand profiles", () => {
  it("average to 1 over the day, the week and each calendar year", () => {
    fc.assert(
      fc.property(weights(24), weights(7), factor, factor, factor, factor, (h, w, pre, fest, d11, pay) => {
        fc.pre(h.some((x) => x > 0) && w.some((x) => x > 0))
        const prof = {
          hourlyWeights: h,
          weeklyWeightsMondayFirst: w,
          preFestivalFactor: pre,
          festivalWeekFactor: fest,
          double11Factor: d11,
          paydayFactor: pay,
        }
        expect(mean(hourlyProfile(prof))).toBeCloseTo(1, 9)
        expect(mean(weeklyProfile(prof))).toBeCloseTo(1, 9)
        for (const year of [2014, 2015, 2016, 2017])
          expect(mean(seasonalFactors(prof, year))).toBeCloseTo(1, 9)
      }),
      { numRuns: 50 },
    )
  })

  it("peaks retail in the week before 除夕 and e-commerce on 11.11", () => {
    const retail = seasonalFactors(PILOT_PLAN.behaviour.profiles.retail, 2015)
    const evening = seasonalFactors(PILOT_PLAN.behaviour.profiles.evening, 2015)
    const dayOf = (iso: string) => daysFromIso(iso) - daysFromCivil(2015, 1, 1)
    expect(retail[dayOf("2015-02-14")]!).toBeGreaterThan(retail[dayOf("2015-03-10")]!)
    expect(Math.max(...evening)).toBe(evening[dayOf("2015-11-11")])
  })
})
