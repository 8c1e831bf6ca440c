/**
 * Simulated instants (integer seconds since 1970-01-01T00:00:00Z, no leap seconds — the POSIX
 * count RFC 5280 §4.1.2.5 times are read in) to and from the proleptic Gregorian calendar and the
 * X.509 time types. The day arithmetic is model/calendar/civil-calendar.ts (the data plane has no
 * Date, DESIGN.md §4).
 */
import { civilFromDays, daysFromCivil } from "../../calendar/civil-calendar.ts"
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
