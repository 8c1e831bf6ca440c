/**
 * Adoption by Bass diffusion (Bass 1969) under a moving ceiling, as one deterministic curve shared
 * by the agent simulation and the fluid projection, so the two cannot drift apart.
 *
 * The market potential on day d is m(d) = users × ceiling share(d) × take-up (× the share of SE
 * types the pilot supports): NFC handset penetration (or smartphone share for remote banking)
 * bounds adoption. A user becomes eligible on the first day the ceiling share exceeds its handset
 * rank, and then adopts with the mean-field Bass hazard h(t) = p(t) + q(t)·A(t)/m(t), where p is
 * raised inside campaign windows and q lowered by competition. The user adopts when the hazard
 * accumulated since eligibility reaches its own Exp(1) threshold. With H the cumulative hazard,
 * the expected adopters are A(d) = Σ_τ Δm(τ)·(1 − e^{−(H(d) − H(τ))}), whose derivative is exactly
 * Bass's dA/dt = h·(m − A); H is integrated day by day from that A, so the curve is the fluid model
 * and each user's adoption time is a pure function of (seed, index) read off the same curve.
 * The installed base at time zero is an atom H(0) = −ln(1 − A0/m(0)) for users eligible then.
 */
import { daysFromIso } from "../calendar/civil-calendar.ts"
import type { PopulationParams } from "./population-params.ts"
import { SE_TYPES } from "./population-params.ts"
import { potentialAdopter, shareAtEpochDays, timeZeroEpochDays, type UserDraws } from "./user.ts"

const SECONDS_PER_DAY = 86_400
const DAYS_PER_YEAR = 365.25
/** A user who does not adopt within the horizon. */
export const NEVER = -1

export interface AdoptionCurve {
  readonly days: number
  /** Ceiling share (of all users' handsets) at the start of each day, 0..days. */
  readonly ceilingShare: Float64Array
  /** Market potential m(d) in users. */
  readonly potentialUsers: Float64Array
  /** Cumulative Bass hazard H(d) at the start of each day (piecewise linear in between). */
  readonly hazard: Float64Array
  /** Expected cumulative adopters A(d) at the start of each day. */
  readonly adoptersExpected: Float64Array
}

/** Multiplier on p per day from the campaign windows (factors of overlapping campaigns multiply). */
const innovationFactors = (p: PopulationParams, days: number): Float64Array => {
  const f = new Float64Array(days).fill(1)
  const zero = timeZeroEpochDays(p)
  for (const c of p.adoption.campaigns) {
    const start = daysFromIso(c.startDate) - zero
    for (let d = Math.max(0, start); d < Math.min(days, start + c.durationDays); d++)
      f[d]! *= c.innovationFactor
  }
  return f
}

const supportedShare = (p: PopulationParams): number => {
  if (p.adoption.ceiling === "smartphone") return 1
  const w = p.handsets.seTypeWeightsPermille
  return SE_TYPES.filter((t) => p.handsets.supportedSeTypes.includes(t)).reduce((a, t) => a + w[t], 0) / 1000
}

const ceilingShares = (p: PopulationParams, days: number): Float64Array => {
  const table =
    p.adoption.ceiling === "smartphone" ? p.handsets.smartphoneShareByYear : p.handsets.nfcShareByYear
  const zero = timeZeroEpochDays(p)
  const out = new Float64Array(days + 1)
  for (let d = 0; d <= days; d++) out[d] = shareAtEpochDays(table, zero + d)
  return out
}

/** Builds the curve over the calibration's horizon; an installed base above m(0) is a bad calibration. */
export const adoptionCurve = (p: PopulationParams): AdoptionCurve => {
  const days = p.horizonDays
  const ceilingShare = ceilingShares(p, days)
  const perShare = p.market.marketUsers * (p.adoption.takeUpPermille / 1000) * supportedShare(p)
  const potentialUsers = ceilingShare.map((s) => s * perShare)
  const m0 = potentialUsers[0]!
  const a0 = p.adoption.initialAdopters
  if (!(a0 === 0 || a0 < m0))
    throw new RangeError(`initialAdopters ${a0} must be below the potential at time zero (${Math.floor(m0)})`)
  const hazard = new Float64Array(days + 1)
  const adoptersExpected = new Float64Array(days + 1)
  hazard[0] = a0 === 0 ? 0 : -Math.log(1 - a0 / m0)
  const pFactor = innovationFactors(p, days)
  const competitionDay =
    p.competition === undefined ? days : daysFromIso(p.competition.fromDate) - timeZeroEpochDays(p)
  const qLate = p.competition?.imitationFactor ?? 1
  for (let d = 0; d <= days; d++) {
    const a = expectedAdopters(potentialUsers, hazard, d)
    adoptersExpected[d] = a
    if (d === days) break
    const m = potentialUsers[d]!
    const pDay = (p.adoption.innovationPerYear / DAYS_PER_YEAR) * pFactor[d]!
    const qDay = (p.adoption.imitationPerYear / DAYS_PER_YEAR) * (d >= competitionDay ? qLate : 1)
    hazard[d + 1] = hazard[d]! + pDay + (m > 0 ? (qDay * a) / m : 0)
  }
  return { days, ceilingShare, potentialUsers, hazard, adoptersExpected }
}

/** A(d) = Σ_τ≤d Δm(τ)·(1 − e^{−(H(d) − base(τ))}), base(0) = 0 (the atom), base(τ) = H(τ). */
const expectedAdopters = (m: Float64Array, hazard: Float64Array, d: number): number => {
  const h = hazard[d]!
  let a = m[0]! * (1 - Math.exp(-h))
  for (let tau = 1; tau <= d; tau++) {
    const dm = m[tau]! - m[tau - 1]!
    if (dm > 0) a += dm * (1 - Math.exp(-(h - hazard[tau]!)))
  }
  return a
}

/** First day whose ceiling share exceeds the rank, or -1 (shares never fall: checked by decode). */
export const eligibleDay = (curve: AdoptionCurve, handsetRank: number): number => {
  const s = curve.ceilingShare
  if (!(s[curve.days]! > handsetRank)) return -1
  let lo = 0
  let hi = curve.days
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (s[mid]! > handsetRank) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** The user's adoption time in whole seconds after time zero, or NEVER within the horizon. */
export const adoptionSecondsOf = (p: PopulationParams, curve: AdoptionCurve, d: UserDraws): number => {
  if (!potentialAdopter(p, d)) return NEVER
  const tau = eligibleDay(curve, d.handsetRank)
  if (tau < 0) return NEVER
  const H = curve.hazard
  const target = (tau === 0 ? 0 : H[tau]!) + d.adoptionThreshold
  if (tau === 0 && target <= H[0]!) return 0
  if (target > H[curve.days]!) return NEVER
  let lo = tau
  let hi = curve.days - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (H[mid]! < target) lo = mid
    else hi = mid - 1
  }
  const frac = (target - H[lo]!) / (H[lo + 1]! - H[lo]!)
  return Math.min(Math.floor((lo + frac) * SECONDS_PER_DAY), curve.days * SECONDS_PER_DAY - 1)
}
