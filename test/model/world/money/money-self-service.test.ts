// Proves the self-service flows in a money run: loan applications get both outcomes from the
// credit decision, and every escrow hold is released or refunded exactly once, one to three days
// after it was placed (never in the same instant), with the audit finding nothing to flag.
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { type EscrowSignal, MONEY_SIGNAL } from "../../../../model/signals/money-signals.ts"
import { runMoney } from "../../../../model/world/money/money-run.ts"
import type { Sink } from "../../../../sim/recorder/sink.ts"

const DAY = 86_400_000_000

describe("self-service finance", () => {
  it("decides loans both ways and closes each escrow after a real confirmation delay", () => {
    const escrows: Array<EscrowSignal & { tUs: number }> = []
    const sink: Sink = {
      write: (r) => {
        if (r.signal === MONEY_SIGNAL.escrow)
          escrows.push({ tUs: r.tUs as number, ...(r.payload as EscrowSignal) })
      },
      flush: () => {},
      close: () => {},
    }
    const s = runMoney({
      seed: 4,
      crypto: nativeCrypto,
      transactions: 1_500,
      cardsPerBank: 3,
      days: 3,
      sinks: [sink],
    })
    expect(s.audit.violations).toEqual([])
    expect(s.ledgerMismatches).toEqual([])
    const loan = s.perKind.loan!
    expect(loan.ok).toBeGreaterThan(0)
    expect(loan.ok).toBeLessThan(loan.count)
    const held = escrows.filter((e) => e.state === "held")
    expect(held.length).toBeGreaterThan(10)
    for (const h of held) {
      const closes = escrows.filter((e) => e.id === h.id && e.state !== "held")
      expect(closes.length).toBe(1)
      const delayUs = closes[0]!.tUs - h.tUs
      expect(delayUs).toBeGreaterThanOrEqual(DAY)
      expect(delayUs).toBeLessThan(3 * DAY)
    }
  })
})
