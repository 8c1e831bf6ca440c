/**
 * Proves that byte-level flows carry bytes that count (issue 12 items 3 and 4), on small pilots
 * with every user byte-level:
 * - the pick is a hash of (seed, index): none at 0, all at 1, about F at F;
 * - each institution's envelope is verified by its receiver: a tampered envelope fails the
 *   issuance (not issued, counted, a violation);
 * - issuers verify cryptograms under the bank's own keys: 5 % of cards personalized with a wrong
 *   issuer key are declined, the transactions KPI drops by exactly those declines, every decline
 *   is theirs, and the outcome says why;
 * - the digest covers the bytes: same seed and key seed → same digest; another `crypto.keySeed`
 *   → another digest with the same event sequence (same KPIs and kernel event count).
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { heldBack } from "../../../../../app/report/held-back.ts"
import { evaluateTargets } from "../../../../../app/report/targets.ts"
import { fidelityOf, pilotOutcome } from "../../../../../app/run/pilot-outcome.ts"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { isByteLevelUser } from "../../../../../model/world/pilot/byte-level-cards.ts"
import { runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario, type PilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const plan = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!plan.ok) throw new Error(plan.message)

const run = (change: (s: PilotScenario) => PilotScenario, until = "2014-12-31", scale = 0.002) =>
  runPilot({
    scenario: change(plan.value),
    population: plan.population,
    scale,
    seed: 7,
    crypto: nativeCrypto,
    untilDate: until,
  })

const allByteLevel = (s: PilotScenario, extra: Partial<PilotScenario["fidelity"]> = {}): PilotScenario => ({
  ...s,
  fidelity: { byteLevelFraction: 1, ...extra },
})

const meta = { scenario: "t", seed: 7, scenarioHash: "", status: "complete" }

describe("byte-level pick", () => {
  it("is a hash of (seed, index): none at 0, all at 1, about F at F, another set for another seed", () => {
    const users = Array.from({ length: 20_000 }, (_, i) => i)
    expect(users.filter((u) => isByteLevelUser(1, u, 0)).length).toBe(0)
    expect(users.filter((u) => isByteLevelUser(1, u, 1)).length).toBe(users.length)
    const a = users.filter((u) => isByteLevelUser(1, u, 0.2))
    const b = users.filter((u) => isByteLevelUser(2, u, 0.2))
    // Binomial(20000, 0.2): sd ≈ 57, so ±400 is 7 sd.
    expect(Math.abs(a.length - 4000)).toBeLessThan(400)
    expect(Math.abs(b.length - 4000)).toBeLessThan(400)
    expect(a.filter((u) => b.includes(u)).length).toBeLessThan(1000)
  })
})

describe("byte-level outcomes count", () => {
  it("a tampered envelope is rejected by its receiver and the issuance fails with the verdict", () => {
    const s = runPilot({
      scenario: allByteLevel(plan.value),
      population: plan.population,
      scale: 0.002,
      seed: 7,
      crypto: nativeCrypto,
      untilDate: "2014-08-31",
      beforeRun: (w) => {
        w.cards.chain.tamper = (orderId, signer) =>
          signer === "mtps" && orderId.endsWith("0") && orderId.length > 4
      },
    })
    const w = s.world
    const f = fidelityOf(s)
    expect(w.cards.chain.counts.rejected).toBeGreaterThan(0)
    expect(f.byteLevelIssuancesFailed).toBe(w.cards.chain.counts.rejected)
    expect(f.byteLevelCards).toBe(f.cardsIssued)
    const reasons = Object.keys(w.cards.tally.failed)
    expect(reasons.every((r) => / rejected mtps's envelope: forged$/.test(r))).toBe(true)
    expect(s.violations.some((v) => v.includes("rejected mtps's envelope: forged"))).toBe(true)
    expect(s.invariants["byte-level-envelopes-verified"]!.violations).toBeGreaterThan(0)
  }, 300_000)

  it("5 % of cards with a wrong issuer key: their payments are declined, the KPI drops by them, the report says why", () => {
    const base = run((s) => allByteLevel(s))
    const bad = run((s) => allByteLevel(s, { wrongIssuerKeyFraction: 0.05 }))
    const fb = fidelityOf(base)
    const fd = fidelityOf(bad)
    expect(base.violations).toEqual([])
    expect(base.invariants["byte-level-envelopes-verified"]).toEqual({ checks: 1, violations: 0 })
    expect(fb.arqcVerified).toBe(fb.onlineTransactions)
    expect(fb.byteLevelDeclined).toBe(0)
    // Declines happened, only on the wrong-key cards (any other decline would be a violation).
    expect(bad.violations).toEqual([])
    expect(fd.byteLevelDeclined).toBeGreaterThan(0)
    expect(fd.arqcVerified).toBeLessThan(fd.onlineTransactions)
    // The same population events: the KPI drops by exactly the declined payments.
    expect(bad.world.totals.transactions).toBe(base.world.totals.transactions - fd.byteLevelDeclined)
    expect(bad.world.totals.transactionsFailed).toBe(
      base.world.totals.transactionsFailed + fd.byteLevelDeclined,
    )
    // Every card-present payment of a wrong-key card was declined, and nothing else.
    const t = bad.world.cards.tally
    expect(fd.byteLevelDeclined).toBe(t.wrongKeyTransactions)
    // About 5 % of the cards (hundreds of cards: between 2 % and 9 %).
    expect(t.wrongKeyCards / t.issued).toBeGreaterThan(0.02)
    expect(t.wrongKeyCards / t.issued).toBeLessThan(0.09)
    const o = pilotOutcome(bad, meta)
    const d = o.diagnostics.find((x) => x.kind === "byte-level-refusals" && x.kpis.includes("transactions"))
    expect(d).toBeDefined()
    expect(JSON.stringify(d)).toContain("did not verify the ARQC under the bank's key")
    const missed = heldBack(
      o,
      evaluateTargets(o).map((r) => (r.kpi === "transactions" ? { ...r, result: "fail" as const } : r)),
    )
    expect(missed.find((h) => h.kpi === "transactions")?.text).toContain("Byte-level verification")
  }, 300_000)

  it("the digest covers the bytes: another crypto.keySeed, another digest, the same events", () => {
    const a = run((s) => allByteLevel(s), "2014-09-30")
    const b = run((s) => ({ ...allByteLevel(s), crypto: { keySeed: "another key seed" } }), "2014-09-30")
    const a2 = run((s) => allByteLevel(s), "2014-09-30")
    expect(a.world.cards.tally.issued).toBeGreaterThan(0)
    expect(a2.world.digest.hex()).toBe(a.world.digest.hex())
    expect(b.world.digest.hex()).not.toBe(a.world.digest.hex())
    expect(b.world.kernel.eventsProcessed).toBe(a.world.kernel.eventsProcessed)
    expect(b.phaseRows).toEqual(a.phaseRows)
  }, 300_000)
})
