// Proves the traced byte-level issuances carry the time the run charged under the OTA model
// (issue #15 item 5 with #13's OTA issuance): each OTA step (create-ssd, personalize) is its
// script's delivery over the bearer — the plan's time × the latency factor in force — then every
// command with the SE's time, back to back, and each step's rows add up to exactly the time
// pilot-se-issuers.ts charged that step (recorded where it is charged, at `stepUs`), under a
// degradation too; and the rebuilding can fail: with another SE's timing, or another bearer time,
// the sum no longer matches.
import { resolve } from "node:path"
import { describe, expect, it, vi } from "vitest"
import { cardTimeline, type SessionInput } from "../../../app/live/card-timeline.ts"
import { startPilotRun } from "../../../app/live/pilot-run-session.ts"
import { CARD_PROFILES } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { runCardStory } from "../../../model/host/card-story/card-story.ts"
import { CARD_LATENCY, exchangeDurationUs } from "../../../model/host/card-story/recording-card.ts"
import { apduView } from "../../../model/signals/apdu-view.ts"
import {
  FLOW_STEP_SIGNAL,
  FLOW_SUMMARY_SIGNAL,
  type FlowStep,
  type FlowSummary,
} from "../../../model/signals/flow.ts"
import { SE_TIMING, seExchangeUs } from "../../../model/world/pilot/byte-level/card-time.ts"
import type * as otaIssuance from "../../../model/world/pilot/byte-level/ota-issuance.ts"
import {
  ISSUANCE_OTA_STEPS,
  type IssuanceOtaStep,
  OtaScripts,
  type OtaStepTime,
  otaKeysOf,
  planIssuanceOta,
  stepUs,
} from "../../../model/world/pilot/byte-level/ota-issuance.ts"
import { FAITHFUL_PARTIES } from "../../../model/world/pilot/pilot-party-layers.ts"
import { MemorySink } from "../../../sim/recorder/memory-sink.ts"

// Records every step time the run charges, as pilot-se-issuers.ts computes it (the real function
// runs; the record is the test's independent view of what the run charged).
const charged = vi.hoisted(
  () => [] as Array<{ seUs: number; bearerUs: number; permille: number; us: number }>,
)
vi.mock("../../../model/world/pilot/byte-level/ota-issuance.ts", async (original) => {
  const real = await original<typeof otaIssuance>()
  return {
    ...real,
    stepUs: (t: OtaStepTime, permille: number) => {
      const us = real.stepUs(t, permille)
      charged.push({ seUs: t.seUs, bearerUs: t.bearerUs, permille, us })
      return us
    },
  }
})

const PLAN = resolve(import.meta.dirname, "../../../scenarios/08-mtps-outage.json")

const payloads = <T>(sink: MemorySink, signal: string): T[] =>
  sink.records.filter((r) => r.signal === signal).map((r) => r.payload as T)

const DEGRADED = "telco-ota-degraded-30d"

