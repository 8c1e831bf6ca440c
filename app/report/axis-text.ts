/**
 * Axis labels that fit and tell apart: compact counts (40 k, 1.6 M, 2.3 bn) so tick labels are
 * never clipped by the margin, percentages with as many decimals as the tick step needs (so a
 * 0-0.002 % axis does not print "0.001 %" three times), and calendar ticks on the first of a month
 * (January and July for runs of years) instead of arbitrary day numbers.
 */
import { simulatedDate } from "./format.ts"

const US_PER_DAY = 86_400_000_000

/** 950 → "950"; 40 000 → "40 k"; 1.6e6 → "1.6 M"; 2.3e9 → "2.3 bn". */
export const formatCompact = (v: number): string => {
  const a = Math.abs(v)
  const short = (x: number) => (Math.abs(x) >= 10 ? String(Math.round(x)) : String(Number(x.toFixed(1))))
  if (a >= 1e9) return `${short(v / 1e9)} bn`
  if (a >= 1e6) return `${short(v / 1e6)} M`
  if (a >= 1e4) return `${short(v / 1e3)} k`
  return a >= 100 || Number.isInteger(v) ? String(Math.round(v)) : String(Number(v.toPrecision(3)))
}

/** A ratio as a percentage with the decimals the tick step needs (at most 4). */
export const formatPercent = (ratio: number, step: number): string => {
  const decimals = step > 0 ? Math.min(4, Math.max(0, -Math.floor(Math.log10(step * 100)))) : 0
  return `${(ratio * 100).toFixed(decimals)} %`
}

/** A ratio as a percentage with two significant digits (0.00084 %), for a bar's own label. */
export const formatPercentValue = (ratio: number): string =>
  ratio === 0 ? "0 %" : `${Number((ratio * 100).toPrecision(2))} %`

/** A value for a y axis in its unit, given the ticks' step. */
export const axisValue =
  (unit: string) =>
  (v: number, step: number): string =>
    unit === "ratio" ? formatPercent(v, step) : formatCompact(v)

/**
 * Day numbers (from the run's start) of the month starts inside [fromDay, toDay]: every month for
 * short runs, every quarter past 8 months, January and July past 2 years.
 */
export const monthTicks = (startEpochS: number, fromDay: number, toDay: number): number[] => {
  const span = toDay - fromDay
  const every = span > 730 ? 6 : span > 240 ? 3 : 1
  const ticks: number[] = []
  const start = new Date(startEpochS * 1000 + fromDay * 86_400_000)
  let y = start.getUTCFullYear()
  let m = start.getUTCMonth() + 1
  for (let guard = 0; guard < 400; guard++) {
    if (m > 11) {
      y += Math.floor(m / 12)
      m %= 12
    }
    const day = (Date.UTC(y, m, 1) / 1000 - startEpochS) / 86_400
    if (day > toDay) break
    if (day >= fromDay && m % every === 0) ticks.push(day)
    m++
  }
  return ticks
}

/** "2015-07" for a month tick, from a day number. */
export const monthLabel = (startEpochS: number, day: number): string =>
  simulatedDate(startEpochS, day * US_PER_DAY).slice(0, 7)
