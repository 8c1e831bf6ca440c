/**
 * Proves the money auditor can fail: a clean day of mixed payments passes every money invariant,
 * and each planted defect — a lost leg, a day cleared twice, an altered position, a dropped TC, a
 * deposit changed behind the books, a cycle skipped — is reported by the invariant that guards it.
 */
import { describe, expect, it } from "vitest"
import { DayTally, runClearingCycle } from "../../../../../model/world/pilot/payments/clearing-day.ts"
import { MONEY_INVARIANTS } from "../../../../../model/world/pilot/payments/money-audit.ts"
import { ACCOUNT } from "../../../../../model/world/pilot/payments/money-books.ts"
import {
  closeAndAudit,
  type Fixture,
  fixture,
  pay,
  steerReceiver,
  US_PER_DAY,
  USERS,
} from "./payments-fixture.ts"

/** A day of every kind of payment, on-us and interbank, for every user. */
const busyDay = (f: Fixture, day: number): void => {
  for (let u = 0; u < USERS; u++) {
    const at = (day - 1) * US_PER_DAY + 1_000_000 * (u + 1)
    steerReceiver(f, u, u % 2 === 0)
    expect(pay(f, u, "transfer", 50_000 + u, at)).toBe(true)
    steerReceiver(f, u, u % 3 === 0)
    expect(pay(f, u, "purchase-offline", 2_500 + u, at + 10)).toBe(true)
    expect(pay(f, u, "purchase-online", 15_000, at + 20)).toBe(true)
    expect(pay(f, u, "load", 30_000, at + 30)).toBe(true)
    expect(pay(f, u, "balance-inquiry", 0, at + 40)).toBe(true)
  }
}

const violated = (f: Fixture): string[] => {
  const rows = f.payments.audit.rows
  return [...rows].filter(([, r]) => r.violations > 0).map(([n]) => n)
}

describe("money auditor", () => {
  it("passes a clean run and checks every invariant it names", () => {
    const f = fixture()
    busyDay(f, 1)
    busyDay(f, 2)
    expect(closeAndAudit(f, 3)).toEqual([])
    for (const name of MONEY_INVARIANTS)
      expect(f.payments.audit.rows.get(name)!.checks, name).toBeGreaterThan(0)
    expect(f.payments.itemsToClear).toBeGreaterThan(USERS)
  })

  it("reports a lost leg (one side of a posting) as a double-entry violation", () => {
    const f = fixture()
    busyDay(f, 1)
    f.payments.books.leg(1, ACCOUNT.merchantDeposits, -777)
    expect(closeAndAudit(f, 1).join("\n")).toMatch(/money-double-entry: .*-?777 fen/)
    expect(violated(f)).toEqual(["money-double-entry"])
  })

  it("reports a day cleared twice", () => {
    const f = fixture()
    busyDay(f, 1)
    const copy = new DayTally(f.payments.tally.banks)
    copy.copyFrom(f.payments.tally)
    f.payments.closeDay(1)
    f.payments.tally.copyFrom(copy)
    f.payments.closeDay(1)
    const v = closeAndAudit(f, 1)
    expect(violated(f)).toContain("clearing-once-per-business-day")
    expect(violated(f)).toContain("approvals-cleared-once")
    expect(v.join("\n")).toMatch(/day 1 cleared 2 times/)
  })

  it("reports a position altered after the clearing computed it", () => {
    const f = fixture()
    busyDay(f, 1)
    const p = f.payments
    const r = runClearingCycle(1, p.tally, p.books, { missingInClearing: 0, missingAtIssuer: 0 })
    p.audit.checkCycle({ ...r, positions: r.positions.map((x, i) => (i === 2 ? x + 1 : x)) }, p.tally)
    expect(violated(f)).toEqual(["clearing-positions-tied"])
    expect(p.audit.violations[0]).toMatch(/day 1 bank #2/)
  })

  it("reports a TC the acquirer did not present", () => {
    const f = fixture()
    const user = 5
    steerReceiver(f, user, true)
    expect(pay(f, user, "purchase-offline", 1_234, 1_000)).toBe(true)
    const t = f.payments.tally
    const pair = t.presentedTcCount.findIndex((n) => n > 0)
    t.presentedTcCount[pair]!--
    t.presentedTcFen[pair]! -= 1_234
    closeAndAudit(f, 1)
    expect(violated(f).sort()).toEqual([
      "approvals-cleared-once",
      "clearing-positions-tied",
      "money-ecash-recount",
    ])
  })

  it("reports deposits changed behind the books, and a skipped cycle", () => {
    const f = fixture()
    busyDay(f, 1)
    f.payments.accounts.addDeposit(7, 5)
    f.payments.closeDay(1)
    closeAndAudit(f, 1)
    f.payments.audit.checkEnd({
      books: f.payments.books,
      cyclesByDay: f.payments.cyclesByDay,
      days: 2,
      itemsToClear: f.payments.itemsToClear,
    })
    expect(violated(f).sort()).toEqual(["clearing-once-per-business-day", "money-deposits-recount"])
  })
})
