/**
 * Poisson arrivals. Homogeneous ones are exponential gaps; non-homogeneous ones are drawn by
 * thinning (Lewis & Shedler, 1979): candidates at the profile's maximum rate, each kept with
 * probability rate(t)/rateMax. Thinning is exact for any bounded rate function.
 */
import { exponential } from "./distributions.ts"
import type { RateProfile } from "./profiles.ts"
import type { Stream } from "./stream.ts"

const US_PER_SECOND = 1_000_000
/** Rejected candidates allowed per arrival before the profile is declared broken. */
const CANDIDATES_MAX = 1_000_000

/**
 * The first arrival after `fromUs` and before `horizonUs`, or -1 if there is none. Times are
 * integer µs; a candidate is drawn on the continuous line and rounded up, so it lies after fromUs.
 */
export const nextArrivalUs = (s: Stream, profile: RateProfile, fromUs: number, horizonUs: number): number => {
  const rateMax = profile.ratePerSecondMax
  if (!(rateMax > 0)) return -1
  const gapUsMean = US_PER_SECOND / rateMax
  let t = fromUs
  for (let i = 0; i < CANDIDATES_MAX; i++) {
    t += exponential(s, gapUsMean)
    if (t >= horizonUs) return -1
    const rate = profile.ratePerSecondAt(t)
    if (rate > rateMax) throw new RangeError(`rate ${rate}/s above the profile's maximum ${rateMax}/s`)
    if (s.float53() * rateMax < rate) return Math.max(fromUs + 1, Math.ceil(t))
  }
  throw new Error(`no arrival in ${CANDIDATES_MAX} candidates: is the profile almost always zero?`)
}
