// Proves the money audit catches what it claims to: an unbalanced posting, a double booking, a
// deposit below zero, e-cash on cards that the float does not back, a card balance that does not
// follow from its changes, a clearing cycle that does not net to zero and an unfinished authorization.
import { describe, expect, it } from "vitest"
import { MoneyAudit } from "../../../model/audit/money-audit.ts"
import { MONEY_SIGNAL } from "../../../model/signals/money-signals.ts"

const posting = (entry: string, legs: Array<[string, "asset" | "liability", number]>) => ({
  bank: "B",
  entry,
  legs: legs.map(([account, side, deltaFen]) => ({ account, side, deltaFen })),
})

const healthy = (a: MoneyAudit): void => {
  a.observe(
    0,
    MONEY_SIGNAL.posting,
    posting("open", [
      ["reserve", "asset", 1000],
      ["equity", "liability", 1000],
    ]),
  )
  a.observe(
    0,
    MONEY_SIGNAL.posting,
    posting("deposit", [
      ["equity", "liability", -500],
      ["cust:x", "liability", 500],
    ]),
  )
  a.observe(
    1,
    MONEY_SIGNAL.posting,
    posting("preload", [
      ["cust:x", "liability", -100],
      ["ecash-float", "liability", 100],
    ]),
  )
  a.observe(1, MONEY_SIGNAL.ecash, {
    issuer: "B",
    pan: "p",
    deltaFen: 100,
    balanceAfterFen: 100,
    cause: "personalization",
  })
}

describe("money audit", () => {
  it("finds nothing wrong in a healthy history", () => {
    const a = new MoneyAudit()
    healthy(a)
    a.observe(2, MONEY_SIGNAL.auth, { id: "A", issuer: "B", acquirer: "B", amountFen: 5, state: "opened" })
    a.observe(3, MONEY_SIGNAL.auth, { id: "A", issuer: "B", acquirer: "B", amountFen: 5, state: "declined" })
    expect(a.finish().violations).toEqual([])
  })

  it.each([
    [
      "unbalanced",
      (a: MoneyAudit) => a.observe(5, MONEY_SIGNAL.posting, posting("x", [["cust:x", "liability", 1]])),
      /unbalanced/,
    ],
    [
      "double booking",
      (a: MoneyAudit) => {
        const p = posting("auth:T1", [
          ["cust:x", "liability", -1],
          ["scheme-payable", "liability", 1],
        ])
        a.observe(5, MONEY_SIGNAL.posting, p)
        a.observe(6, MONEY_SIGNAL.posting, p)
      },
      /posted twice/,
    ],
    [
      "overdraft",
      (a: MoneyAudit) =>
        a.observe(
          5,
          MONEY_SIGNAL.posting,
          posting("x", [
            ["cust:x", "liability", -900],
            ["equity", "liability", 900],
          ]),
        ),
      /negative/,
    ],
    [
      "unbacked e-cash",
      (a: MoneyAudit) =>
        a.observe(5, MONEY_SIGNAL.ecash, {
          issuer: "B",
          pan: "p",
          deltaFen: 50,
          balanceAfterFen: 150,
          cause: "load",
        }),
      /e-cash float/,
    ],
    [
      "card arithmetic",
      (a: MoneyAudit) =>
        a.observe(5, MONEY_SIGNAL.ecash, {
          issuer: "B",
          pan: "p",
          deltaFen: -10,
          balanceAfterFen: 80,
          cause: "purchase",
        }),
      /≠ reported/,
    ],
    [
      "clearing not zero-sum",
      (a: MoneyAudit) =>
        a.observe(5, MONEY_SIGNAL.clearing, { cycle: 1, positions: { B: 5, C: -4 }, records: 1 }),
      /sum to 1/,
    ],
    [
      "unfinished authorization",
      (a: MoneyAudit) =>
        a.observe(5, MONEY_SIGNAL.auth, {
          id: "Z",
          issuer: "B",
          acquirer: "B",
          amountFen: 5,
          state: "approved",
        }),
      /ended approved/,
    ],
  ])("flags %s", (_name, inject, pattern) => {
    const a = new MoneyAudit()
    healthy(a)
    inject(a)
    const violations = a.finish().violations
    expect(violations.some((v) => pattern.test(v))).toBe(true)
  })
})