describe("card time on traced issuances", () => {
  it("draws each OTA step as the run charged it, a degradation's factor included", async () => {
    const sink = new MemorySink()
    const run = startPilotRun({
      path: PLAN,
      seed: 3,
      scale: 0.002,
      untilDate: "2014-10-31",
      speed: null,
      crypto: nativeCrypto,
      parties: FAITHFUL_PARTIES,
      sinks: [sink],
      traceEveryUs: 3_600_000_000,
      injections: [{ atUs: 40 * 86_400_000_000, fault: DEGRADED }],
    })
    expect(run.faults.map((f) => f.id)).toContain(DEGRADED)
    await run.done
    const withCard = payloads<FlowSummary>(sink, FLOW_SUMMARY_SIGNAL).filter((f) => f.card !== undefined)
    expect(withCard.length).toBeGreaterThan(0)
    const steps = payloads<FlowStep>(sink, FLOW_STEP_SIGNAL)
    const factors = new Set<number>()
    for (const f of withCard) {
      const card = f.card!
      const rows = steps.filter((s) => s.flowId === f.key && s.durationUs !== undefined)
      expect(rows.filter((s) => s.apdu !== undefined)).toHaveLength(card.apdus)
      expect(card.apdus).toBeGreaterThan(20)
      let total = 0
      for (const session of card.sessions) {
        const mine = rows.filter(
          (s) => s.tUs >= session.startUs && s.tUs <= session.startUs + session.bearerUs + session.seUs,
        )
        // The delivery first, then the script's commands back to back.
        expect(mine[0]!.apdu).toBeUndefined()
        expect(mine[0]!.tUs).toBe(session.startUs)
        expect(mine[0]!.durationUs).toBe(session.bearerUs)
        let at = session.startUs
        let sum = 0
        for (const s of mine) {
          expect(s.tUs).toBe(at)
          at += s.durationUs!
          sum += s.durationUs!
        }
        // Exactly what the run charged this step: a charge of this SE time at this factor whose
        // bearer part is the delivery's (the bearer draw is per card and step, so it names the card).
        const charge = charged.find(
          (c) =>
            c.seUs === session.seUs &&
            c.permille === session.latencyPermille &&
            Math.round((c.bearerUs * c.permille) / 1000) === session.bearerUs,
        )
        expect(charge, `${f.key} ${session.step}`).toBeDefined()
        expect(sum).toBe(charge!.us)
        factors.add(session.latencyPermille)
        total += sum
      }
      if (f.ok) expect(card.sessions.map((s) => s.step)).toEqual(ISSUANCE_OTA_STEPS)
      expect(total).toBe(card.durationUs)
      expect(rows.reduce((n, s) => n + s.durationUs!, 0)).toBe(card.durationUs)
      // The sessions lie inside the flow, and the order's last message (register) comes after them.
      expect(card.startUs).toBeGreaterThanOrEqual(f.startUs)
      const last = card.sessions.at(-1)!
      expect(last.startUs + last.bearerUs + last.seUs).toBeLessThanOrEqual(f.endUs)
      const all = steps.filter((s) => s.flowId === f.key)
      expect(all.at(-1)!.apdu).toBeUndefined()
    }
    // Traced issuances ran both under the degradation (4× bearer) and after it.
    expect([...factors].sort()).toEqual([1000, 4000])
  }, 180_000)

  it("adds up to the step time the model charges, and fails with the wrong SE or bearer time", () => {
    for (const se of ["NFC-SIM", "NFC-SD", "eSE"] as const) {
      const scripts = new OtaScripts(SE_TIMING[se])
      const story = runCardStory({
        seed: 11,
        crypto: nativeCrypto,
        profile: CARD_PROFILES[se],
        until: "personalize",
        record: true,
        onStep: scripts.onStep,
        observe: (c, r, writes) => scripts.exchange(c, r, writes),
      })
      expect(story.ok).toBe(true)
      const planned = planIssuanceOta(
        nativeCrypto,
        {
          seType: se,
          telco: "ctcc",
          scp: CARD_PROFILES[se].scp,
          timing: SE_TIMING[se],
          scripts: scripts.scripts,
          keys: otaKeysOf(nativeCrypto, "seed-11", 7, 0),
          draw: [11, 7, 0],
        },
        () => {},
      )
      if (!planned.ok) throw new Error(planned.error)
      const ota = planned.value
      const stepOf = story.exchanges.map((): IssuanceOtaStep | null => null)
      for (const s of story.steps)
        for (let i = 0; i < s.exchangeCount; i++)
          stepOf[s.firstExchange + i] = s.step.actor === "ISD" ? "create-ssd" : "personalize"
      const inputs = (permille: number, extraBearerUs = 0): SessionInput[] =>
        ISSUANCE_OTA_STEPS.map((step) => ({
          step,
          planBearerUs: ota.steps[step].bearerUs + extraBearerUs,
          latencyPermille: permille,
        }))
      const clockEnd = story.context.card.nowUs()
      for (const permille of [1000, 2500]) {
        const line = cardTimeline(story.exchanges, stepOf, clockEnd, se, inputs(permille))
        expect(line.map((s) => s.totalUs)).toEqual(
          ISSUANCE_OTA_STEPS.map((s) => stepUs(ota.steps[s], permille)),
        )
        expect(line.map((s) => s.seUs)).toEqual(ISSUANCE_OTA_STEPS.map((s) => ota.steps[s].seUs))
        // Every exchange is in one session, each session's rows back to back after the delivery.
        expect(line.reduce((n, s) => n + s.exchanges.length, 0)).toBe(story.exchanges.length)
        for (const s of line) {
          let at = s.bearerUs
          for (const x of s.exchanges) {
            expect(x.offsetUs).toBe(at)
            at += x.durationUs
          }
          expect(at).toBe(s.totalUs)
        }
      }
      // A planted wrong SE type, or a wrong bearer time, breaks the sum.
      const other = se === "eSE" ? "NFC-SIM" : "eSE"
      const wrongSe = cardTimeline(story.exchanges, stepOf, clockEnd, other, inputs(1000))
      const wrongBearer = cardTimeline(story.exchanges, stepOf, clockEnd, se, inputs(1000, 1))
      ISSUANCE_OTA_STEPS.forEach((step, k) => {
        expect(wrongSe[k]!.totalUs).not.toBe(stepUs(ota.steps[step], 1000))
        expect(wrongBearer[k]!.totalUs).not.toBe(stepUs(ota.steps[step], 1000))
      })
      // The inspector's view of the first exchange decodes (the rows are real APDUs).
      const first = story.exchanges[0]!
      expect(apduView(first.command, first.response).sw).toBe("9000")
    }
  })
  it("joins a GET RESPONSE's answer to its command, as the OTA script does", () => {
    // A T=0 answer in two parts (ISO/IEC 7816-4 §7.6.1): 61 10, then GET RESPONSE for 16 bytes;
    // the whole answer is its 16 bytes and the final status word.
    const timing = SE_TIMING["NFC-SIM"]
    const scripts = new OtaScripts(timing)
    scripts.onStep({ actor: "SSD" })
    const parts: Array<[Uint8Array, Uint8Array, number]> = [
      [new Uint8Array(13), Uint8Array.of(0x61, 0x10), 1],
      [Uint8Array.of(0x00, 0xc0, 0x00, 0x00, 0x10), new Uint8Array(18), 0],
      [new Uint8Array(40), Uint8Array.of(0x90, 0x00), 2],
    ]
    let atUs = 0
    const exchanges = parts.map(([command, response, writes]) => {
      scripts.exchange(command, response, writes)
      const e = { atUs, command, response }
      atUs += CARD_LATENCY.turnaroundUs + exchangeDurationUs(command.length, response.length, writes)
      return e
    })
    const line = cardTimeline(exchanges, ["personalize", "personalize", "personalize"], atUs, "NFC-SIM", [
      { step: "personalize", planBearerUs: 1_000_000, latencyPermille: 1000 },
    ])
    const script = scripts.scripts.personalize
    expect(script).toHaveLength(2)
    expect(line[0]!.exchanges.map((x) => x.durationUs)).toEqual([
      seExchangeUs(timing, 13, 18, 1),
      0,
      seExchangeUs(timing, 40, 2, 2),
    ])
    expect(line[0]!.seUs).toBe(
      script.reduce((n, c) => n + seExchangeUs(timing, c.command.length, c.responseBytes, c.writes), 0),
    )
  })
})
