// Proves the traced byte-level issuances carry card time (issue #15 item 5 with #12's card time):
// each APDU starts where the one before it ended, takes the bearer's round trip plus the SE's own
// time, and all of them add up to exactly the card time the run charged the OTA session (the
// byte-level tally); the session ends when the personalize job answered and lies inside the
// flow; and the rebuilding can fail: with another SE's timing, or another round trip, the sum no
// longer matches.
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { cardTimeline } from "../../../app/live/card-timeline.ts"
import { startPilotRun } from "../../../app/live/pilot-run-session.ts"
import { CARD_PROFILES } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { runCardStory } from "../../../model/host/card-story/card-story.ts"
import { apduView } from "../../../model/signals/apdu-view.ts"
import {
  FLOW_STEP_SIGNAL,
  FLOW_SUMMARY_SIGNAL,
  type FlowStep,
  type FlowSummary,
} from "../../../model/signals/flow.ts"
import { OtaClock, SE_TIMING } from "../../../model/world/pilot/byte-level/card-time.ts"
import { decodePilotScenario } from "../../../model/world/pilot/pilot-scenario.ts"
import { MemorySink } from "../../../sim/recorder/memory-sink.ts"

const PLAN = resolve(import.meta.dirname, "../../../scenarios/08-mtps-outage.json")

const payloads = <T>(sink: MemorySink, signal: string): T[] =>
  sink.records.filter((r) => r.signal === signal).map((r) => r.payload as T)

describe("card time on traced issuances", () => {
  it("places every APDU in the OTA session with the card time the run charged", async () => {
    const sink = new MemorySink()
    const run = startPilotRun({
      path: PLAN,
      seed: 3,
      scale: 0.002,
      untilDate: "2014-10-31",
      speed: null,
      crypto: nativeCrypto,
      sinks: [sink],
      traceEveryUs: 3_600_000_000,
    })
    await run.done
    const decoded = decodePilotScenario(JSON.parse(readFileSync(PLAN, "utf8")))
    if (!decoded.ok) throw new Error(decoded.message)
    const ota = decoded.value.capacity.telcoOta
    const withCard = payloads<FlowSummary>(sink, FLOW_SUMMARY_SIGNAL).filter((f) => f.card !== undefined)
    expect(withCard.length).toBeGreaterThan(0)
    const steps = payloads<FlowStep>(sink, FLOW_STEP_SIGNAL)
    for (const f of withCard) {
      const card = f.card!
      const apdus = steps.filter((s) => s.flowId === f.key && s.apdu !== undefined)
      expect(apdus).toHaveLength(card.apdus)
      expect(card.apdus).toBeGreaterThan(20)
      expect(card.roundTripUs).toBeGreaterThanOrEqual(ota.apduRoundTripUsMin)
      expect(card.roundTripUs).toBeLessThanOrEqual(ota.apduRoundTripUsMax)
      expect(apdus[0]!.tUs).toBe(card.startUs)
      let at = card.startUs
      let sum = 0
      for (const s of apdus) {
        expect(s.tUs).toBe(at)
        expect(s.durationUs!).toBeGreaterThan(card.roundTripUs)
        at += s.durationUs!
        sum += s.durationUs!
      }
      // Exactly the card time the run charged the session (byte-level tally, card-time.ts).
      expect(sum).toBe(card.durationUs)
      // The session lies inside the flow, and the order's last messages (register) come after it.
      expect(card.startUs).toBeGreaterThanOrEqual(f.startUs)
      expect(card.startUs + card.durationUs).toBeLessThanOrEqual(f.endUs)
      const all = steps.filter((s) => s.flowId === f.key)
      expect(all.at(-1)!.apdu).toBeUndefined()
      expect(all.at(-1)!.tUs).toBeGreaterThanOrEqual(card.startUs + card.durationUs)
    }
  }, 120_000)

  it("agrees with card-time's own clock on a story, and fails with the wrong SE or round trip", () => {
    for (const se of ["NFC-SIM", "NFC-SD", "eSE"] as const) {
      const rtt = 412_345
      const clock = new OtaClock(SE_TIMING[se], rtt)
      const story = runCardStory({
        seed: 11,
        crypto: nativeCrypto,
        profile: CARD_PROFILES[se],
        until: "personalize",
        observe: (c, r, writes) => clock.exchange(c.length, r.length, writes),
      })
      expect(story.ok).toBe(true)
      const line = cardTimeline(story.exchanges, story.context.card.nowUs(), se, rtt, clock.us)
      expect(line.exact).toBe(true)
      expect(line.totalUs).toBe(clock.us)
      expect(line.exchanges).toHaveLength(clock.apdus)
      const other = se === "eSE" ? "NFC-SIM" : "eSE"
      expect(cardTimeline(story.exchanges, story.context.card.nowUs(), other, rtt, clock.us).exact).toBe(
        false,
      )
      expect(cardTimeline(story.exchanges, story.context.card.nowUs(), se, rtt + 1, clock.us).exact).toBe(
        false,
      )
      // The inspector's view of the first exchange decodes (the rows are real APDUs).
      const first = story.exchanges[0]!
      expect(apduView(first.command, first.response).sw).toBe("9000")
    }
  })
})
