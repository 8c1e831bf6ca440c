/**
 * What an active card does: transactions arrive as a non-homogeneous Poisson process with rate
 * λ · a_user · u(t) / (hours per month), where λ is `transactionsPerUserPerMonth`, a_user the user's
 * Gamma activity (mean 1: many near-dormant cards, a few busy ones — CALIBRATION.md §3.4 expects
 * 40-70 % of cards idle in a month) and u(t) the demand table's unit intensity (mean ≈ 1). The next
 * arrival is drawn by inverting the cumulative intensity (exact; one Exp(1) draw and a binary
 * search), the kind by its share × profile at that hour, the amount from the kind's lognormal.
 *
 * Why the mean ticket is ≈ 10,000 yuan (CALIBRATION.md §3.1): the pilot's own baseline (5.086 bn
 * yuan / 491,200) and all three targets imply 10,000-10,354 yuan per transaction, which only a
 * transfer-dominated mix gives. In the calibrated mix transfers are 30 % of the count with a
 * lognormal ticket (median 13,000 yuan, σ 1.4, mean ≈ 34,000 yuan under the 1 M yuan cap),
 * contributing ≈ 10,200 of the ≈ 10,340 yuan mean; transit, offline and online purchases, loads, bills and e-commerce are 62 %
 * of the count but ≈ 130 yuan of the mean. `meanTicketFen` computes this from the parameters.
 */
import { standardNormal } from "../../sim/rng/distributions.ts"
import type { Stream } from "../../sim/rng/stream.ts"
import type { DemandTable } from "./demand-profiles.ts"
import type { KindParams, PopulationParams } from "./population-params.ts"

export const US_PER_HOUR = 3_600_000_000
/** 30.4375 days: the month `transactionsPerUserPerMonth` is counted in. */
export const HOURS_PER_MONTH = 730.5

/** Cumulative unit intensity at an instant (linear inside the hour). */
const unitsAt = (table: DemandTable, timeUs: number): number => {
  const hours = timeUs / US_PER_HOUR
  const h = Math.floor(hours)
  const cum = table.cumulativeUnits
  if (h >= cum.length - 1) return cum[cum.length - 1]!
  return cum[h]! + (cum[h + 1]! - cum[h]!) * (hours - h)
}

/**
 * The first transaction after `fromUs` of a card with the given rate multiplier
 * (λ · activity, transactions per month on an average day), or -1 if none before the horizon.
 */
export const nextTransactionUs = (
  table: DemandTable,
  perMonth: number,
  fromUs: number,
  s: Stream,
): number => {
  if (!(perMonth > 0)) return -1
  const cum = table.cumulativeUnits
  const target = unitsAt(table, fromUs) + (-Math.log(1 - s.float53()) * HOURS_PER_MONTH) / perMonth
  if (!(target < cum[cum.length - 1]!)) return -1
  // The hour is the last boundary h ≥ the start hour with cum[h] ≤ target (cum is non-decreasing,
  // and cum[last] > target), found by scanning up from the first boundary above ⌊target⌋.
  const fromHour = Math.floor(fromUs / US_PER_HOUR)
  let j = Math.max(fromHour + 1, table.firstBoundaryAbove[Math.floor(target)]!)
  while (cum[j]! <= target) j++
  const lo = j - 1
  const frac = (target - cum[lo]!) / (cum[lo + 1]! - cum[lo]!)
  return Math.max(fromUs + 1, Math.ceil((lo + frac) * US_PER_HOUR))
}

/**
 * The mix index of a transaction at `timeUs`: share × the kind's profile at that hour and day
 * (the demand table's precomputed row; past the horizon, the last day's hours).
 */
export const drawKindIndex = (table: DemandTable, timeUs: number, s: Stream): number => {
  const hour = Math.floor(timeUs / US_PER_HOUR)
  const day = Math.min(Math.floor(hour / 24), table.days - 1)
  const row = day * 24 + (hour % 24)
  const n = table.kindShare.length
  const weights = table.kindWeights
  let x = s.float53() * table.hourWeightTotals[row]!
  for (let k = 0, i = row * n; k < n; k++, i++) {
    x -= weights[i]!
    if (x < 0) return k
  }
  return n - 1
}

/** An amount in fen: lognormal around the median, capped, rounded to the fen. */
export const drawAmountFen = (kind: KindParams, s: Stream): number => {
  if (kind.amountFenMedian === 0) return 0
  const z = standardNormal(s)
  return Math.min(
    kind.amountFenMax,
    Math.max(1, Math.round(kind.amountFenMedian * Math.exp(kind.amountSigma * z))),
  )
}

/** Φ(x) by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for expected values. */
export const normalCdf = (x: number): number => {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * z)
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erfc = poly * Math.exp(-z * z)
  return x >= 0 ? 1 - erfc / 2 : erfc / 2
}

/** E[min(X, cap)] for X lognormal(ln median, σ): the expected amount of a kind in fen. */
export const meanAmountFen = (kind: KindParams): number => {
  const { amountFenMedian: median, amountSigma: sigma, amountFenMax: cap } = kind
  if (median === 0) return 0
  if (sigma === 0) return Math.min(median, cap)
  const mu = Math.log(median)
  const lc = Math.log(cap)
  const below = Math.exp(mu + (sigma * sigma) / 2) * normalCdf((lc - mu - sigma * sigma) / sigma)
  return below + cap * (1 - normalCdf((lc - mu) / sigma))
}

/** The mix's mean ticket in fen on a day where all profiles are equal (Σ share × mean amount). */
export const meanTicketFen = (p: PopulationParams): number =>
  p.behaviour.mix.reduce((a, k) => a + (k.countPermille / 1000) * meanAmountFen(k), 0)
