// Proves that fault plans decode with readable errors, refuse unknown targets without side
// effects, and switch links and resources out and back as scheduled or drawn.
import { describe, expect, it } from "vitest"
import { applyFaultPlan } from "../../../sim/faults/apply-faults.ts"
import { decodeFaultPlan } from "../../../sim/faults/fault-plan.ts"
import { linkTarget, resourceTarget } from "../../../sim/faults/fault-target.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { Resource } from "../../../sim/kernel/resource.ts"
import { Link } from "../../../sim/network/link.ts"
import { streamOf } from "../../../sim/rng/stream.ts"

describe("fault plans", () => {
  it("names the bad path and the expectation", () => {
    expect(() =>
      decodeFaultPlan({ faults: [{ kind: "outage", target: "x", startUs: -5, durationUs: 1 }] }),
    ).toThrow(/greater than or equal to 0[\s\S]*"startUs"/)
  })

  it("reports unknown targets and schedules nothing", () => {
    const k = new Kernel()
    const plan = decodeFaultPlan({ faults: [{ kind: "outage", target: "nope", startUs: 0, durationUs: 5 }] })
    expect(applyFaultPlan(k, 1, plan, new Map())).toEqual([
      'faults[0].target: no link or resource named "nope"',
    ])
    expect(k.pending).toBe(0)
  })

  it("takes a link out for a scheduled window and degrades a resource's capacity", () => {
    const k = new Kernel()
    const link = new Link<number>(
      k,
      streamOf(1, "l"),
      { name: "l", from: "a", to: "b", latencyUs: () => 10, inFlightMax: 10 },
      () => {},
    )
    const servers = new Resource(k, { name: "hsm", capacity: 4 })
    const plan = decodeFaultPlan({
      faults: [
        { kind: "outage", target: "l", startUs: 100, durationUs: 50 },
        { kind: "degradation", target: "hsm", startUs: 10, durationUs: 20, capacity: 1 },
      ],
    })
    expect(
      applyFaultPlan(
        k,
        1,
        plan,
        new Map([
          ["l", linkTarget(link)],
          ["hsm", resourceTarget(servers)],
        ]),
      ),
    ).toEqual([])
    const probe = k.register<undefined>("probe", () => {})
    const states: string[] = []
    for (const t of [5, 15, 35, 120, 160]) {
      k.at(t, probe, 0, undefined)
      k.run(t + 1)
      states.push(`${t}:${link.isOut(k.nowUs) ? "out" : "up"}/${servers.capacity}`)
    }
    expect(states).toEqual(["5:up/4", "15:up/1", "35:up/4", "120:out/4", "160:up/4"])
  })

  it("draws random outages of at least the minimum duration at about the configured rate", () => {
    const k = new Kernel()
    let downSince = -1
    const spans: number[] = []
    const target = {
      setDown: (down: boolean) => {
        if (down) downSince = k.nowUs
        else spans.push(k.nowUs - downSince)
      },
      degrade: () => {},
    }
    const plan = decodeFaultPlan({
      faults: [
        {
          kind: "random-outage",
          target: "t",
          probability: { numerator: 1, denominator: 10 },
          checkEveryUs: 1_000,
          durationUsMin: 5_000,
          durationUsMax: 9_000,
        },
      ],
    })
    applyFaultPlan(k, 7, plan, new Map([["t", target]]))
    k.run(10_000_000)
    expect(spans.every((s) => s >= 5_000 && s <= 9_000)).toBe(true)
    // One cycle: on average 10 checks of 1 ms until a fault, then ~7 ms out, then 1 ms to the next check.
    expect(spans.length).toBeGreaterThan(400)
    expect(spans.length).toBeLessThan(700)
  })
})
