/**
 * Proves the pilot world pays through the parties (issue 12, money side): the default plan at a
 * small scale counts the bank hosts' and the switch's decisions, runs one clearing cycle per
 * simulated business day, and lists every money invariant by name in the outcome with zero
 * violations; the transactions KPI counts approved payments only (declines are failures).
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { pilotOutcome } from "../../../../app/run/pilot-outcome.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { MONEY_INVARIANTS } from "../../../../model/world/pilot/payments/money-audit.ts"
import { runPilot } from "../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../..")

describe("pilot money", () => {
  it("04 at 0.002: hosts and switch decide, clearing once per business day, money invariants hold", () => {
    const d = decodePilotScenario(
      JSON.parse(readFileSync(resolve(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
    )
    if (!d.ok) throw new Error(d.message)
    const s = runPilot({
      scenario: d.value,
      population: d.population,
      scale: 0.002,
      seed: 11,
      crypto: nativeCrypto,
    })
    const o = pilotOutcome(s, { scenario: "04", seed: 11, scenarioHash: "test", status: "complete" })
    expect(s.violations).toEqual([])
    expect(o.kpis.clearingCycles!.value).toBe(s.days)
    for (const name of MONEY_INVARIANTS) {
      expect(o.invariants[name], name).toBeDefined()
      expect(o.invariants[name]!.checks, name).toBeGreaterThan(0)
      expect(o.invariants[name]!.violations, name).toBe(0)
    }
    const parties = o.parties!
    expect(parties["bank-host"]!.decisions.authorize).toBeGreaterThan(0)
    expect(parties["bank-host"]!.decisions["route-on-us"]).toBeGreaterThan(0)
    expect(parties["unionpay-switch"]!.decisions["route-interbank"]).toBeGreaterThan(0)
    expect(parties["unionpay-switch"]!.decisions["clearing-cycle"]).toBe(s.days)
    const w = s.world
    const p = w.payments
    // Approved + failed = every transaction that reached the parties (users' own count).
    expect(w.totals.transactions + w.totals.transactionsFailed).toBe(parties.users!.decisions.transaction)
    expect(p.itemsToClear).toBe(p.audit.itemsCleared)
  }, 120_000)
})
