import { describe, expect, it } from "vitest"
import { PartyDecisions } from "../../../../model/world/pilot/party-decisions.ts"

describe("party decisions", () => {
  it("counts through held cells and reports each party's kinds and causes, sorted", () => {
    const d = new PartyDecisions()
    const route = d.decision("mtps", "route")
    route.n++
    route.n++
    d.decision("mtps", "registry").n++
    d.error("bank-host", "refused").n += 3
    expect(d.decision("mtps", "route")).toBe(route)
    expect(d.record()).toEqual({
      "bank-host": { decisions: {}, errors: { refused: 3 } },
      mtps: { decisions: { registry: 1, route: 2 }, errors: {} },
    })
  })
})
