// Proves the tracer lets go of the world once its last traced issuance has ended (no call per
// issuance stage for the rest of the run), after tracing as many issuances as it may — and stays
// attached while it may still trace, or while a traced issuance is under way.
import { describe, expect, it } from "vitest"
import { FlowTracer } from "../../../app/live/flow-tracer.ts"
import { FLOW_SUMMARY_SIGNAL } from "../../../model/signals/flow.ts"
import { US_PER_DAY } from "../../../model/world/pilot/pilot-world.ts"
import { MemorySink } from "../../../sim/recorder/memory-sink.ts"
import { runBoundaries, startSmallPilot } from "../../model/world/pilot/small-pilot.fixture.ts"

const traceRun = (tracedMax: number) => {
  const start = startSmallPilot("04-pilot-plan", 6, "2014-10-31")
  const world = start.state.world
  const sink = new MemorySink()
  const tracer = new FlowTracer(world, sink, { everyUs: US_PER_DAY / 2, tracedMax })
  /** Whether the tracer still watched the flows at each day's end. */
  const attached: boolean[] = []
  runBoundaries(start, US_PER_DAY, { onDay: () => attached.push(world.flows.observer !== null) })
  const summaries = sink.records.filter((r) => r.signal === FLOW_SUMMARY_SIGNAL).length
  return { tracer, world, attached, summaries }
}

describe("flow tracer", () => {
  it("detaches from the flows and cards after its last traced issuance, not before", () => {
    const few = traceRun(1)
    expect(few.summaries).toBe(1)
    expect(few.tracer.finished).toBe(1)
    expect(few.world.flows.observer).toBeNull()
    expect(few.world.cards.tracer).toBeNull()
    // Attached for a while at the start, then detached for good.
    const firstOff = few.attached.indexOf(false)
    expect(firstOff).toBeGreaterThan(0)
    expect(few.attached.slice(firstOff).every((a) => !a)).toBe(true)

    // Room for more issuances than the run has half-days: it watches to the end.
    const many = traceRun(10_000)
    expect(many.summaries).toBeGreaterThan(1)
    expect(many.world.flows.observer).not.toBeNull()
    expect(many.world.cards.tracer).not.toBeNull()
  }, 60_000)
})
