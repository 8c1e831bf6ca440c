// Proves the party drill-down's fold: an outage and a degradation beginning and ending become
// events at the instant of the load that shows them, refusals and timeouts are counted by cause
// and merged into one entry over a run of intervals, the history is bounded, and the topology's
// texts keep a lightly loaded party's utilisation readable; a card's error status word is a
// failure in the sequence chart and 9000/61xx are not.
import { describe, expect, it } from "vitest"
import type { PartyLoad } from "../../model/signals/party-load.ts"
import {
  addPartyLoad,
  eventsBetween,
  PARTY_LIMITS,
  type PartyHistory,
} from "../../viewer/src/party-history.ts"
import { failedStep, failedSw } from "../../viewer/src/sequence-text.ts"
import { rateText, utilisationText } from "../../viewer/src/topology-panel-text.ts"

const load = (over: Partial<PartyLoad> = {}): PartyLoad => ({
  key: "mtps",
  label: "MTPS",
  tier: 3,
  queueDepth: 0,
  busy: 0,
  capacity: 8,
  utilisationPermille: 0,
  errors: 0,
  refused: 0,
  timedOut: 0,
  down: false,
  degraded: false,
  sendsTo: [],
  ...over,
})

describe("party history", () => {
  it("turns state changes into events, errors by cause", () => {
    expect(eventsBetween(load(), load(), 5)).toEqual([])
    const down = eventsBetween(load(), load({ down: true, errors: 7, refused: 7 }), 5)
    expect(down.map((e) => [e.kind, e.tUs, e.count])).toEqual([
      ["outage", 5, 0],
      ["errors", 5, 7],
    ])
    expect(down[1]!.text).toBe("7 refused")
    const up = eventsBetween(load({ down: true }), load({ timedOut: 2, errors: 2 }), 9)
    expect(up.map((e) => e.kind)).toEqual(["recovered", "errors"])
    expect(up[1]!.text).toBe("2 timed out")
    expect(eventsBetween(load(), load({ degraded: true }), 1)[0]!.kind).toBe("degraded")
    expect(eventsBetween(load({ degraded: true }), load(), 1)[0]!.kind).toBe("restored")
  })

  it("merges a run of error intervals into one entry and keeps its bounds", () => {
    const all = new Map<string, PartyHistory>()
    addPartyLoad(all, 0, load())
    for (let i = 1; i <= 50; i++) addPartyLoad(all, i, load({ refused: 3 * i, errors: 3 * i }))
    const h = all.get("mtps")!
    expect(h.events).toHaveLength(1)
    expect(h.events[0]).toMatchObject({ kind: "errors", tUs: 1, untilUs: 50, count: 150 })
    for (let i = 51; i <= 100; i++)
      addPartyLoad(all, i, load({ refused: 150, errors: 150, down: i % 2 === 0 }))
    expect(h.events.length).toBe(PARTY_LIMITS.eventsMax)
    expect(h.load.samples).toBe(101)
    for (let k = 0; k < 2 * PARTY_LIMITS.partiesMax; k++) addPartyLoad(all, 1, load({ key: `p${k}` }))
    expect(all.size).toBe(PARTY_LIMITS.partiesMax)
  })

  it("reads utilisation in ppm where permille rounds to 0, and rates compactly", () => {
    expect(utilisationText(load({ utilisationPermille: 0, utilisationPpm: 2 }))).toBe("0.0002 %")
    expect(utilisationText(load({ utilisationPermille: 3, utilisationPpm: 3_456 }))).toBe("0.3 %")
    expect(utilisationText(load({ utilisationPermille: 370, utilisationPpm: 370_000 }))).toBe("37 %")
    expect(utilisationText(load({ utilisationPermille: 5 }))).toBe("0.5 %")
    expect(rateText(36)).toBe("36/day")
    expect(rateText(2_500)).toBe("2.5 k/day")
    expect(rateText(3_200_000)).toBe("3.2 M/day")
  })

  it("marks a card's error status word as a failed message", () => {
    expect(failedSw("9000")).toBe(false)
    expect(failedSw("6110")).toBe(false)
    expect(failedSw("6982")).toBe(true)
    const step = { flowId: "f", kind: "issuance", index: 0, tUs: 0, from: "a", to: "se", label: "x" } as const
    expect(failedStep(step, false, true)).toBe(false)
    expect(failedStep(step, true, false)).toBe(true)
  })
})
