/**
 * The one network declaration (model/world/network.ts) and what derives from it: the scenario's
 * fault targets (a misspelt one is a validation error at its JSON path), the world's fault-target
 * map, the report's utilisation columns and party blocks, the viewer's topology and fault picker.
 */
import { describe, expect, it } from "vitest"
import { SE_PARTY } from "../../../app/live/party-state.ts"
import { pilotFaultCatalogue } from "../../../app/live/pilot-catalogue.ts"
import { PilotSignals } from "../../../app/live/pilot-signals.ts"
import { pilotOutcome } from "../../../app/run/pilot-outcome.ts"
import { PARTY_LOAD_SIGNAL, type PartyLoad } from "../../../model/signals/party-load.ts"
import {
  FAULT_TARGET_IDS,
  PILOT_PARTIES,
  partyLabel,
  UTILISATION_PARTIES,
} from "../../../model/world/network.ts"
import { decodePilotScenario } from "../../../model/world/pilot/pilot-scenario.ts"
import { MemorySink } from "../../../sim/recorder/memory-sink.ts"
import { runSmallPilot, scenarioJson } from "./pilot/small-pilot.fixture.ts"

const plan = (): Record<string, unknown> => scenarioJson("04-pilot-plan")
const ids = PILOT_PARTIES.map((p) => p.id)

const smallRun = (edit: (json: Record<string, unknown>) => void = () => {}) =>
  runSmallPilot("04-pilot-plan", 5, "2014-09-15", edit)

describe("network declaration", () => {
  it("names each party once, and every party it sends to is declared", () => {
    expect(new Set(ids).size).toBe(ids.length)
    for (const p of PILOT_PARTIES) for (const to of p.sendsTo) expect(ids, `${p.id} → ${to}`).toContain(to)
    expect(FAULT_TARGET_IDS).toEqual(PILOT_PARTIES.filter((p) => p.kind !== "population").map((p) => p.id))
    expect(partyLabel("gzt-tsm.hsm")).toBe("贵州通 TSM HSM pool")
  })

  it("rejects a misspelt outage target and a misspelt plan-fault target, naming each path", () => {
    const json = plan()
    json.outages = [{ target: "mtsp", startDate: "2014-09-10", durationHours: 2 }]
    json.faults = [{ kind: "outage", target: "bank-hosts", startUs: 0, durationUs: 1 }]
    const decoded = decodePilotScenario(json)
    expect(decoded.ok).toBe(false)
    const message = decoded.ok ? "" : decoded.message
    expect(message).toContain('["outages"][0]["target"]')
    expect(message).toContain('["faults"][0]["target"]')
    // The expectation lists the declared parties, so the user sees what they could have meant.
    expect(message).toContain('"mtps"')
    // Every declared target is accepted, in both places.
    for (const target of FAULT_TARGET_IDS) {
      const ok = plan()
      ok.outages = [{ target, startDate: "2014-09-10", durationHours: 2 }]
      ok.faults = [{ kind: "outage", target, startUs: 0, durationUs: 1 }]
      expect(decodePilotScenario(ok).ok, target).toBe(true)
    }
  })

  it("gives the world a fault target for every declared party: an outage on each is recorded", () => {
    const run = smallRun((json) => {
      json.outages = FAULT_TARGET_IDS.map((target) => ({ target, startDate: "2014-09-01", durationHours: 3 }))
      json.faults = []
    })
    expect(run.violations).toEqual([])
    expect(run.world.faultProblems).toEqual([])
    expect(new Set(run.world.faultWindows.map((w) => w.party))).toEqual(new Set(FAULT_TARGET_IDS))
  })

  it("derives the report's utilisation columns and party blocks, and the viewer's topology", () => {
    const run = smallRun()
    const outcome = pilotOutcome(run, { scenario: "04", seed: 5, scenarioHash: "x", status: "complete" })
    const utilisationIds = UTILISATION_PARTIES.map((p) => p.id)
    const series = outcome.series.find((s) => s.name === "utilisation")!
    expect(series.columns.map((c) => c.name)).toEqual(utilisationIds)
    expect(series.rows.every((r) => r.length === utilisationIds.length + 1)).toBe(true)
    expect(outcome.utilisation.map((u) => u.party)).toEqual(utilisationIds)
    // Some work reached the TSM's HSMs and the bank hosts: the blocks read the right meters.
    const block = (id: string) => outcome.utilisation.find((u) => u.party === id)!
    expect(block("gzt-tsm.hsm").meanRatio).toBeGreaterThan(0)
    expect(block("bank-host").meanRatio).toBeGreaterThan(0)

    const sink = new MemorySink()
    new PilotSignals(run, sink).sample()
    const loads = sink.records
      .filter((r) => r.signal === PARTY_LOAD_SIGNAL)
      .map((r) => r.payload as PartyLoad)
    // The declared parties, plus the SE the viewer draws where the OTA bearer's scripts end.
    expect(loads.map((l) => l.key).sort()).toEqual([...ids, SE_PARTY.id].sort())
    for (const l of loads.filter((x) => x.key !== SE_PARTY.id)) {
      const declared = PILOT_PARTIES.find((p) => p.id === l.key)!
      expect(l.label).toBe(declared.label)
      expect(l.tier).toBe(declared.tier)
      expect(l.sendsTo).toEqual(l.key === "telco-ota" ? [...declared.sendsTo, SE_PARTY.id] : declared.sendsTo)
    }

    const picker = pilotFaultCatalogue(run.world.scenario)
    for (const target of FAULT_TARGET_IDS) expect(picker.map((f) => f.fault(0).target)).toContain(target)
  })
})
