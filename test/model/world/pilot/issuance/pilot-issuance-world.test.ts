/**
 * The pilot world's issuance through the parties, end to end (scenario 04 at a small scale): every
 * party of the network declaration the issuance side drives counts decisions, the issuance
 * auditor's invariants are listed by name with their checks (SIM swaps' old SEs retired included),
 * 挂失 locks and 销户 closes reach the SE, and both card KPIs are reported with utilisation at
 * hourly resolution.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { pilotOutcome } from "../../../../../app/run/pilot-outcome.ts"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { PILOT_PARTIES } from "../../../../../model/world/network.ts"
import { runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")

describe("pilot issuance through the parties", () => {
  it("04 at 0.002: parties decide, the auditor checks by name, locks and closes reach the SE", () => {
    const d = decodePilotScenario(
      JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
    )
    if (!d.ok) throw new Error(d.message)
    const s = runPilot({
      scenario: d.value,
      population: d.population,
      scale: 0.002,
      seed: 7,
      crypto: nativeCrypto,
    })
    const o = pilotOutcome(s, { scenario: "04", seed: 7, scenarioHash: "test", status: "complete" })
    expect(s.violations).toEqual([])
    // The switch is the payments side's party (its decisions are counted by the money flows).
    for (const p of PILOT_PARTIES.filter((p) => p.id !== "unionpay-switch"))
      expect(
        Object.values(o.parties![p.id]!.decisions).reduce((a, b) => a + b, 0),
        p.id,
      ).toBeGreaterThan(0)
    for (const name of [
      "issuance-registries-agree",
      "no-double-issuance",
      "orders-terminal-or-in-flight",
      "lock-close-reached-se",
      "sim-swap-old-se-retired",
    ]) {
      expect(o.invariants[name]!.checks, name).toBeGreaterThan(0)
      expect(o.invariants[name]!.violations, name).toBe(0)
    }
    const r = s.world.flows.registries
    let locked = 0
    let closed = 0
    for (let u = 0; u < r.slots; u++) {
      if (r.life[u] === 1) locked++
      if (r.life[u] === 2) closed++
    }
    expect(locked + closed).toBe(o.invariants["lock-close-reached-se"]!.checks)
    expect(closed).toBeGreaterThan(0)
    expect(o.parties!["bank-host"]!.decisions["hot-list"]).toBeGreaterThan(0)
    expect(o.kpis.cardsActive!.value).toBeLessThan(o.kpis.cards!.value)
    expect(o.kpis.cards!.label).toContain("phase targets")
    for (const u of o.utilisation ?? []) expect(u.peakRatio).toBeGreaterThanOrEqual(u.meanRatio)
  }, 120_000)
})
