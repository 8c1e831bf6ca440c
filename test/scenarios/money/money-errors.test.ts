// Proves each injected money fault ends in its documented 差错 outcome with money conserved to
// the fen (zero audit violations, every ledger equal to the audit's recomputation, every
// authorization ended): a bank host timeout, a duplicated message, a UnionPay outage, a corrupted
// clearing file, a bad TC in an e-cash batch, a wrong presented amount, a duplicate presentment, a
// dispute, and a cloned card.
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { type MoneySummary, runMoney } from "../../../scenarios/money/money-run.ts"
import type { MoneyFaults } from "../../../scenarios/money/money-world.ts"

const H = 3_600_000_000

const run = (faults: MoneyFaults, transactions = 300): MoneySummary =>
  runMoney({ seed: 11, crypto: nativeCrypto, transactions, cardsPerBank: 6, days: 2, faults })

const conserved = (s: MoneySummary): void => {
  expect(s.audit.violations).toEqual([])
  expect(s.ledgerMismatches).toEqual([])
  expect(
    Object.keys(s.audit.authStates).every((k) => ["settled", "declined", "reversed", "disputed"].includes(k)),
  ).toBe(true)
}

const kinds = (s: MoneySummary) => s.discrepancies.map((d) => `${d.kind}→${d.outcome}`)

describe("差错 outcomes", () => {
  it("bank host timeout: the switch answers 91 and reverses; every approval ends reversed", () => {
    const s = run({ hostTimeout: { bank: "GYB", startUs: 0, endUs: 48 * H } })
    conserved(s)
    expect(s.audit.authStates.reversed ?? 0).toBeGreaterThan(0)
    expect(s.perKind["purchase-online"]!.ok + s.perKind.utility!.ok).toBeLessThan(
      s.perKind["purchase-online"]!.count + s.perKind.utility!.count,
    )
  })

  it("duplicated messages: answered from the issuer's log, posted once", () => {
    const s = run({ duplication: { numerator: 1, denominator: 2 } })
    conserved(s)
    // The audit flags any authorization, reversal or credit booked twice; none was.
    expect(s.duplicateMessages).toBeGreaterThan(0)
    expect(s.discrepancies).toEqual([])
  })

  it("UnionPay outage: acquirers decline at once and no money moves for those taps", () => {
    const base = run({})
    const s = run({ unionpayOutage: { startUs: 0, endUs: 48 * H } })
    conserved(s)
    expect(s.perKind["purchase-online"]!.ok).toBe(0)
    expect(s.perKind.ecommerce!.ok).toBe(0)
    expect(s.audit.authStates.settled ?? 0).toBeLessThan(base.audit.authStates.settled ?? 0)
  })

  it("corrupted clearing file: detected by its SM3 trailer and fetched again", () => {
    const s = run({ corruptFile: [{ cycle: 1, bank: "GZB" }] })
    conserved(s)
    expect(kinds(s)).toEqual(["file-corrupted→file-refetched"])
  })

  it("bad TC in an e-cash batch: the issuer's cryptogram check rejects it back to the acquirer", () => {
    const s = run({ badTcs: [2] })
    conserved(s)
    expect(kinds(s)).toEqual(["bad-tc→tc-rejected-chargeback-to-acquirer"])
  })

  it("amount mismatch and duplicate presentment: adjusted to the authorized amount, copy removed", () => {
    const s = run({ amountMismatches: [1], duplicatePresentments: [4] })
    conserved(s)
    expect(kinds(s).sort()).toEqual(["amount-mismatch→adjusted-to-authorized", "duplicate→duplicate-removed"])
  })

  it("dispute: a chargeback takes the money back from the merchant; the authorization ends disputed", () => {
    const s = run({ disputes: [0] })
    conserved(s)
    expect(s.audit.authStates.disputed).toBe(1)
  })

  it("cloned card: two cards with one PAN, the copy's ATC goes backwards, flagged once", () => {
    const s = run({ cloneCard: true }, 50)
    conserved(s)
    expect(s.fraud).toBe(1)
  })
})
