// Proves scenario 03-money-10000 is a scenario of the pilot world composed from the parties'
// layers: a week of 10,000 attempted transactions on 200 byte-level cards with zero money
// violations (conservation, double entry, clearing tied to its records, once per business day),
// and a digest that is a function of the seed. Proves the money world (the money kind, kept as the
// workbench of the party-level 差错 tests, money-workbench.json) end to end too: it runs through
// `tsm-twin run`'s money path with zero violations and every flow kind; the same seed gives the
// same digest and another seed another; and for any seed and any injected presentment faults,
// conservation holds and reconciliation reports exactly the injected discrepancies (fast-check).
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
import { PILOT_LAYERS, pilotRun } from "../../../../model/world/pilot/pilot-root.ts"
import { decodePilotScenario } from "../../../../model/world/pilot/pilot-scenario.ts"

const ROOT = resolve(import.meta.dirname, "../../../..")

const run03 = (seed: number, untilDate?: string) => {
  const d = decodePilotScenario(JSON.parse(readFileSync(join(ROOT, "scenarios/03-money-10000.json"), "utf8")))
  if (!d.ok) throw new Error(d.message)
  const o = { scenario: d.value, population: d.population, scale: d.value.scaleFactor, seed }
  return Effect.runSync(
    pilotRun(untilDate === undefined ? o : { ...o, untilDate }).pipe(Effect.provide(PILOT_LAYERS)),
  )
}

const MONEY_INVARIANTS = [
  "money-conserved-total",
  "money-double-entry",
  "money-deposits-recount",
  "money-ecash-recount",
  "clearing-positions-tied",
  "clearing-once-per-business-day",
  "approvals-cleared-once",
  "scheme-accounts-settled",
]

describe("scenario 03-money-10000 (pilot)", () => {
  it("runs a week of money on 200 byte-level cards with zero conservation violations", () => {
    const s = run03(1)
    const w = s.world
    expect(s.violations).toEqual([])
    for (const name of MONEY_INVARIANTS) {
      expect(s.invariants[name]?.checks, name).toBeGreaterThan(0)
      expect(s.invariants[name]?.violations, name).toBe(0)
    }
    // Every card was issued (byte-level) before the week's payments; ~10,000 were attempted.
    expect(w.totals.cards).toBe(200)
    expect(w.cards.tally.issued).toBe(200)
    const attempted = w.totals.transactions + w.totals.transactionsFailed + w.totals.transactionsBeforeCard
    expect(attempted).toBeGreaterThan(9000)
    expect(attempted).toBeLessThan(11_000)
    expect(w.totals.transactions).toBeGreaterThan(0.95 * attempted)
    // Clearing ran once per business day of the week, over online items and offline TCs.
    expect(w.payments.cycles).toBe(7)
    expect(w.cards.tally.transactions).toBeGreaterThan(1000)
  }, 180_000)

  it("gives the same digest for the same seed and another for another seed", () => {
    const a = run03(5, "2014-08-02").world.digest.hex()
    expect(run03(5, "2014-08-02").world.digest.hex()).toBe(a)
    expect(run03(6, "2014-08-02").world.digest.hex()).not.toBe(a)
  }, 180_000)
})

describe("money run (the money world, workbench of the 差错 tests)", () => {
  it("runs the money workbench with zero conservation violations", async () => {
    const text = readFileSync(join(ROOT, "test/model/world/money/money-workbench.json"), "utf8")
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
