/**
 * The proleptic Gregorian calendar on integer day counts since 1970-01-01. The data plane has no
 * Date (DESIGN.md §4), and both the population (days, weekdays, holidays) and the PKI (X.509
 * validity times) need civil dates, so the arithmetic lives here once. The Gregorian calendar
 * repeats every 400 years (146,097 days), and counting years from March puts the leap day last,
 * which makes the month lengths the linear pattern (153·m + 2) / 5.
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

/** Whether `iso` is "YYYY-MM-DD" and names a day that exists (2015-02-30 does not). */
export const isCalendarDate = (iso: string): boolean => {
  const m = ISO_DATE.exec(iso)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12 || day < 1) return false
  const back = civilFromDays(daysFromCivil(year, month, day))
  return back.month === month && back.day === day
}
