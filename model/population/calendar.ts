/**
 * The population's calendar: simulated day indices to civil dates, weekdays and the holidays that
 * shape demand (the day arithmetic itself is model/calendar/civil-calendar.ts). A run's time zero
 * is midnight (local time) at the start of a scenario's `timeZeroDate`; all population times are
 * offsets from it.
 */
import { civilFromDays, daysFromIso } from "../calendar/civil-calendar.ts"

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
