/**
 * Proves the projection against the pilot's phase targets (DESIGN.md §1, the only constants here):
 * pilot-plan meets all three phases; pilot-realistic misses them, and the reason is the adoption
 * ceiling (NFC handsets × take-up below the card target) — and the agent simulation agrees with
 * the projection it is compared with.
 */
import { describe, expect, it } from "vitest"
import { daysFromIso } from "../../../model/calendar/civil-calendar.ts"
import { PILOT_PLAN, PILOT_REALISTIC } from "../../../model/population/pilot-calibrations.ts"
import { startPopulation } from "../../../model/population/population-process.ts"
import { PopulationRun } from "../../../model/population/population-run.ts"
import { assessTargets, projectDaily, projectMonthly } from "../../../model/population/projection.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort } from "../../../sim/kernel/port.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import { scaledTotal } from "./sample-estimate.ts"

const TARGETS = [
  { endDate: "2015-07-31", cards: 200_000, transactions: 2_000_000, valueYuan: 20e9 },
  { endDate: "2016-07-31", cards: 700_000, transactions: 5_000_000, valueYuan: 50e9 },
  { endDate: "2017-07-31", cards: 1_500_000, transactions: 8_000_000, valueYuan: 80e9 },
]

describe("phase targets", () => {
  it("pilot-plan's projection meets every target of every phase", () => {
    const assessed = assessTargets(PILOT_PLAN, projectDaily(PILOT_PLAN), TARGETS)
    for (const a of assessed) {
      console.log(
        `pilot-plan ${a.target.endDate}: cards ${Math.round(a.cards)}, transactions ${Math.round(a.transactions)}, ` +
          `value ${(a.valueYuan / 1e9).toFixed(1)} bn yuan, ceiling ${Math.round(a.ceilingCards)}`,
      )
      expect(a.missed).toEqual([])
    }
  })

  it("pilot-realistic misses the card targets because the ceiling lies below them", () => {
    const assessed = assessTargets(PILOT_REALISTIC, projectDaily(PILOT_REALISTIC), TARGETS)
    for (const a of assessed) {
      console.log(
        `pilot-realistic ${a.target.endDate}: misses ${a.missed.join(", ")}; cards ${Math.round(a.cards)} ` +
          `under a ceiling of ${Math.round(a.ceilingCards)} (target ${a.target.cards}); ` +
          `transactions ${Math.round(a.transactions)}, value ${(a.valueYuan / 1e9).toFixed(2)} bn yuan`,
      )
      expect(a.missed).toContain("cards")
      expect(a.cardsShortfallCause).toBe("adoption-ceiling")
      expect(a.ceilingCards).toBeLessThan(a.target.cards)
    }
  })

  it("gives monthly rows that never decrease", () => {
    const rows = projectMonthly(PILOT_PLAN)
    expect(rows[0]!.month).toBe("2014-08")
    expect(rows.at(-1)!.month).toBe("2017-07")
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.cardsCumulative).toBeGreaterThanOrEqual(rows[i - 1]!.cardsCumulative)
      expect(rows[i]!.transactionsCumulative).toBeGreaterThanOrEqual(rows[i - 1]!.transactionsCumulative)
    }
  })

  it("agrees with the agent simulation of pilot-realistic over three years (1/10 sample, within 4 standard errors)", () => {
    const seed = 99
    const stride = 10
    const kernel = new Kernel({ capacity: 1 << 14 })
    const run = new PopulationRun(PILOT_REALISTIC, seed, { sampleStride: stride })
    startPopulation(makePort(kernel, seed, new SignalBus(null)), run)
    const end = daysFromIso("2017-08-01") - daysFromIso(PILOT_REALISTIC.timeZeroDate)
    kernel.run(end * 86_400_000_000)
    const daily = projectDaily(PILOT_REALISTIC, run.curve, run.demand)
    const cards = daily.cardsCumulative[end]!
    const transactions = daily.transactionsCumulative[end]!
    const adopted = Uint8Array.from(run.state.adoptAtS, (t) => (t < end * 86_400 ? 1 : 0))
    const simCards = scaledTotal(adopted, stride)
    const simTransactions = scaledTotal(run.state.transactions, stride)
    console.log(
      `pilot-realistic simulated 1/${stride}: cards ${simCards.estimate} ± ${Math.round(simCards.standardError)} ` +
        `(projected ${Math.round(cards)}), transactions ${simTransactions.estimate} ± ` +
        `${Math.round(simTransactions.standardError)} (projected ${Math.round(transactions)})`,
    )
    expect(Math.abs(simCards.estimate - cards)).toBeLessThan(4 * simCards.standardError)
    expect(Math.abs(simTransactions.estimate - transactions)).toBeLessThan(4 * simTransactions.standardError)
  })
})
