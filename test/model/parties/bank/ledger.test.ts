// Proves the ledger keeps assets = liabilities after any sequence of postings, refuses a posting
// that would overdraw a deposit without changing anything, and rejects unbalanced postings.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Ledger } from "../../../../model/parties/bank/ledger.ts"

const fresh = (): Ledger => {
  const l = new Ledger("T")
  l.open("reserve", "asset", null, 1_000_000)
  l.open("equity", "liability", null, 1_000_000)
  l.open("cust:a", "liability", 0)
  l.open("cust:b", "liability", 0)
  l.open("loans", "asset", 0)
  return l
}

describe("ledger", () => {
  it("stays balanced and never overdraws a deposit, whatever is posted", () => {
    const accounts = ["cust:a", "cust:b", "equity"] as const
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...accounts),
            fc.constantFrom(...accounts),
            fc.integer({ min: 0, max: 500_000 }),
          ),
        ),
        (moves) => {
          const l = fresh()
          for (const [from, to, fen] of moves) {
            const before = l.snapshot()
            const r = l.post([
              { account: from, deltaFen: -fen },
              { account: to, deltaFen: fen },
            ])
            if (!r.ok) expect(l.snapshot()).toEqual(before)
            expect(l.imbalanceFen()).toBe(0)
            expect(l.balance("cust:a")).toBeGreaterThanOrEqual(0)
            expect(l.balance("cust:b")).toBeGreaterThanOrEqual(0)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it("refuses an overdraft as a value naming the account", () => {
    const l = fresh()
    const r = l.post([
      { account: "cust:a", deltaFen: -1 },
      { account: "equity", deltaFen: 1 },
    ])
    expect(r).toEqual({ ok: false, error: { reason: "insufficient-funds", account: "cust:a" } })
  })

  it("throws on an unbalanced posting (a programmer error)", () => {
    expect(() => fresh().post([{ account: "equity", deltaFen: 5 }])).toThrow(/unbalanced/)
    expect(() => fresh().post([{ account: "nope", deltaFen: 0 }])).toThrow(/no account/)
  })

  it("balances a loan: an asset and a deposit grow together", () => {
    const l = fresh()
    expect(
      l.post([
        { account: "loans", deltaFen: 700 },
        { account: "cust:a", deltaFen: 700 },
      ]).ok,
    ).toBe(true)
    expect(l.imbalanceFen()).toBe(0)
  })
})
