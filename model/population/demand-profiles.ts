/**
 * Demand over time: per profile class a diurnal shape (24 hours), a weekly shape (Mon..Sun) and a
 * seasonal day factor (Spring Festival, 11.11, paydays), each normalised to mean 1 over its period
 * (the day, the week, the calendar year), so that `transactionsPerUserPerMonth` stays the mean
 * rate and the shapes only move demand in time. CALIBRATION.md §3.3 gives the shapes (M/L: the
 * suggested intra-day profile and multipliers are assumptions drawn from UnionPay's holiday figures).
 *
 * sim/rng/profiles.ts shapes by a fixed 30.4375-day month, which cannot place the Spring Festival
 * on its real lunar date; hence the calendar-true table here. The whole horizon becomes one table
 * of cumulative unit intensity per hour, which lets behaviour.ts draw a user's next transaction by
 * inverting it exactly (no thinning, O(log hours) per event).
 */

import { civilFromDays, daysFromCivil, daysFromIso, weekdayMondayZero } from "../calendar/civil-calendar.ts"
import { holidayOf } from "./calendar.ts"
import {
  type PopulationParams,
  PROFILE_CLASSES,
  type ProfileClass,
  type ProfileParams,
} from "./population-params.ts"
import { timeZeroEpochDays } from "./user.ts"

const meanOne = (weights: ReadonlyArray<number>): Float64Array => {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (!(sum > 0)) throw new RangeError("profile weights must have a positive sum")
  return Float64Array.from(weights, (w) => (w * weights.length) / sum)
}

/** The diurnal shape, mean 1 over the 24 hours. */
export const hourlyProfile = (prof: ProfileParams): Float64Array => meanOne(prof.hourlyWeights)

/** The weekly shape Monday..Sunday, mean 1 over the week. */
export const weeklyProfile = (prof: ProfileParams): Float64Array => meanOne(prof.weeklyWeightsMondayFirst)

const rawDayFactor = (prof: ProfileParams, epochDays: number): number => {
  switch (holidayOf(epochDays)) {
    case "pre-festival":
      return prof.preFestivalFactor
    case "festival-week":
      return prof.festivalWeekFactor
    case "double-11":
      return prof.double11Factor
    case "payday":
      return prof.paydayFactor
    case "ordinary":
      return 1
  }
}

/** Seasonal day factors of a calendar year (index 0 = 1 January), mean 1 over the year. */
export const seasonalFactors = (prof: ProfileParams, year: number): Float64Array => {
  const first = daysFromCivil(year, 1, 1)
  const length = daysFromCivil(year + 1, 1, 1) - first
  const raw = Array.from({ length }, (_, i) => rawDayFactor(prof, first + i))
  return meanOne(raw)
}

export interface DemandTable {
  readonly days: number
  /** Per class, per day: weekly × seasonal × competition factor. */
  readonly classDay: Readonly<Record<ProfileClass, Float64Array>>
  readonly classHourly: Readonly<Record<ProfileClass, Float64Array>>
  /** Share of each mix entry, in the mix's order, as a fraction. */
  readonly kindShare: Float64Array
  /** Class index (in PROFILE_CLASSES order) of each mix entry. */
  readonly kindClass: Uint8Array
  /** Cumulative unit intensity at the start of each hour 0..days·24 (Σ over kinds). */
  readonly cumulativeUnits: Float64Array
  /**
   * Each mix entry's weight (share × its class's hourly × day factor) per hour of the horizon,
   * [hour · kinds + k], computed once so that drawing a transaction's kind reads a row instead of
   * multiplying three lookups per kind per event (the same products, so the same draws).
   */
  readonly kindWeights: Float64Array
  /** Σ of each hour's row of `kindWeights`, summed in mix order. */
  readonly hourWeightTotals: Float64Array
  /**
   * For each whole unit u, the first hour boundary j with cumulativeUnits[j] > u: where the search
   * for an instant with cumulative intensity just above u can start (behaviour.ts).
   */
  readonly firstBoundaryAbove: Uint32Array
}

/** `firstBoundaryAbove` of a cumulative table (one pass; the table is non-decreasing). */
const boundaryIndex = (cum: Float64Array): Uint32Array => {
  const units = Math.floor(cum[cum.length - 1]!) + 1
  const out = new Uint32Array(units)
  let j = 0
  for (let u = 0; u < units; u++) {
    while (j < cum.length - 1 && cum[j]! <= u) j++
    out[u] = j
  }
  return out
}

const classDayFactors = (p: PopulationParams, prof: ProfileParams): Float64Array => {
  const zero = timeZeroEpochDays(p)
  const weekly = weeklyProfile(prof)
  const competitionDay = p.competition === undefined ? Infinity : daysFromIso(p.competition.fromDate)
  const activityLate = p.competition?.activityFactor ?? 1
  const out = new Float64Array(p.horizonDays)
  const byYear = new Map<number, { first: number; f: Float64Array }>()
  for (let d = 0; d < p.horizonDays; d++) {
    const epoch = zero + d
    const y = civilFromDays(epoch).year
    let entry = byYear.get(y)
    if (entry === undefined) {
      entry = { first: daysFromCivil(y, 1, 1), f: seasonalFactors(prof, y) }
      byYear.set(y, entry)
    }
    const late = epoch >= competitionDay ? activityLate : 1
    out[d] = weekly[weekdayMondayZero(epoch)]! * entry.f[epoch - entry.first]! * late
  }
  return out
}

/** Builds the demand table of a calibration over its horizon. */
export const demandTable = (p: PopulationParams): DemandTable => {
  const mix = p.behaviour.mix
  const classDay = {} as Record<ProfileClass, Float64Array>
  const classHourly = {} as Record<ProfileClass, Float64Array>
  for (const c of PROFILE_CLASSES) {
    classDay[c] = classDayFactors(p, p.behaviour.profiles[c])
    classHourly[c] = hourlyProfile(p.behaviour.profiles[c])
  }
  const kindShare = Float64Array.from(mix, (k) => k.countPermille / 1000)
  const kindClass = Uint8Array.from(mix, (k) => PROFILE_CLASSES.indexOf(k.profile))
  const hours = p.horizonDays * 24
  const cumulativeUnits = new Float64Array(hours + 1)
  const kindWeights = new Float64Array(hours * mix.length)
  const hourWeightTotals = new Float64Array(hours)
  for (let h = 0; h < hours; h++) {
    const day = Math.floor(h / 24)
    let u = 0
    for (let k = 0; k < mix.length; k++) {
      const c = PROFILE_CLASSES[kindClass[k]!]!
      const w = kindShare[k]! * classHourly[c][h % 24]! * classDay[c][day]!
      kindWeights[h * mix.length + k] = w
      u += w
    }
    hourWeightTotals[h] = u
    cumulativeUnits[h + 1] = cumulativeUnits[h]! + u
  }
  return {
    days: p.horizonDays,
    classDay,
    classHourly,
    kindShare,
    kindClass,
    cumulativeUnits,
    kindWeights,
    hourWeightTotals,
    firstBoundaryAbove: boundaryIndex(cumulativeUnits),
  }
}
