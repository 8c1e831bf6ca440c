/**
 * Proves the population's SIM swaps come at the configured yearly rate, on NFC-SIM cards only: over
 * a small eventful market, the swaps counted equal the NFC-SIM cards' active time × the hazard the
 * permille gives, within Poisson noise (4 σ), at two rates; no card on an NFC-SD or eSE is swapped;
 * a swap leaves the card active and advances its generation; a rate of 0 gives no swap and leaves
 * NFC-SIM cards their losses and closures (a zero hazard is "never", not "at once"); and the swap
 * rate changes nothing for users on other SEs.
 */
import { describe, expect, it } from "vitest"
import { lifecycleHazards } from "../../../model/population/lifecycle-events.ts"
import { PILOT_REALISTIC } from "../../../model/population/pilot-calibrations.ts"
import type { PopulationParams } from "../../../model/population/population-params.ts"
import { startPopulation } from "../../../model/population/population-process.ts"
import { PopulationRun } from "../../../model/population/population-run.ts"
import { CardState, PendingEvent } from "../../../model/population/population-state.ts"
import { drawUser, seTypeOf } from "../../../model/population/user.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort } from "../../../sim/kernel/port.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"

const paramsAt = (simSwapPermillePerYear: number): PopulationParams => ({
  ...PILOT_REALISTIC,
  market: { ...PILOT_REALISTIC.market, marketUsers: 20_000 },
  adoption: { ...PILOT_REALISTIC.adoption, takeUpPermille: 1000, innovationPerYear: 2 },
  lifecycle: { ...PILOT_REALISTIC.lifecycle, simSwapPermillePerYear },
})

/** Runs the population alone; counts swaps and the NFC-SIM cards' active seconds. */
const swapsAndExposure = (params: PopulationParams, seed: number) => {
  const kernel = new Kernel()
  const run = new PopulationRun(params, seed)
  const onNfcSim = (u: number) => seTypeOf(params, drawUser(seed, u)) === "NFC-SIM"
  const activeSinceUs = new Map<number, number>()
  let exposureUs = 0
  let swaps = 0
  let nfcSimLeaves = 0
  /** The events of users not on an NFC-SIM, in order. */
  const others: string[] = []
  const problems: string[] = []
  const end = (u: number, now: number) => {
    const since = activeSinceUs.get(u)
    if (since !== undefined && onNfcSim(u)) exposureUs += now - since
    activeSinceUs.delete(u)
  }
  startPopulation(makePort(kernel, seed, new SignalBus(null)), run, {
    onAdoption: (u, now) => activeSinceUs.set(u, now),
    onEvent: (e, now) => {
      if (!onNfcSim(e.user)) others.push(`${now} ${e.kind} ${e.user} ${e.amountFen}`)
      if (e.kind === PendingEvent.loss || e.kind === PendingEvent.close) {
        if (onNfcSim(e.user)) nfcSimLeaves++
        end(e.user, now)
      }
      if (e.kind === PendingEvent.reissueDue && e.reissued) activeSinceUs.set(e.user, now)
      if (e.kind !== PendingEvent.simSwap) return
      swaps++
      if (!onNfcSim(e.user)) problems.push(`user ${e.user} swapped a SIM without an NFC-SIM card`)
      if (run.state.cardState[e.user] !== CardState.active) problems.push(`user ${e.user} not active`)
      if (!activeSinceUs.has(e.user)) problems.push(`user ${e.user} swapped without an active card`)
    },
  })
  kernel.run(run.horizonUs)
  for (const u of [...activeSinceUs.keys()]) end(u, run.horizonUs)
  const expected = (exposureUs / 1e6) * lifecycleHazards(params).simSwapPerSecond
  return { run, swaps, expected, problems, nfcSimLeaves, others }
}

describe("SIM swaps in the population", () => {
  it("come at the configured yearly rate on NFC-SIM cards, within sampling noise", () => {
    for (const permille of [100, 300]) {
      const { run, swaps, expected, problems } = swapsAndExposure(paramsAt(permille), 3)
      console.log(
        `${permille} ‰/yr: ${swaps} swaps, ${expected.toFixed(1)} expected from active NFC-SIM time`,
      )
      expect(problems).toEqual([])
      expect(expected).toBeGreaterThan(200)
      expect(Math.abs(swaps - expected)).toBeLessThan(4 * Math.sqrt(expected))
      expect(run.totals.simSwaps).toBe(swaps)
      // Each swap is one more card generation (补卡 adds the others).
      let generations = 0
      for (const g of run.state.cardGeneration) generations += g
      expect(generations).toBe(run.totals.simSwaps + run.totals.reissues)
    }
  })

  it("gives no swap at a rate of 0, and leaves the other risks and SEs as they are", () => {
    const none = swapsAndExposure(paramsAt(0), 3)
    expect(none.problems).toEqual([])
    expect(none.swaps).toBe(0)
    // A zero hazard's wait is infinite: the losses and closures of NFC-SIM cards still come.
    expect(none.nfcSimLeaves).toBeGreaterThan(100)
    const many = swapsAndExposure(paramsAt(300), 3)
    expect(many.others.length).toBeGreaterThan(1000)
    expect(many.others).toEqual(none.others)
  })
})
