// Proves the loan decision follows TWIN-CREDIT-1: over the cap or over-indebted is declined
// whatever the bureau says, the same application and stream always get the same answer, an
// approval's score clears the threshold for its amount, and larger loans against the same deposit
// are approved less often.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decideLoan, TWIN_CREDIT_POLICY } from "../../../../model/parties/bank/credit-decision.ts"
import { streamOf } from "../../../../sim/rng/stream.ts"

const P = TWIN_CREDIT_POLICY

describe("credit decision", () => {
  it("declines over the cap and over the debt-to-deposit ratio, and is deterministic per stream", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 * P.amountFenMax }),
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.nat(),
        (amountFen, depositFen, outstandingFen, seed) => {
          const a = { amountFen, depositFen, outstandingFen }
          const d = decideLoan(P, a, streamOf(seed, "bank/credit"))
          expect(decideLoan(P, a, streamOf(seed, "bank/credit"))).toEqual(d)
          if (amountFen > P.amountFenMax) expect(d).toEqual({ approved: false, reason: "over-cap" })
          else if (outstandingFen + amountFen > P.debtToDepositMax * depositFen)
            expect(d).toEqual({ approved: false, reason: "over-indebted" })
          else if (d.approved) expect(d.score).toBeGreaterThanOrEqual(100)
          else expect(d.reason).toBe("bureau-score")
        },
      ),
      { numRuns: 300 },
    )
  })

  it("approves a small loan more often than a large one against the same deposit", () => {
    const rate = (amountFen: number) => {
      let ok = 0
      for (let i = 0; i < 2_000; i++)
        if (
          decideLoan(P, { amountFen, depositFen: 5_000_000, outstandingFen: 0 }, streamOf(7, "c", i)).approved
        )
          ok++
      return ok / 2_000
    }
    const small = rate(100_000)
    const large = rate(5_000_000)
    expect(small).toBeGreaterThan(large + 0.25)
    expect(large).toBeGreaterThan(0.3)
  })
})
