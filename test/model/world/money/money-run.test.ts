// Proves the money run end to end: scenario 03-money-10000 runs through `tsm-twin run`'s money
// path with zero violations and a summary with every flow kind; a run paced by RunControl has the
// digest of the same run done at once; the same seed gives the same digest and another seed
// another; and for any seed and any injected presentment faults, conservation holds and
// reconciliation reports exactly the injected discrepancies (fast-check).
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { runMoneyScenario } from "../../../../app/run/money-command.ts"
import { paceMoney } from "../../../../app/run/paced-runs.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { MIX, runMoney, startMoney } from "../../../../model/world/money/money-run.ts"

const ROOT = resolve(import.meta.dirname, "../../../..")

describe("money run", () => {
  it("runs 03-money-10000 with zero conservation violations", async () => {
    const text = readFileSync(join(ROOT, "scenarios/03-money-10000.json"), "utf8")
    const out = mkdtempSync(join(tmpdir(), "money-"))
    const r = await Effect.runPromise(runMoneyScenario(JSON.parse(text), "test", out, null))
    expect(r.ok && r.violations).toBe(0)
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
    expect(summary.status).toBe("complete")
    expect(summary.invariants.violations).toBe(0)
    expect(summary.invariants.checks).toBeGreaterThan(1000)
    expect(Object.keys(summary.perKind).sort()).toEqual(MIX.map((m) => m[0]).sort())
    const total = Object.values(summary.perKind as Record<string, { count: number }>).reduce(
      (n, k) => n + k.count,
      0,
    )
    expect(total).toBe(10_000)
  }, 120_000)

  it("paced by RunControl (the CLI's and the sweeps' way) it runs the same events as at once", async () => {
    const options = { seed: 9, crypto: nativeCrypto, transactions: 300, cardsPerBank: 4, days: 3 }
    const paced = await Effect.runPromise(paceMoney(startMoney(options)))
    const atOnce = runMoney(options)
    expect(paced.digest).toMatch(/^[0-9a-f]{64}$/)
    expect(paced.digest).toBe(atOnce.digest)
    expect(paced.cycles).toBe(atOnce.cycles)
    expect(paced.perKind).toEqual(atOnce.perKind)
  })

  it("gives the same digest for the same seed and another for another seed", () => {
    const go = (seed: number) =>
      runMoney({ seed, crypto: nativeCrypto, transactions: 300, cardsPerBank: 4, days: 2 }).digest
    const a = go(5)
    expect(go(5)).toBe(a)
    expect(go(6)).not.toBe(a)
  })

  it("conserves money and reports exactly the injected discrepancies, for any seed and faults", () => {
    const indices = fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 6 })
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        indices,
        indices,
        fc.integer({ min: 0, max: 3 }),
        (seed, badTcs, presented, corruptCycle) => {
          const split = Math.floor(presented.length / 2)
          const amountMismatches = presented.slice(0, split)
          const duplicatePresentments = presented.slice(split)
          const corruptFile = corruptCycle === 0 ? [] : [{ cycle: corruptCycle, bank: "GYB" }]
          const s = runMoney({
            seed,
            crypto: nativeCrypto,
            transactions: 80,
            cardsPerBank: 2,
            days: 2,
            faults: { badTcs, amountMismatches, duplicatePresentments, corruptFile },
          })
          expect(s.audit.violations).toEqual([])
          expect(s.ledgerMismatches).toEqual([])
          const expected = [
            ...badTcs.filter((n) => n < s.offlineTcs).map(() => "bad-tc"),
            ...amountMismatches.filter((n) => n < s.onlinePresented).map(() => "amount-mismatch"),
            ...duplicatePresentments.filter((n) => n < s.onlinePresented).map(() => "duplicate"),
            ...corruptFile.map(() => "file-corrupted"),
          ].sort()
          expect(s.discrepancies.map((d) => d.kind).sort()).toEqual(expected)
        },
      ),
      { numRuns: 12 },
    )
  }, 120_000)
})
