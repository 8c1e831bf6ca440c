// Proves the viewer's time controls and KPI "why" on a live pilot run (08: MTPS down 2014-09-10
// 08:00 for 72 h): run-to an instant pauses the run exactly there (a boundary), run-to the next
// fault pauses it at the first boundary after the outage began, run-to the next traced issuance
// pauses it once one more traced issuance has ended, impossible targets are refused naming the
// problem, and `explain` answers with the report's attribution for each phase target.
import { afterAll, describe, expect, it } from "vitest"
import { SAMPLE_EVERY_US } from "../../../app/live/pilot-run-session.ts"
import { makeViewerSession } from "../../../app/live/viewer-session.ts"
import { daysFromIso } from "../../../model/calendar/civil-calendar.ts"
import { US_PER_DAY } from "../../../model/world/pilot/pilot-world.ts"
import type { CommandOutcome } from "../../../sim/server/run-session.ts"

const SECONDS_PER_DAY = 86_400

// Paced at 8 simulated days per second until the last test: at full speed the run could pass the
// first target (day 20) before the first command arrives.
const session = makeViewerSession({
  scenario: "08-mtps-outage",
  seed: 3,
  scale: 0.002,
  speed: 8 * SECONDS_PER_DAY,
})
afterAll(() => session.close())

const pausedAt = async (): Promise<number> => {
  await expect.poll(() => session.progress().state, { timeout: 60_000, interval: 20 }).toBe("paused")
  return session.progress().tUs
}

const paragraphsOf = (o: CommandOutcome): ReadonlyArray<string> => ("paragraphs" in o ? o.paragraphs : [])
const messageOf = (o: CommandOutcome): string => ("message" in o ? o.message : "")

const epochDays = () => Math.round(session.info().epochUs / US_PER_DAY)

describe("run-to and explain on a live pilot run", () => {
  it("pauses at an instant, exactly", async () => {
    const tUs = 20 * US_PER_DAY
    expect(await session.command({ type: "run-to", until: "instant", tUs })).toEqual({ ok: true })
    expect(await pausedAt()).toBe(tUs)
  }, 60_000)

  it("refuses an instant in the past, after the end, or missing", async () => {
    const past = await session.command({ type: "run-to", until: "instant", tUs: US_PER_DAY })
    expect(past).toMatchObject({ ok: false, code: "rejected" })
    expect(messageOf(past)).toMatch(/not after the run's clock/)
    const late = await session.command({ type: "run-to", until: "instant", tUs: 10_000 * US_PER_DAY })
    expect(messageOf(late)).toMatch(/after the run's end/)
    const none = await session.command({ type: "run-to", until: "instant" })
    expect(messageOf(none)).toMatch(/needs tUs/)
    expect(session.progress().state).toBe("paused")
  })

  it("pauses at the next fault window's start, within one boundary", async () => {
    const startUs = (daysFromIso("2014-09-10") - epochDays()) * US_PER_DAY + 8 * 3_600_000_000
    expect(await session.command({ type: "run-to", until: "fault" })).toEqual({ ok: true })
    const at = await pausedAt()
    expect(at).toBeGreaterThanOrEqual(startUs)
    // The boundary at the outage's own instant comes before the outage's event at that instant.
    expect(at).toBeLessThanOrEqual(startUs + SAMPLE_EVERY_US)
    expect(session.pilot()!.live.state.world.faultWindows.length).toBe(1)
  }, 60_000)

  it("pauses after the next traced issuance", async () => {
    const run = session.pilot()!
    const before = run.tracer.finished
    const fromUs = session.progress().tUs
    expect(await session.command({ type: "run-to", until: "issuance" })).toEqual({ ok: true })
    const at = await pausedAt()
    expect(at).toBeGreaterThan(fromUs)
    expect(run.tracer.finished).toBe(before + 1)
  }, 60_000)

  it("explains a KPI with the report's words: not judged before the deadline, judged after", async () => {
    const early = await session.command({ type: "explain", kpi: "cards" })
    expect(early).toMatchObject({ ok: true })
    const paragraphs = paragraphsOf(early)
    expect(paragraphs).toHaveLength(3)
    expect(paragraphs[0]).toMatch(/^phase 1 \(2015-07\): not judged yet/)
    expect(await session.command({ type: "explain", kpi: "nonsense" })).toMatchObject({ ok: false })
    // 08 ends with phase 1's deadline (2015-07-31): once the run is done, the first target is judged.
    await session.command({ type: "speed", factor: null })
    await session.command({ type: "resume" })
    await session.finished()
    expect(session.progress().state).toBe("done")
    const late = { paragraphs: paragraphsOf(await session.command({ type: "explain", kpi: "cards" })) }
    expect(late.paragraphs[0]).toMatch(
      /^phase 1 \(2015-07\): cards (reached .* met\.|was .* short by .*Binding cause: )/,
    )
    const over = await session.command({ type: "run-to", until: "fault" })
    expect(messageOf(over)).toMatch(/the run is over/)
    expect(late.paragraphs[1]).toMatch(/^phase 2 \(2016-07\): not judged yet/)
  }, 120_000)
})
