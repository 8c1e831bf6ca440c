// Proves the viewer session behind `tsm-twin view` takes any sequence of protocol commands without
// throwing: unknown faults, flows and scenarios are refused with their error codes, step is refused
// unless paused, and a pilot scenario can be replaced by another and by a demo and back.
import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import { makeViewerSession } from "../../../app/live/viewer-session.ts"
import type { Command } from "../../../sim/server/protocol.ts"

const session = makeViewerSession({ scenario: "04-pilot-plan", seed: 2, scale: 0.002, speed: 30 * 86_400 })
afterAll(() => session.close())

const id = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom("mtps-down-24h", "issuance-1-1"),
)
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ type: "pause" } as const),
  fc.constant({ type: "resume" } as const),
  fc.integer({ min: 1, max: 5_000 }).map((events) => ({ type: "step", events }) as const),
  fc
    .option(fc.double({ min: 1, max: 1e7, noNaN: true }), { nil: null })
    .map((factor) => ({ type: "speed", factor }) as const),
  id.map((fault) => ({ type: "inject", fault }) as const),
  id.map((flow) => ({ type: "inspect", flow }) as const),
  fc.string({ minLength: 1, maxLength: 12 }).map((scenario) => ({ type: "scenario", scenario }) as const),
  fc
    .record({
      until: fc.constantFrom("instant", "fault", "issuance"),
      tUs: fc.option(fc.integer({ min: 0, max: 2 ** 50 }), { nil: undefined }),
    })
    .map(({ until, tUs }) => ({ type: "run-to", until, ...(tUs === undefined ? {} : { tUs }) }) as const),
  fc.constantFrom("cards", "apps", "nonsense").map((kpi) => ({ type: "explain", kpi }) as const),
)

describe("viewer session", () => {
  it("lists the library's pilot scenarios and the demos", () => {
    const ids = session.scenarios.map((s) => s.id)
    expect(ids).toContain("04-pilot-plan")
    expect(ids).toContain("14-province-scale")
    expect(ids.some((i) => i.startsWith("demo-"))).toBe(true)
    expect(session.faults().map((f) => f.id)).toContain("telco-ota-down-24h")
  })

  it("answers every command sequence with an outcome, never a throw", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 8 }), async (commands) => {
        for (const c of commands) {
          const outcome = await session.command(c)
          if (!outcome.ok) expect(outcome.message.length).toBeGreaterThan(0)
          if (c.type === "inject" && c.fault !== "mtps-down-24h") expect(outcome.ok).toBe(false)
          if (c.type === "scenario") expect(outcome).toMatchObject({ ok: false, code: "unknown-scenario" })
        }
      }),
      { numRuns: 60 },
    )
  })

  it("switches to another pilot scenario, to a demo and back", async () => {
    expect(await session.command({ type: "scenario", scenario: "08-mtps-outage" })).toEqual({ ok: true })
    expect(session.info().scenario).toBe("08-mtps-outage")
    expect(session.faults().some((f) => f.id === "scenario-outage-0")).toBe(true)
    expect(await session.command({ type: "scenario", scenario: "demo-01-baseline" })).toEqual({ ok: true })
    expect(session.pilot()).toBeNull()
    expect(await session.command({ type: "scenario", scenario: "04-pilot-plan" })).toEqual({ ok: true })
    expect(session.info().scenario).toBe("04-pilot-plan")
    expect(await session.command({ type: "restart", seed: 7 })).toEqual({ ok: true })
    expect(session.info().seed).toBe(7)
  })
})
