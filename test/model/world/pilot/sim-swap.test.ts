/**
 * Proves SIM swaps run in the pilot world through the parties (scenario 04, a small scale, every
 * user byte-level, swaps at a high rate): each swap the population draws on an issued NFC-SIM card
 * becomes a sim-swap order whose new card is a real byte-level card of the next generation, made
 * through the same job as 补卡's; an online payment on it after the swap is approved by the
 * issuer's host (its ARQC verified); the old SE is retired (the auditor checks it, 0 violations);
 * swaps appear in the KPIs, in `parties` and in `fidelity.cardsIssued`. The override is validated
 * with an error naming its field.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { pilotOutcome } from "../../../../app/run/pilot-outcome.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import type { PopulationParams } from "../../../../model/population/population-params.ts"
import type { PopulationEvent } from "../../../../model/population/population-run.ts"
import { CardState, PendingEvent } from "../../../../model/population/population-state.ts"
import { Life, Reg } from "../../../../model/world/pilot/issuance/issuance-registries.ts"
import { checkInvariants, type PilotRunOptions, runPilot } from "../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario, type PilotScenario } from "../../../../model/world/pilot/pilot-scenario.ts"
import type { PilotWorld } from "../../../../model/world/pilot/pilot-world.ts"
import { Flag, onPopulationEvent } from "../../../../model/world/pilot/user-events.ts"

const repoRoot = resolve(import.meta.dirname, "../../../..")
const json = () => JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8"))

/** Runs a decoded 04 at 1/2000 of its users, seed 3 (both tests' world). */
const runSmall = (
  d: { value: PilotScenario; population: PopulationParams },
  beforeRun?: PilotRunOptions["beforeRun"],
) =>
  runPilot({
    scenario: d.value,
    population: d.population,
    scale: 0.0005,
    seed: 3,
    crypto: nativeCrypto,
    ...(beforeRun === undefined ? {} : { beforeRun }),
  })

describe("SIM swaps in the pilot", () => {
  it("re-issue a real card on the new SIM, which then pays online with its ARQC verified", () => {
    const s0 = json()
    const d = decodePilotScenario({
      ...s0,
      untilDate: "2015-06-30",
      fidelity: { byteLevelFraction: 1 },
      populationOverrides: { simSwapPermillePerYear: 900 },
    })
    if (!d.ok) throw new Error(d.message)
    expect(d.population.lifecycle.simSwapPermillePerYear).toBe(900)
    const lastPath = new Map<number, string>()
    const s = runSmall(d, (w) => {
      w.flows.observer = (flow, stage) => {
        if (stage === "issued") lastPath.set(flow.user, flow.path)
      }
    })
    const w = s.world
    expect(s.violations).toEqual([])
    const o = pilotOutcome(s, { scenario: "04", seed: 3, scenarioHash: "test", status: "complete" })
    const swapsAsked = w.run.totals.simSwaps
    console.log(
      `swaps drawn ${swapsAsked}, completed ${w.totals.simSwaps}, cards ${w.totals.cards}, 补卡 ${w.totals.reissued}`,
    )
    expect(w.totals.simSwaps).toBeGreaterThan(10)
    expect(o.kpis.simSwaps!.value).toBe(w.totals.simSwaps)
    expect(o.parties!.users!.decisions["sim-swap"]).toBe(swapsAsked)
    // The telco retired the old UICC of every swap that started an order (some may run at the end).
    expect(o.parties!["telco-ota"]!.decisions["retire swapped UICC"]).toBeGreaterThanOrEqual(
      w.totals.simSwaps,
    )
    // Every card made, swaps included, was a real byte-level card.
    expect(o.fidelity!.cardsIssued).toBe(w.totals.cards + w.totals.reissued + w.totals.simSwaps)
    expect(o.fidelity!.byteLevelCards).toBe(o.fidelity!.cardsIssued)
    expect(o.invariants["sim-swap-old-se-retired"]!.checks).toBeGreaterThan(10)
    for (const [name, c] of Object.entries(o.invariants)) expect(c.violations, name).toBe(0)
    expect(w.totals.byteLevelDeclined).toBe(0)

    // Users whose card now is the one a swap made, still held: each pays online on it.
    const swapped = [...lastPath].filter(
      ([u, path]) => path === "sim-swap" && (w.userFlags[u]! & Flag.issued) !== 0,
    )
    expect(swapped.length).toBeGreaterThan(5)
    for (const [u] of swapped.slice(0, 5)) {
      expect(w.run.state.cardGeneration[u]).toBeGreaterThanOrEqual(1)
      expect(w.flows.registries.generation[u]).toBeGreaterThanOrEqual(1)
      const before = { taps: w.cards.tally.transactions, arqc: w.cards.issuers.arqcVerified }
      const work = w.cards.transact(u, "purchase-online", 12_345, "2015-06-30")
      expect(work.ok, work.reason).toBe(true)
      // The card was held (a transaction ran on it) and the issuer verified its ARQC.
      expect(w.cards.tally.transactions).toBe(before.taps + 1)
      expect(w.cards.issuers.arqcVerified).toBe(before.arqc + 1)
    }
  }, 300_000)

  it("a loss reported while the swap's order runs locks the new card once it is issued", () => {
    const d = decodePilotScenario({ ...json(), untilDate: "2015-01-31", fidelity: { byteLevelFraction: 0 } })
    if (!d.ok) throw new Error(d.message)
    const s = runSmall(d)
    const w = s.world
    const u = w.userFlags.findIndex((f, i) => (f & Flag.issued) !== 0 && w.flows.simSwappable(i))
    const ev: PopulationEvent = {
      kind: PendingEvent.none,
      user: u,
      transactionKind: null,
      mixIndex: -1,
      amountFen: 0,
      reissued: false,
    }
    // The population's own steps for the user, as its process fires them (population-run.ts).
    const fire = (kind: PendingEvent, world: PilotWorld) => {
      world.run.state.pendingEvent[u] = kind
      world.run.fire(u, world.kernel.nowUs, ev)
      onPopulationEvent(world, ev, world.kernel.nowUs)
    }
    const swapsBefore = w.totals.simSwaps
    fire(PendingEvent.simSwap, w)
    expect(w.flows.registries.inFlight[u]).toBe(1)
    fire(PendingEvent.loss, w)
    expect(w.run.state.cardState[u]).toBe(CardState.lost)
    w.kernel.run(w.kernel.nowUs + 3_600_000_000)
    checkInvariants(s)
    expect(w.totals.simSwaps).toBe(swapsBefore + 1)
    // The card the swap made is not held; the lock the user asked for reached it.
    expect(w.userFlags[u]! & Flag.issued).toBe(0)
    const r = w.flows.registries
    expect([r.tsm[u], r.mtps[u], r.se[u], r.life[u], r.inFlight[u]]).toEqual([
      Reg.locked,
      Reg.locked,
      Reg.locked,
      Life.locked,
      0,
    ])
    for (const name of ["cards-held-are-active", "cards-held-recount", "lock-close-reached-se"])
      expect(s.invariants[name]!.violations, name).toBe(0)
  }, 120_000)

  it("refuses a swap rate beyond its bound, naming the field", () => {
    for (const bad of [1000, -1, 2.5]) {
      const d = decodePilotScenario({ ...json(), populationOverrides: { simSwapPermillePerYear: bad } })
      expect(d.ok).toBe(false)
      if (!d.ok) expect(d.message).toContain('["populationOverrides"]["simSwapPermillePerYear"]')
    }
  })
})
