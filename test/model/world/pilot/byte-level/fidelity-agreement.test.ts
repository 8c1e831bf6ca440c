/**
 * Fidelity agreement (issue 12 "Must show", at a suite-friendly scale): the pilot as planned with
 * no byte-level users and with a fifth of them byte-level, same seed, gives phase KPIs within 3 %
 * at the first phase's deadline — the byte-level fifth really ran (real cards, envelopes, ARQCs)
 * and took about a fifth of the cards. The CLI measurement at scale 0.01 is in the branch report.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { fidelityOf } from "../../../../../app/run/pilot-outcome.ts"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { PHASE_COLUMNS, runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const plan = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!plan.ok) throw new Error(plan.message)

const at = (fraction: number) =>
  runPilot({
    scenario: { ...plan.value, fidelity: { byteLevelFraction: fraction } },
    population: plan.population,
    scale: 0.002,
    seed: 20140801,
    crypto: nativeCrypto,
    untilDate: "2015-07-31",
  })

describe("fidelity agreement", () => {
  it("byte-level 0 and 0.2 give phase KPIs within 3 %", () => {
    const none = at(0)
    const fifth = at(0.2)
    const f = fidelityOf(fifth)
    expect(none.world.cards.tally.issued).toBe(0)
    expect(f.byteLevelCards).toBeGreaterThan(0)
    expect(f.byteLevelCards / f.cardsIssued).toBeGreaterThan(0.12)
    expect(f.byteLevelCards / f.cardsIssued).toBeLessThan(0.28)
    expect(f.arqcVerified).toBe(f.onlineTransactions)
    expect(fifth.violations).toEqual([])
    const last = (rows: number[][]) => rows.at(-1)!
    for (const [i, column] of PHASE_COLUMNS.entries()) {
      if (column.name === "issuancesInFlight") continue
      const a = last(none.phaseRows)[i + 1]!
      const b = last(fifth.phaseRows)[i + 1]!
      expect(Math.abs(b - a), column.name).toBeLessThanOrEqual(0.03 * Math.max(a, 1))
    }
  }, 300_000)
})
