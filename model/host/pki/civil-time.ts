/**
 * Simulated instants (integer seconds since 1970-01-01T00:00:00Z, no leap seconds — the POSIX
 * count RFC 5280 §4.1.2.5 times are read in) to and from the proleptic Gregorian calendar and the
 * X.509 time types. The data plane has no Date (DESIGN.md §4), so the calendar is computed here:
 * the Gregorian calendar repeats every 400 years (146,097 days), and counting years from March
 * puts the leap day last, which makes the month lengths a fixed linear pattern.
 */
import { DER_TAG } from "../../crypto/x509/der-tags.ts"
import { derElement } from "./der-writer.ts"

export interface CivilTime {
  readonly year: number
  /** 1..12 */
  readonly month: number
  /** 1..31 */
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

const SECONDS_PER_DAY = 86_400
const DAYS_PER_ERA = 146_097
/** Days from 0000-03-01 to 1970-01-01 in the March-based count. */
const EPOCH_SHIFT_DAYS = 719_468

/** Days since 1970-01-01 to the civil date (year, month, day). */
export const civilFromDays = (days: number): { year: number; month: number; day: number } => {
  const shifted = days + EPOCH_SHIFT_DAYS
  const era = Math.floor(shifted / DAYS_PER_ERA)
  const dayOfEra = shifted - era * DAYS_PER_ERA
  // Years of the era: every 4th year has one more day, except every 100th, except the 400th.
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  // Months from March: lengths 31 30 31 30 31 31 30 31 30 31 31 (28|29) follow (153·m + 2) / 5.
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  return { year, month, day }
}

/** The inverse of `civilFromDays`. */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const marchYear = month <= 2 ? year - 1 : year
  const era = Math.floor(marchYear / 400)
  const yearOfEra = marchYear - era * 400
  const marchMonth = month > 2 ? month - 3 : month + 9
  const dayOfYear = Math.floor((153 * marchMonth + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * DAYS_PER_ERA + dayOfEra - EPOCH_SHIFT_DAYS
}

export const civilFromSeconds = (seconds: number): CivilTime => {
  if (!Number.isSafeInteger(seconds)) throw new RangeError(`instant ${seconds} is not an integer`)
  const days = Math.floor(seconds / SECONDS_PER_DAY)
  const rest = seconds - days * SECONDS_PER_DAY
  return {
    ...civilFromDays(days),
    hour: Math.floor(rest / 3600),
    minute: Math.floor((rest % 3600) / 60),
    second: rest % 60,
  }
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0")

/**
 * RFC 5280 §4.1.2.5: UTCTime (YYMMDDHHMMSSZ) for years 1950-2049, GeneralizedTime
 * (YYYYMMDDHHMMSSZ) otherwise; always UTC with seconds and no fraction.
 */
export const derX509Time = (seconds: number): Uint8Array => {
  const t = civilFromSeconds(seconds)
  if (t.year < 0 || t.year > 9999) throw new RangeError(`year ${t.year} has no X.509 time`)
  const clock = `${pad(t.month, 2)}${pad(t.day, 2)}${pad(t.hour, 2)}${pad(t.minute, 2)}${pad(t.second, 2)}Z`
  const utc = t.year >= 1950 && t.year < 2050
  const text = utc ? `${pad(t.year % 100, 2)}${clock}` : `${pad(t.year, 4)}${clock}`
  return derElement(utc ? DER_TAG.UTC_TIME : DER_TAG.GENERALIZED_TIME, new TextEncoder().encode(text))
}

/**
 * The instant of an X.509 time text as `parseCertificate` returns it (12 digits for UTCTime with
 * the RFC 5280 §4.1.2.5.1 century rule, 14 for GeneralizedTime, then Z), or null if it is not one.
 */
export const secondsFromX509Time = (text: string): number | null => {
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
  if (match === null) return null
  const [yearText, month, day, hour, minute, second] = match.slice(1).map(Number) as number[]
  const shortYear = match[1]?.length === 2
  const year = shortYear
    ? ((yearText as number) < 50 ? 2000 : 1900) + (yearText as number)
    : (yearText as number)
  const values = [month, day, hour, minute, second] as number[]
  const limits = [12, 31, 23, 59, 59]
  if (values.some((v, i) => v > (limits[i] as number)) || (month as number) < 1 || (day as number) < 1)
    return null
  const days = daysFromCivil(year, month as number, day as number)
  if (civilFromDays(days).day !== day) return null
  return days * SECONDS_PER_DAY + (hour as number) * 3600 + (minute as number) * 60 + (second as number)
}
