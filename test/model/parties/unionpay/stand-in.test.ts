// Proves the stand-in allowance: whatever amounts a card asks for in a day, the approvals it gets
// never exceed the per-card count and amount limits, a refusal takes nothing, and the cut-off
// starts a fresh allowance.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { StandInBook, TWIN_STIP_LIMITS } from "../../../../model/parties/unionpay/stand-in.ts"

describe("stand-in limits", () => {
  it("never approves more than countMax or amountFenMax per card per day", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("p1", "p2"), fc.integer({ min: 0, max: 150_000 })), {
          maxLength: 30,
        }),
        (asks) => {
          const book = new StandInBook(TWIN_STIP_LIMITS)
          const got = new Map<string, { count: number; fen: number }>()
          for (const [pan, fen] of asks) {
            const before = got.get(pan) ?? { count: 0, fen: 0 }
            const fits =
              before.count < TWIN_STIP_LIMITS.countMax && before.fen + fen <= TWIN_STIP_LIMITS.amountFenMax
            expect(book.take(pan, fen)).toBe(fits)
            if (fits) got.set(pan, { count: before.count + 1, fen: before.fen + fen })
          }
          for (const u of got.values()) {
            expect(u.count).toBeLessThanOrEqual(TWIN_STIP_LIMITS.countMax)
            expect(u.fen).toBeLessThanOrEqual(TWIN_STIP_LIMITS.amountFenMax)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it("starts a fresh allowance at the cut-off", () => {
    const book = new StandInBook({ ...TWIN_STIP_LIMITS, countMax: 1 })
    expect(book.take("p", 100)).toBe(true)
    expect(book.take("p", 100)).toBe(false)
    book.newDay()
    expect(book.take("p", 100)).toBe(true)
  })
})
