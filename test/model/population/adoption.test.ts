/**
 * Proves the Bass adoption curve: monotone and bounded by its moving ceiling for any coefficients
 * and campaigns, equal to Bass's closed form under a fixed ceiling, raised by campaigns, and
 * matched by the agents' own adoption times (a pure function of seed and index).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { adoptionCurve, adoptionSecondsOf, NEVER } from "../../../model/population/adoption.ts"
import { PILOT_PLAN, PILOT_REALISTIC } from "../../../model/population/pilot-calibrations.ts"
import type { PopulationParams } from "../../../model/population/population-params.ts"
import { drawUser } from "../../../model/population/user.ts"

const withAdoption = (
  base: PopulationParams,
  a: Partial<PopulationParams["adoption"]>,
): PopulationParams => ({
  ...base,
  adoption: { ...base.adoption, ...a },
})

const flatCeiling = (p: PopulationParams): PopulationParams => ({
  ...p,
  handsets: { ...p.handsets, nfcShareByYear: [{ year: 2014, sharePermille: 400 }] },
})

describe("Bass adoption", () => {
  it("is monotone and never exceeds the ceiling", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 1, max: 20, noNaN: true }),
        (p, q, takeUp, boost) => {
          const params = withAdoption(PILOT_REALISTIC, {
            innovationPerYear: p,
            imitationPerYear: q,
            takeUpPermille: takeUp,
            campaigns: [{ name: "c", startDate: "2015-03-01", durationDays: 30, innovationFactor: boost }],
          })
          const c = adoptionCurve(params)
          for (let d = 0; d <= c.days; d++) {
            expect(c.adoptersExpected[d]!).toBeLessThanOrEqual(c.potentialUsers[d]! * (1 + 1e-12))
            if (d > 0)
              expect(c.adoptersExpected[d]!).toBeGreaterThanOrEqual(c.adoptersExpected[d - 1]! - 1e-9)
          }
        },
      ),
      { numRuns: 25 },
    )
  })

  it("follows Bass's closed form under a fixed ceiling", () => {
    const params = withAdoption(flatCeiling(PILOT_PLAN), {
      innovationPerYear: 0.03,
      imitationPerYear: 0.38,
      campaigns: [],
    })
    const c = adoptionCurve(params)
    const [p, q] = [0.03, 0.38]
    for (const d of [100, 365, 730, 1095]) {
      const t = d / 365.25
      const bass = (1 - Math.exp(-(p + q) * t)) / (1 + (q / p) * Math.exp(-(p + q) * t))
      expect(c.adoptersExpected[d]! / c.potentialUsers[d]!).toBeCloseTo(bass, 3)
    }
  })

  it("adopts more with a campaign than without", () => {
    const without = adoptionCurve(withAdoption(PILOT_REALISTIC, { campaigns: [] }))
    const withIt = adoptionCurve(PILOT_REALISTIC)
    expect(withIt.adoptersExpected[365]!).toBeGreaterThan(without.adoptersExpected[365]!)
  })

  it("lets the agents' adoption times reproduce the curve (within 4 standard errors)", () => {
    const params = PILOT_REALISTIC
    const c = adoptionCurve(params)
    const n = 200_000
    const days = [200, 600, 1000]
    const counts = days.map(() => 0)
    for (let i = 0; i < n; i++) {
      const t = adoptionSecondsOf(params, c, drawUser(11, i))
      if (t === NEVER) continue
      days.forEach((d, k) => {
        if (t < d * 86_400) counts[k]!++
      })
    }
    days.forEach((d, k) => {
      const share = c.adoptersExpected[d]! / params.market.marketUsers
      const se = Math.sqrt((share * (1 - share)) / n)
      expect(Math.abs(counts[k]! / n - share)).toBeLessThan(4 * se)
    })
  })

  it("rejects an installed base above the ceiling at time zero", () => {
    expect(() => adoptionCurve(withAdoption(PILOT_REALISTIC, { initialAdopters: 4_000_000 }))).toThrow(
      /initialAdopters/,
    )
  })
})
