/**
 * The population's calendar: simulated day indices to civil dates, weekdays and the holidays that
 * shape demand. The data plane has no Date (DESIGN.md §4), so the proleptic Gregorian calendar is
 * computed here (the same March-based day count as model/host/pki/civil-time.ts; population does
 * not import the PKI for ten lines of arithmetic). A run's time zero is midnight (local time) at
 * the start of a scenario's `timeZeroDate`; all population times are offsets from it.
 */

export interface CivilDate {
  readonly year: number
  /** 1..12 */
  readonly month: number
  /** 1..31 */
  readonly day: number
}

const DAYS_PER_ERA = 146_097
/** Days from 0000-03-01 to 1970-01-01 in the March-based count. */
const EPOCH_SHIFT_DAYS = 719_468

/** Days since 1970-01-01 of a civil date. */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const marchYear = month <= 2 ? year - 1 : year
  const era = Math.floor(marchYear / 400)
  const yearOfEra = marchYear - era * 400
  const marchMonth = month > 2 ? month - 3 : month + 9
  const dayOfYear = Math.floor((153 * marchMonth + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * DAYS_PER_ERA + dayOfEra - EPOCH_SHIFT_DAYS
}

/** The civil date of a day count since 1970-01-01 (inverse of `daysFromCivil`). */
export const civilFromDays = (days: number): CivilDate => {
  const shifted = days + EPOCH_SHIFT_DAYS
  const era = Math.floor(shifted / DAYS_PER_ERA)
  const dayOfEra = shifted - era * DAYS_PER_ERA
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Days since 1970-01-01 of an ISO date "YYYY-MM-DD"; a malformed date is a programmer error here
 *  because the params Schema has already checked the pattern. */
export const daysFromIso = (iso: string): number => {
  const m = ISO_DATE.exec(iso)
  if (m === null) throw new RangeError(`not an ISO date: ${iso}`)
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const days = daysFromCivil(year, month, day)
  const back = civilFromDays(days)
  if (back.month !== month || back.day !== day) throw new RangeError(`no such date: ${iso}`)
  return days
}

export const isoFromDays = (days: number): string => {
  const c = civilFromDays(days)
  return `${c.year}-${String(c.month).padStart(2, "0")}-${String(c.day).padStart(2, "0")}`
}

/** Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday. */
export const weekdayMondayZero = (days: number): number => (((days + 3) % 7) + 7) % 7

/**
 * Lunar New Year's Day (正月初一) per Gregorian year, 2013-2019, from the Chinese calendar as
 * published (2014-01-31, 2015-02-19, 2016-02-08, 2017-01-28 per the brief and CALIBRATION.md §3.3's
 * Spring Festival figures). 除夕 is the day before.
 */
const LUNAR_NEW_YEAR: ReadonlyMap<number, string> = new Map([
  [2013, "2013-02-10"],
  [2014, "2014-01-31"],
  [2015, "2015-02-19"],
  [2016, "2016-02-08"],
  [2017, "2017-01-28"],
  [2018, "2018-02-16"],
  [2019, "2019-02-05"],
])

/** Day count of Lunar New Year's Day in a Gregorian year; years outside the table are a
 *  programmer error (the twin covers 2014-2017). */
export const lunarNewYearDays = (year: number): number => {
  const iso = LUNAR_NEW_YEAR.get(year)
  if (iso === undefined) throw new RangeError(`no Lunar New Year date for ${year} (table covers 2013-2019)`)
  return daysFromIso(iso)
}

export type HolidayKind = "pre-festival" | "festival-week" | "double-11" | "payday" | "ordinary"

/**
 * What kind of day a civil day is for demand. CALIBRATION.md §3.3: counts peak in the week before
 * 除夕 (days −8..−2 from 初一), the festival week 除夕..初六 (days −1..+5) is lower in Guiyang
 * because of out-migration; 11.11 is the e-commerce peak; transfers and bills bulge on the 5th,
 * 15th and 25th (paydays) and on the last day of the month.
 */
export const holidayOf = (days: number): HolidayKind => {
  const c = civilFromDays(days)
  // Lunar New Year falls between Jan 21 and Feb 20, so its window never reaches into December.
  const offset = days - lunarNewYearDays(c.year)
  if (offset >= -8 && offset <= -2) return "pre-festival"
  if (offset >= -1 && offset <= 5) return "festival-week"
  if (c.month === 11 && c.day === 11) return "double-11"
  const lastOfMonth = civilFromDays(days + 1).day === 1
  if (c.day === 5 || c.day === 15 || c.day === 25 || lastOfMonth) return "payday"
  return "ordinary"
}
