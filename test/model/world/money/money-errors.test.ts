// Proves each injected money fault ends in its documented 差错 outcome with money conserved to
// the fen (zero audit violations, every ledger equal to the audit's recomputation, every
// authorization ended): a bank host timeout within the stand-in limits (approved by UnionPay's
// stand-in, advice posted after recovery) and above them (91 and reversal), a duplicated message, a UnionPay outage, a corrupted
// clearing file, a bad TC in an e-cash batch, a wrong presented amount, a duplicate presentment, a
// dispute, and a cloned card.
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { TWIN_STIP_LIMITS } from "../../../../model/parties/unionpay/stand-in.ts"
import { type AuthSignal, MONEY_SIGNAL, type StandInSignal } from "../../../../model/signals/money-signals.ts"
import { type MoneySummary, runMoney } from "../../../../model/world/money/money-run.ts"
import type { MoneyFaults, MoneyOptions } from "../../../../model/world/money/money-world.ts"
import type { Sink } from "../../../../sim/recorder/sink.ts"

const H = 3_600_000_000

const run = (faults: MoneyFaults, transactions = 300, more: Partial<MoneyOptions> = {}): MoneySummary =>
  runMoney({ seed: 11, crypto: nativeCrypto, transactions, cardsPerBank: 6, days: 2, faults, ...more })

/** A sink keeping the stand-in and authorization signals with their instants. */
const recordMoney = () => {
  const lines: Array<{ tUs: number; signal: string; payload: unknown }> = []
  const sink: Sink = {
    write: (r) => {
      if (r.signal === MONEY_SIGNAL.standIn || r.signal === MONEY_SIGNAL.auth)
        lines.push({ tUs: r.tUs as number, signal: r.signal as string, payload: r.payload })
    },
    flush: () => {},
    close: () => {},
  }
  const standIns = (state: StandInSignal["state"]) =>
    lines.flatMap((l) =>
      l.signal === MONEY_SIGNAL.standIn && (l.payload as StandInSignal).state === state
        ? [{ tUs: l.tUs, ...(l.payload as StandInSignal) }]
        : [],
    )
  const authAt = (id: string, state: AuthSignal["state"]) =>
    lines.find(
      (l) =>
        l.signal === MONEY_SIGNAL.auth &&
        (l.payload as AuthSignal).id === id &&
        (l.payload as AuthSignal).state === state,
    )?.tUs
  return { sink, standIns, authAt }
}

const conserved = (s: MoneySummary): void => {
  expect(s.audit.violations).toEqual([])
  expect(s.ledgerMismatches).toEqual([])
  expect(
    Object.keys(s.audit.authStates).every((k) => ["settled", "declined", "reversed", "disputed"].includes(k)),
  ).toBe(true)
}

const kinds = (s: MoneySummary) => s.discrepancies.map((d) => `${d.kind}→${d.outcome}`)

describe("差错 outcomes", () => {
  it("bank host timeout within stand-in limits → approved by stand-in, advice posted after recovery", () => {
    const recoveryUs = 30 * H
    const rec = recordMoney()
    const s = run({ hostDown: { bank: "GYB", startUs: 0, endUs: recoveryUs } }, 300, { sinks: [rec.sink] })
    conserved(s)
    const approved = rec.standIns("approved")
    const posted = rec.standIns("posted")
    expect(approved.length).toBeGreaterThan(0)
    expect(s.audit.standIns).toBe(approved.length)
    expect(s.audit.standInInFlightFen).toBe(0)
    expect(posted.map((p) => p.id).sort()).toEqual(approved.map((a) => a.id).sort())
    const perCardDay = new Map<string, { count: number; fen: number }>()
    for (const a of approved) {
      // Stand-in happens only while the host is down, for its cards, with the ARQC unverified.
      expect(a).toMatchObject({ issuer: "GYB", risk: "arqc-unverified" })
      expect(a.tUs).toBeLessThan(recoveryUs)
      const key = `${a.pan}/${Math.floor((a.tUs - 23 * H) / (24 * H))}`
      const u = perCardDay.get(key) ?? { count: 0, fen: 0 }
      perCardDay.set(key, { count: u.count + 1, fen: u.fen + a.amountFen })
    }
    for (const u of perCardDay.values()) {
      expect(u.count).toBeLessThanOrEqual(TWIN_STIP_LIMITS.countMax)
      expect(u.fen).toBeLessThanOrEqual(TWIN_STIP_LIMITS.amountFenMax)
    }
    for (const p of posted) {
      // The host never saw the request, so it books the advice itself once it is back.
      expect(p.tUs).toBeGreaterThanOrEqual(recoveryUs)
      expect(p.outcome).toBe("forced")
      const settledUs = rec.authAt(p.id, "settled")
      expect(settledUs).toBeGreaterThan(p.tUs)
    }
  })

  it("bank host timeout above the stand-in limits: the switch answers 91 and reverses; without stand-in every timeout does", () => {
    const window = { bank: "GYB", startUs: 0, endUs: 48 * H }
    const s = run({ hostTimeout: window })
    conserved(s)
    expect(s.audit.standIns).toBeGreaterThan(0)
    expect(s.audit.authStates.reversed ?? 0).toBeGreaterThan(0)
    expect(s.perKind["purchase-online"]!.ok + s.perKind.utility!.ok).toBeLessThan(
      s.perKind["purchase-online"]!.count + s.perKind.utility!.count,
    )
    const none = run({ hostTimeout: window }, 300, { standIn: null })
    conserved(none)
    expect(none.audit.standIns).toBe(0)
    expect(none.audit.authStates.reversed ?? 0).toBeGreaterThan(s.audit.authStates.reversed ?? 0)
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
