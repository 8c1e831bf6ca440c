/**
 * Arrival-rate profiles: a base rate shaped by hour of day, day of week and month of year
 * (diurnal, weekly and seasonal multipliers), each piecewise constant. Simulated time 0 is
 * midnight at the start of `dayOfWeekAtZero` in `monthAtZero`; months are a fixed 30.4375 days so
 * the profile is a pure function of time.
 */
import { US_PER_DAY, US_PER_HOUR } from "../kernel/time.ts"

export interface RateProfile {
  /** Arrivals per second at simulated time `timeUs`. */
  ratePerSecondAt(timeUs: number): number
  /** An upper bound of `ratePerSecondAt` over all time, which thinning needs. */
  readonly ratePerSecondMax: number
}

export interface ShapedRateOptions {
  readonly ratePerSecondBase: number
  /** 24 multipliers, one per hour of the day; default flat. */
  readonly hourly?: ReadonlyArray<number>
  /** 7 multipliers, one per day of the week (0 = the weekday at time 0); default flat. */
  readonly weekly?: ReadonlyArray<number>
  /** 12 multipliers, one per month; default flat. */
  readonly monthly?: ReadonlyArray<number>
  readonly dayOfWeekAtZero?: number
  readonly monthAtZero?: number
}

const US_PER_MONTH = 30.4375 * US_PER_DAY

const checked = (
  name: string,
  values: ReadonlyArray<number> | undefined,
  length: number,
): ReadonlyArray<number> => {
  const v = values ?? new Array<number>(length).fill(1)
  if (v.length !== length || v.some((x) => !(x >= 0 && Number.isFinite(x)))) {
    throw new RangeError(`${name} needs ${length} finite non-negative multipliers`)
  }
  return v
}

export const constantRate = (ratePerSecond: number): RateProfile => ({
  ratePerSecondAt: () => ratePerSecond,
  ratePerSecondMax: ratePerSecond,
})

export const shapedRate = (o: ShapedRateOptions): RateProfile => {
  const hourly = checked("hourly", o.hourly, 24)
  const weekly = checked("weekly", o.weekly, 7)
  const monthly = checked("monthly", o.monthly, 12)
  const dow0 = o.dayOfWeekAtZero ?? 0
  const month0 = o.monthAtZero ?? 0
  const base = o.ratePerSecondBase
  return {
    ratePerSecondAt: (timeUs) => {
      const hour = Math.floor(timeUs / US_PER_HOUR) % 24
      const day = (Math.floor(timeUs / US_PER_DAY) + dow0) % 7
      const month = (Math.floor(timeUs / US_PER_MONTH) + month0) % 12
      return base * hourly[hour]! * weekly[day]! * monthly[month]!
    },
    ratePerSecondMax: base * Math.max(...hourly) * Math.max(...weekly) * Math.max(...monthly),
  }
}
