// Proves the online-banking desk on a real bank ledger watched by the money audit: an approved
// loan grows the loan book and the deposit together and counts as debt in the next decision; an
// escrow hold leaves the buyer at once and reaches the seller only on confirmation (at the same
// bank directly, at another as a transfer record), or goes back to the buyer on a dispute; every
// step is conserved to the fen, and a hold never closed is a violation.
import { describe, expect, it } from "vitest"
import { MoneyAudit } from "../../../../model/audit/money-audit.ts"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { Bank } from "../../../../model/parties/bank/bank.ts"
import { PILOT_BANKS } from "../../../../model/parties/bank/bank-roster.ts"
import { ServerPool } from "../../../../model/world/pilot/server-pool.ts"
import { streamOf } from "../../../../sim/rng/stream.ts"

const world = () => {
  const audit = new MoneyAudit()
  let nowUs = 0
  const port = {
    now: () => nowUs,
    emit: (name: string, payload: unknown) => audit.observe(nowUs, name, payload),
  }
  const key = new Uint8Array(16).fill(7)
  const bank = new Bank(port, {
    declaration: PILOT_BANKS[0]!,
    crypto: nativeCrypto,
    algorithm: TDES_PBOC,
    imks: { imkAc: key, imkSmi: key, imkSmc: key },
    limits: { singleLimitFen: 5_000_000 },
    cmsHsmPool: new ServerPool("cms", 1),
  })
  bank.openDeposit("cust:a", 1_000_000)
  bank.openDeposit("merch:shop", 0)
  return { audit, bank, tick: (us: number) => (nowUs += us) }
}

describe("online banking", () => {
  it("books an approved loan and counts it as debt next time", () => {
    const { audit, bank } = world()
    let seed = 0
    let decision = bank.online.applyForLoan("L1", "cust:a", 2_000_000, streamOf(seed, "credit"))
    while (!decision.approved)
      decision = bank.online.applyForLoan("L1", "cust:a", 2_000_000, streamOf(++seed, "credit"))
    expect(bank.ledger.balance("loans")).toBe(2_000_000)
    expect(bank.ledger.balance("cust:a")).toBe(3_000_000)
    expect(bank.online.applyForLoan("L2", "cust:a", 8_000_000, streamOf(1, "credit"))).toEqual({
      approved: false,
      reason: "over-cap",
    })
    bank.mustPost("spend", [
      { account: "cust:a", deltaFen: -2_500_000 },
      { account: "equity", deltaFen: 2_500_000 },
    ])
    // 2 M outstanding + 1 M asked > 3 × 0.5 M deposit: declined for the debt the first loan left.
    expect(bank.online.applyForLoan("L3", "cust:a", 1_000_000, streamOf(2, "credit"))).toEqual({
      approved: false,
      reason: "over-indebted",
    })
    expect(audit.finish().violations).toEqual([])
  })

  it("holds escrow until confirmation or dispute, conserved by the audit", () => {
    const { audit, bank, tick } = world()
    const order = (id: string, sellerBank: string) => ({
      id,
      buyerAccount: "cust:a",
      amountFen: 100_000,
      sellerBank,
      sellerAccount: "merch:shop",
    })
    expect(bank.online.hold(order("E1", bank.id))).toBe(true)
    expect(bank.online.hold(order("E2", "CCB"))).toBe(true)
    expect(bank.online.hold(order("E3", bank.id))).toBe(true)
    expect(bank.online.hold({ ...order("E4", bank.id), amountFen: 10_000_000 })).toBe(false)
    expect(bank.ledger.balance("cust:a")).toBe(700_000)
    expect(bank.ledger.balance("escrow")).toBe(300_000)
    expect(bank.ledger.balance("merch:shop")).toBe(0)
    tick(86_400_000_000)
    expect(bank.online.close("E1", "confirmed")).toBeNull()
    expect(bank.online.close("E2", "confirmed")).toMatchObject({
      kind: "transfer",
      acquirer: "CCB",
      amountFen: 100_000,
    })
    tick(86_400_000_000)
    expect(bank.online.close("E3", "disputed")).toBeNull()
    expect(bank.ledger.balance("merch:shop")).toBe(100_000)
    expect(bank.ledger.balance("cust:a")).toBe(800_000)
    expect(bank.ledger.balance("escrow")).toBe(0)
    expect(bank.ledger.balance("scheme-payable")).toBe(100_000)
    expect(bank.online.openHolds).toBe(0)
    expect(audit.finish().violations).toEqual([])
  })
})
