// Proves the binding-cause attribution of missed phase KPIs: the smallest share of the target binds
// (adoption ceiling vs diffusion speed for cards, card base vs use per card for transactions,
// transaction count vs ticket size for value), losses that cover half the shortfall make an outage
// bind, refusals by a party that was down are the outage's and not a capacity bottleneck, and on
// 05-pilot-realistic at 0.02 every missed phase KPI gets a binding cause with its numbers.
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { diagnosticsOf, heldBack } from "../../../app/report/held-back.ts"
import type { RunOutcome } from "../../../app/report/run-outcome.ts"
import { evaluateTargets } from "../../../app/report/targets.ts"
import { pilotOutcome } from "../../../app/run/pilot-outcome.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { runPilot } from "../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../model/world/pilot/pilot-scenario.ts"
import { outcomeFixture } from "./run-outcome-fixture.ts"

const DAY = 86_400_000_000

/** One phase due on day 10 with cards, transactions and value, and the run's values on that day. */
const phase = (
  values: { cards: number; transactions: number; valueYuan: number },
  over: Partial<RunOutcome> = {},
) =>
  // The run lasts the phase's 10 days, so its targets are reached (judged), not "not reached".
  outcomeFixture(10, {
    targets: [
      { phase: "p1", kpi: "cards", atLeast: 1000, byDay: 10 },
      { phase: "p1", kpi: "transactions", atLeast: 10_000, byDay: 10 },
      { phase: "p1", kpi: "valueYuan", atLeast: 100_000_000, byDay: 10 },
    ],
    series: [
      {
        name: "phase-kpis",
        columns: [
          { name: "cards", unit: "count" },
          { name: "transactions", unit: "count" },
          { name: "valueYuan", unit: "yuan" },
        ],
        rows: [[10 * DAY, values.cards, values.transactions, values.valueYuan]],
      },
    ],
    utilisation: [],
    faults: [],
    diagnostics: [
      {
        kind: "adoption-ceiling",
        kpis: ["cards"],
        phase: "p1",
        subject: "the users",
        ceiling: 800,
        reached: values.cards,
      },
    ],
    ...over,
  })

const causes = (o: RunOutcome) =>
  Object.fromEntries(heldBack(o, evaluateTargets(o)).map((h) => [h.kpi, h.binding?.cause]))

describe("binding cause", () => {
  it("is diffusion when the run reached a small share of a ceiling that is itself short", () => {
    // Ceiling 80 % of the target, diffusion 10 % of the ceiling: diffusion binds.
    expect(causes(phase({ cards: 80, transactions: 800, valueYuan: 8_000_000 })).cards).toBe(
      "diffusion speed",
    )
  })

  it("is the ceiling when the run reached nearly all of a ceiling far below the target", () => {
    const o = phase(
      { cards: 790, transactions: 7900, valueYuan: 79_000_000 },
      {
        diagnostics: [
          {
            kind: "adoption-ceiling",
            kpis: ["cards"],
            phase: "p1",
            subject: "the users",
            ceiling: 800,
            reached: 790,
          },
        ],
      },
    )
    const held = heldBack(o, evaluateTargets(o))
    expect(held.find((h) => h.kpi === "cards")!.binding!.cause).toBe("adoption ceiling")
    expect(held.find((h) => h.kpi === "cards")!.text).toContain(
      "at most 800 users could take a card (80 % of the target)",
    )
  })

  it("is the card base for transactions when cards fell short but each card was used as planned", () => {
    // Cards at 10 %, transactions at 10 %: use per card is what the target implies, the base binds.
    const held = heldBack(
      phase({ cards: 100, transactions: 1000, valueYuan: 10_000_000 }),
      evaluateTargets(phase({ cards: 100, transactions: 1000, valueYuan: 10_000_000 })),
    )
    const txns = held.find((h) => h.kpi === "transactions")!
    expect(txns.binding!.cause).toBe("card base")
    expect(txns.text).toContain("use per card came to 100 % of what the target implies")
  })

  it("is use per card when the cards were there but were used too little", () => {
    // Cards at 80 % (fails), transactions at 8 %: each card did a tenth of what the target implies.
    const c = causes(phase({ cards: 800, transactions: 800, valueYuan: 8_000_000 }))
    expect(c.transactions).toBe("use per card")
    expect(c.valueYuan).toBe("transaction count")
  })

  it("is the ticket size when transactions met their target and value did not", () => {
    expect(causes(phase({ cards: 2000, transactions: 20_000, valueYuan: 50_000_000 })).valueYuan).toBe(
      "ticket size",
    )
  })

  it("is an outage whose lost requests cover half the shortfall, and its refusals are not a bottleneck", () => {
    const o = phase(
      { cards: 500, transactions: 5000, valueYuan: 50_000_000 },
      {
        utilisation: [{ party: "mtps", meanRatio: 0, peakRatio: 0, refused: 400 }],
        faults: [{ party: "mtps", kind: "outage", startUs: DAY, endUs: 4 * DAY }],
      },
    )
    expect(diagnosticsOf(o, 10).map((d) => d.kind)).toEqual(["adoption-ceiling", "outage"])
    const cards = heldBack(o, evaluateTargets(o)).find((h) => h.kpi === "cards")!
    expect(cards.binding!.cause).toBe("outage")
    expect(cards.text).toContain("mtps lost or refused 400 requests, 80 % of the shortfall")
    expect(cards.text).not.toContain("Capacity bottleneck")
  })
})

describe("05-pilot-realistic at 0.02", () => {
  it("names a binding cause with its numbers for every missed phase KPI", () => {
    const file = resolve(import.meta.dirname, "../../../scenarios/05-pilot-realistic.json")
    const d = decodePilotScenario(JSON.parse(readFileSync(file, "utf8")))
    if (!d.ok) throw new Error(d.message)
    const s = runPilot({
      scenario: d.value,
      population: d.population,
      scale: 0.02,
      seed: d.value.seed,
      crypto: nativeCrypto,
    })
    const o = pilotOutcome(s, {
      scenario: "05-pilot-realistic",
      seed: d.value.seed,
      scenarioHash: "-",
      status: "complete",
    })
    const held = heldBack(o, evaluateTargets(o)).filter((h) =>
      ["cards", "transactions", "valueYuan"].includes(h.kpi),
    )
    expect(held.length).toBeGreaterThanOrEqual(6)
    for (const h of held) {
      expect(h.binding, h.text).not.toBeNull()
      expect(h.text).toMatch(/Binding cause: [a-z ]+ — .*\d/)
      expect(h.text).not.toContain("none of the three limits")
    }
    // Cards: the run is far below a ceiling that is not reached, so diffusion binds, not the ceiling.
    expect(held.filter((h) => h.kpi === "cards").map((h) => h.binding!.cause)).toContain("diffusion speed")
    // No paragraph lists another phase's ceiling.
    for (const h of held)
      expect(h.limits.filter((l) => l.kind === "adoption-ceiling" && l.phase !== h.phase)).toEqual([])
  }, 60_000)
})
