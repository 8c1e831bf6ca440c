/**
 * Proves the pilot's payment path takes the parties' decisions: on-us payments stay at the card's
 * bank and interbank ones cross the switch; a 挂失 hot-lists the card until 补卡; a replayed ATC is
 * a clone that gets the card hot-listed; funds run out; a down issuer host gets TWIN-STIP-1
 * stand-in for purchases within the limits (advice posted at the cut-off, books still balanced)
 * and "unavailable" otherwise; a down switch refuses interbank payments; a failing byte-level card
 * declines its payment with the card's reason; and whatever is paid, money is conserved.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  AUTH_VERDICT,
  type AuthFacts,
  decideAuthorization,
} from "../../../../../model/parties/bank/authorization-decision.ts"
import { TWIN_STIP_LIMITS } from "../../../../../model/parties/unionpay/stand-in.ts"
import { ACCOUNT } from "../../../../../model/world/pilot/payments/money-books.ts"
import {
  closeAndAudit,
  decisionsOf,
  errorsOf,
  fixture,
  pay,
  steerReceiver,
  US_PER_DAY,
} from "./payments-fixture.ts"

const HOST = "bank-host"
const SWITCH = "unionpay-switch"

describe("decideAuthorization", () => {
  const base: AuthFacts = {
    known: true,
    hotListed: false,
    lastOnlineAtc: 4,
    balanceFen: 10_000,
    amountFen: 5_000,
    atc: 5,
    arqcValid: true,
    singleLimitFen: 8_000,
  }
  it("checks card, cryptogram, ATC, hot list, limit and funds in that order", () => {
    expect(decideAuthorization(base)).toBe(AUTH_VERDICT.approved)
    expect(decideAuthorization({ ...base, known: false, arqcValid: false })).toBe(AUTH_VERDICT.unknownCard)
    expect(decideAuthorization({ ...base, arqcValid: false, atc: 1 })).toBe(AUTH_VERDICT.badCryptogram)
    expect(decideAuthorization({ ...base, atc: 4, hotListed: true })).toBe(AUTH_VERDICT.atcReplay)
    expect(decideAuthorization({ ...base, atc: 3 })).toBe(AUTH_VERDICT.atcRegression)
    expect(decideAuthorization({ ...base, hotListed: true, amountFen: 9_000 })).toBe(AUTH_VERDICT.hotListed)
    expect(decideAuthorization({ ...base, amountFen: 9_000 })).toBe(AUTH_VERDICT.exceedsLimit)
    expect(decideAuthorization({ ...base, balanceFen: 4_999 })).toBe(AUTH_VERDICT.insufficientFunds)
    // A request without a cryptogram (remote banking) has no ATC to check.
    expect(decideAuthorization({ ...base, atc: -1 })).toBe(AUTH_VERDICT.approved)
  })
})

describe("pilot payments", () => {
  it("keeps on-us payments at the card's bank and sends interbank ones through the switch", () => {
    const f = fixture()
    steerReceiver(f, 3, false)
    expect(pay(f, 3, "purchase-online", 10_000, 1_000)).toBe(true)
    expect(decisionsOf(f, SWITCH)["route-interbank"]).toBe(0)
    expect(f.unionpaySwitch.served).toBe(0)
    const bank = f.payments.accounts.bankOf(3)
    expect(f.payments.books.balance(bank, ACCOUNT.merchantDeposits)).toBe(10_000)
    steerReceiver(f, 3, true)
    expect(pay(f, 3, "purchase-online", 10_000, 2_000)).toBe(true)
    expect(decisionsOf(f, SWITCH)["route-interbank"]).toBe(1)
    expect(f.unionpaySwitch.served).toBe(1)
    expect(f.bankHost.served).toBe(2)
    expect(f.payments.books.balance(bank, ACCOUNT.schemePayable)).toBe(10_000)
    expect(closeAndAudit(f, 1)).toEqual([])
  })

  it("declines a hot-listed card's payments until 补卡 issues a new card", () => {
    const f = fixture()
    f.payments.hotList(9)
    expect(pay(f, 9, "transfer", 10_000, 1_000)).toBe(false)
    expect(pay(f, 9, "purchase-offline", 500, 2_000)).toBe(false)
    expect(errorsOf(f, HOST)["declined: hot-listed"]).toBe(2)
    expect(decisionsOf(f, HOST)["hot-list"]).toBe(1)
    f.payments.enrol(9, 3_000)
    expect(pay(f, 9, "transfer", 10_000, 4_000)).toBe(true)
    expect(closeAndAudit(f, 1)).toEqual([])
  })

  it("flags a replayed ATC as a clone and hot-lists the card", () => {
    const f = fixture()
    steerReceiver(f, 4, false)
    expect(pay(f, 4, "purchase-online", 1_000, 1_000)).toBe(true)
    f.payments.rewindCardAtc(4, 0) // the clone's counter: it will send ATC 1 again
    expect(pay(f, 4, "purchase-online", 1_000, 2_000)).toBe(false)
    expect(errorsOf(f, HOST)["declined: atc-replay"]).toBe(1)
    expect(f.payments.isHotListed(4)).toBe(true)
  })

  it("declines above the single limit and for funds when the deposit cannot cover the payment", () => {
    const f = fixture()
    const balance = f.payments.accounts.depositFen(2)
    steerReceiver(f, 2, true)
    expect(pay(f, 2, "transfer", f.payments.singleLimitFen + 1, 1_000)).toBe(false)
    expect(errorsOf(f, HOST)["declined: exceeds-limit"]).toBe(1)
    expect(pay(f, 2, "transfer", balance - 100, 2_000)).toBe(true)
    expect(pay(f, 2, "transfer", 101, 3_000)).toBe(false)
    expect(errorsOf(f, HOST)["declined: insufficient-funds"]).toBe(1)
    expect(pay(f, 2, "transfer", 100, 4_000)).toBe(true)
    expect(f.payments.accounts.depositFen(2)).toBe(0)
    expect(closeAndAudit(f, 1)).toEqual([])
  })

  it("stands in for a down issuer within the limits, posts the advice at the cut-off, else declines", () => {
    const f = fixture()
    f.bankHost.faultTarget().setDown(true)
    const user = 6
    let approved = 0
    for (let i = 0; i < TWIN_STIP_LIMITS.countMax + 2; i++) {
      steerReceiver(f, user, true)
      if (pay(f, user, "e-commerce", 10_000, 1_000 + i)) approved++
    }
    expect(approved).toBe(TWIN_STIP_LIMITS.countMax)
    expect(decisionsOf(f, SWITCH)["stand-in"]).toBe(TWIN_STIP_LIMITS.countMax)
    steerReceiver(f, 7, true)
    expect(pay(f, 7, "transfer", 10_000, 5_000)).toBe(false) // transfers never stand in
    steerReceiver(f, 8, false)
    expect(pay(f, 8, "purchase-online", 10_000, 6_000)).toBe(false) // on-us: nobody to stand in
    expect(errorsOf(f, HOST).unavailable).toBe(4)
    const before = f.payments.accounts.depositFen(user)
    f.bankHost.faultTarget().setDown(false)
    expect(closeAndAudit(f, 1)).toEqual([])
    expect(decisionsOf(f, HOST)["post-advice"]).toBe(TWIN_STIP_LIMITS.countMax)
    expect(f.payments.accounts.depositFen(user)).toBe(before - TWIN_STIP_LIMITS.countMax * 10_000)
  })

  it("refuses interbank payments while the switch is down", () => {
    const f = fixture()
    f.unionpaySwitch.faultTarget().setDown(true)
    steerReceiver(f, 1, true)
    expect(pay(f, 1, "utility", 10_000, 1_000)).toBe(false)
    expect(errorsOf(f, SWITCH)["refused: switch down"]).toBe(1)
    steerReceiver(f, 1, false)
    expect(pay(f, 1, "utility", 10_000, 2_000)).toBe(true)
  })

  it("declines a byte-level payment whose card work fails, with the card's reason", () => {
    const f = fixture()
    f.card = { ok: false, cardUs: 0, reason: "the card's purchase-offline did not complete" }
    expect(pay(f, 10, "purchase-offline", 500, 1_000, true)).toBe(false)
    expect(errorsOf(f, "users")["card: the card's purchase-offline did not complete"]).toBe(1)
    // An online purchase whose ARQC fails is the host's decline (the cryptogram verdict).
    f.card = { ok: false, cardUs: 0, reason: "ARQC" }
    steerReceiver(f, 10, true)
    expect(pay(f, 10, "purchase-online", 500, 2_000, true)).toBe(false)
    expect(errorsOf(f, HOST)["declined: bad-cryptogram"]).toBe(1)
    // Remote kinds touch no card.
    expect(pay(f, 10, "transfer", 500, 3_000, true)).toBe(true)
  })

  it("conserves money to the fen whatever the payments, days and outages", () => {
    const kinds = [
      "transfer",
      "purchase-offline",
      "purchase-online",
      "transit",
      "load",
      "utility",
      "e-commerce",
    ] as const
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            user: fc.integer({ min: 0, max: 63 }),
            kind: fc.constantFrom(...kinds),
            amountFen: fc.integer({ min: 1, max: 100_000_000 }),
            n: fc.integer({ min: 0, max: 1000 }),
            hostDown: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        (txns) => {
          const f = fixture()
          let day = 1
          txns.forEach((t, i) => {
            if (i % 20 === 19) f.payments.closeDay(day++)
            f.bankHost.faultTarget().setDown(t.hostDown)
            f.userTransactions[t.user] = t.n
            pay(f, t.user, t.kind, t.amountFen, (day - 1) * US_PER_DAY + 1_000 * (i + 1))
            f.bankHost.faultTarget().setDown(false)
          })
          expect(closeAndAudit(f, day)).toEqual([])
        },
      ),
      { numRuns: 40 },
    )
  })
})
