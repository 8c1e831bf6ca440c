// Proves the money audit catches what it claims to: an unbalanced posting, a double booking, a
// deposit below zero, e-cash on cards that the float does not back, a card balance that does not
// follow from its changes, a clearing cycle that does not net to zero, an unfinished authorization,
// an escrow hold never closed or an escrow account the holds do not explain, and a stand-in
// approval whose advice never posts, posts twice, posts unasked or settles too early.
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

const standIn = (state: "approved" | "posted") => ({ id: "S", issuer: "B", pan: "p", amountFen: 5, state })

describe("money audit", () => {
  it("finds nothing wrong in a healthy history", () => {
    const a = new MoneyAudit()
    healthy(a)
    a.observe(2, MONEY_SIGNAL.auth, { id: "A", issuer: "B", acquirer: "B", amountFen: 5, state: "opened" })
    a.observe(3, MONEY_SIGNAL.auth, { id: "A", issuer: "B", acquirer: "B", amountFen: 5, state: "declined" })
    a.observe(4, MONEY_SIGNAL.standIn, standIn("approved"))
    a.observe(5, MONEY_SIGNAL.standIn, standIn("posted"))
    a.observe(6, MONEY_SIGNAL.auth, { id: "S", issuer: "B", acquirer: "B", amountFen: 5, state: "settled" })
    const report = a.finish()
    expect(report.violations).toEqual([])
    expect(report.standIns).toBe(1)
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
    [
      "escrow never closed",
      (a: MoneyAudit) => {
        a.observe(
          5,
          MONEY_SIGNAL.posting,
          posting("escrow-hold:E", [
            ["cust:x", "liability", -50],
            ["escrow", "liability", 50],
          ]),
        )
        a.observe(5, MONEY_SIGNAL.escrow, { id: "E", bank: "B", amountFen: 50, state: "held" })
      },
      /never released or refunded/,
    ],
    [
      "escrow account not backed by holds",
      (a: MoneyAudit) =>
        a.observe(
          5,
          MONEY_SIGNAL.posting,
          posting("x", [
            ["cust:x", "liability", -50],
            ["escrow", "liability", 50],
          ]),
        ),
      /escrow 50 ≠ open holds 0/,
    ],
    [
      "stand-in advice never posted",
      (a: MoneyAudit) => a.observe(5, MONEY_SIGNAL.standIn, standIn("approved")),
      /never posted/,
    ],
    [
      "stand-in advice posted without an approval",
      (a: MoneyAudit) => a.observe(5, MONEY_SIGNAL.standIn, standIn("posted")),
      /without an open stand-in/,
    ],
    [
      "stand-in settled before its advice",
      (a: MoneyAudit) => {
        a.observe(5, MONEY_SIGNAL.standIn, standIn("approved"))
        a.observe(6, MONEY_SIGNAL.auth, {
          id: "S",
          issuer: "B",
          acquirer: "B",
          amountFen: 5,
          state: "settled",
        })
        a.observe(7, MONEY_SIGNAL.standIn, standIn("posted"))
      },
      /settled before its advice/,
    ],
    [
      "stand-in advice posted twice",
      (a: MoneyAudit) => {
        a.observe(5, MONEY_SIGNAL.standIn, standIn("approved"))
        a.observe(6, MONEY_SIGNAL.standIn, standIn("posted"))
        a.observe(7, MONEY_SIGNAL.standIn, standIn("posted"))
      },
      /without an open stand-in/,
    ],
  ])("flags %s", (_name, inject, pattern) => {
    const a = new MoneyAudit()
    healthy(a)
    inject(a)
    const violations = a.finish().violations
    expect(violations.some((v) => pattern.test(v))).toBe(true)
  })
})
