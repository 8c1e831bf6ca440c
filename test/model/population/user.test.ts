/**
 * Proves users are pure functions of (seed, index): the same draws and attributes every time,
 * independent of the population's size, with NFC capability that never disappears with the years
 * and telco shares that follow the calibrated weights.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { PILOT_PLAN, PILOT_REALISTIC } from "../../../model/population/pilot-calibrations.ts"
import { drawUser, nfcCapableInYear, telcoOf, userAttributes } from "../../../model/population/user.ts"

describe("user attributes", () => {
  it("are the same for the same (seed, index) and do not depend on the market size", () => {
    const other = { ...PILOT_PLAN, market: { ...PILOT_PLAN.market, marketUsers: 1000 } }
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.nat(999), (seed, index) => {
        expect(userAttributes(PILOT_PLAN, seed, index)).toEqual(userAttributes(other, seed, index))
        expect(drawUser(seed, index)).toEqual(drawUser(seed, index))
      }),
      { numRuns: 200 },
    )
  })

  it("keeps NFC capability once a year has it (shares never fall)", () => {
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.nat(10_000_000), (seed, index) => {
        const d = drawUser(seed, index)
        for (let y = 2014; y < 2018; y++)
          if (nfcCapableInYear(PILOT_REALISTIC, d, y))
            expect(nfcCapableInYear(PILOT_REALISTIC, d, y + 1)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it("draws telcos in the calibrated shares (within 4 standard errors)", () => {
    const n = 40_000
    const counts = { cmcc: 0, cucc: 0, ctcc: 0 }
    for (let i = 0; i < n; i++) counts[telcoOf(PILOT_PLAN, drawUser(7, i))]++
    for (const [telco, permille] of Object.entries(PILOT_PLAN.market.telcoWeightsPermille)) {
      const share = permille / 1000
      const se = Math.sqrt((share * (1 - share)) / n)
      expect(Math.abs(counts[telco as keyof typeof counts] / n - share)).toBeLessThan(4 * se)
    }
  })

  it("gives different users different draws", () => {
    expect(drawUser(1, 0)).not.toEqual(drawUser(1, 1))
    expect(drawUser(1, 0)).not.toEqual(drawUser(2, 0))
  })
})
