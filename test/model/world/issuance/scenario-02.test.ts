// Proves scenario 02 (1,000 users issuing in a 30-day window, every one byte-level, with loss,
// 补卡, 销户 and SIM swaps for four months and an MTPS and a telco OTA outage) is a scenario of the pilot
// world composed from the parties' layers: zero invariant violations, every order ended, every
// user's card issued on a real SE, and the golden digest, the same on a second run. After an
// intended behaviour change, refresh the golden file with TSM_TWIN_UPDATE_GOLDEN=1.
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { PILOT_LAYERS, pilotRun } from "../../../../model/world/pilot/pilot-root.ts"
import { decodePilotScenario } from "../../../../model/world/pilot/pilot-scenario.ts"

const GOLDEN = resolve(import.meta.dirname, "golden/02-issuance-1000.digest")
const FILE = resolve(import.meta.dirname, "../../../../scenarios/02-issuance-1000.json")

const run = () => {
  const d = decodePilotScenario(JSON.parse(readFileSync(FILE, "utf8")))
  if (!d.ok) throw new Error(d.message)
  const o = { scenario: d.value, population: d.population, scale: d.value.scaleFactor, seed: d.value.seed }
  return Effect.runSync(pilotRun(o).pipe(Effect.provide(PILOT_LAYERS)))
}

describe("scenario 02-issuance-1000", () => {
  it("takes its lifecycle rates from the file's populationOverrides, on the issuance-campaign population", () => {
    const json = JSON.parse(readFileSync(FILE, "utf8"))
    const d = decodePilotScenario(json)
    if (!d.ok) throw new Error(d.message)
    expect(d.population.name).toBe("issuance-campaign")
    expect(d.population.market.marketUsers).toBe(1000)
    expect(d.population.lifecycle).toEqual({
      lossPermillePerYear: json.populationOverrides.lossPermillePerYear,
      reissuePermille: json.populationOverrides.reissuePermille,
      reissueWaitDays: json.populationOverrides.reissueWaitDays,
      closePermillePerYear: json.populationOverrides.closePermillePerYear,
      simSwapPermillePerYear: json.populationOverrides.simSwapPermillePerYear,
    })
    // Without the overrides the calibration's own rates apply.
    const plain = decodePilotScenario({ ...json, populationOverrides: undefined })
    if (!plain.ok) throw new Error(plain.message)
    expect(plain.population.lifecycle.closePermillePerYear).not.toBe(
      json.populationOverrides.closePermillePerYear,
    )
    expect(plain.population.lifecycle.reissuePermille).not.toBe(json.populationOverrides.reissuePermille)
  })

  it("runs with zero violations, every order ended, every card byte-level, and the golden digest", () => {
    const s = run()
    const w = s.world
    const f = w.flows
    expect(s.violations).toEqual([])
    expect(Object.values(s.invariants).every((c) => c.checks > 0 && c.violations === 0)).toBe(true)
    // Every order the population asked for (issue, 补卡, lock, close, SIM swap) reached a terminal phase.
    expect(f.inFlight).toBe(0)
    expect(Object.values(f.ended).reduce((n, k) => n + k, 0)).toBe(f.ordersStarted)
    expect(f.ended.running + f.ended.compensating).toBe(0)
    // Every user asked and got a first card; each issuance (补卡 included) ran on a real SE.
    expect(w.population.market.marketUsers).toBe(1000)
    expect(w.totals.cards).toBe(1000)
    expect(w.totals.reissued).toBeGreaterThan(0)
    expect(w.totals.losses).toBeGreaterThan(0)
    expect(w.totals.closures).toBeGreaterThan(0)
    expect(w.totals.simSwaps).toBeGreaterThan(0)
    expect(w.cards.tally.issued).toBe(w.totals.cards + w.totals.reissued + w.totals.simSwaps)
    expect(w.cards.chain.counts.rejected).toBe(0)
    // Both outages happened and were waited out.
    expect(w.faultWindows.map((x) => x.party).sort()).toEqual(["mtps", "telco-ota"])
    const digest = w.digest.hex()
    if (process.env.TSM_TWIN_UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, `${digest}\n`)
    expect(existsSync(GOLDEN), `${GOLDEN} missing: run with TSM_TWIN_UPDATE_GOLDEN=1`).toBe(true)
    expect(digest).toBe(readFileSync(GOLDEN, "utf8").trim())
    // The same scenario and seed give the same run again.
    expect(run().world.digest.hex()).toBe(digest)
  }, 300_000)
})
