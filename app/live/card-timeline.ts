/**
 * When each part of a traced byte-level issuance happened in simulated time, by the OTA model the
 * run itself charged (model/world/pilot/byte-level/ota-issuance.ts, issuance/pilot-se-issuers.ts):
 * each of the order's OTA steps (create-ssd: the ISD's script, personalize: the SSD's) takes its
 * plan's bearer time × the latency factor in force, plus the SE's own time on every command of
 * the script (card-time.ts `seExchangeUs`: bytes over its interface, command overhead, a page
 * program per NVM write). The run keeps no per-command times, so they are rebuilt here,
 * read-only, from what the trace has:
 * - the bytes of each exchange (the story's recorded exchanges), and which step's script it is in;
 * - the NVM writes of each exchange, from the story's recording card (model/host/card-story/
 *   recording-card.ts), whose clock advances by exactly `exchangeDurationUs(c, r, writes)` plus a
 *   turnaround per exchange: the gap to the next exchange (to the card's clock for the last one)
 *   gives `writes` back;
 * - the SE's profile (story.context.profile.name), which picks its timing;
 * - each step's plan bearer time (`CardWork.ota`) and the latency factor its job ran under.
 * A GET RESPONSE is the T=0 link's chunking, not a command of a remote script: its answer joins
 * the command before it (as ota-issuance.ts `OtaScripts` builds the script) and it takes no time.
 * A session's `totalUs` must equal the time the run charged that step; the tests hold it.
 */
import type { ApduExchange } from "../../model/apdu/pcap-file.ts"
import { CARD_LATENCY, exchangeDurationUs } from "../../model/host/card-story/recording-card.ts"
import type { SeType } from "../../model/population/population-params.ts"
import { SE_TIMING, seExchangeUs } from "../../model/world/pilot/byte-level/card-time.ts"
import type { IssuanceOtaStep } from "../../model/world/pilot/byte-level/ota-issuance.ts"

/** What the trace knows of one step's OTA job: its plan's bearer time and the factor it ran under. */
export interface SessionInput {
  readonly step: IssuanceOtaStep
  /** The plan's bearer time at nominal speed (`OtaStepTime.bearerUs`), µs. */
  readonly planBearerUs: number
  readonly latencyPermille: number
}

export interface ExchangeTime {
  /** The exchange's index in the story. */
  readonly index: number
  /** From the start of its OTA session, µs. */
  readonly offsetUs: number
  readonly durationUs: number
}

export interface SessionTimeline {
  readonly step: IssuanceOtaStep
  /** The bearer's part as charged (the delivery of the script comes first), µs. */
  readonly bearerUs: number
  /** The SE's part: its commands' times together, µs. */
  readonly seUs: number
  readonly totalUs: number
  readonly exchanges: ReadonlyArray<ExchangeTime>
}

/** The NVM writes an exchange caused, from the recording card's clock gap after it. */
const writesOf = (e: ApduExchange, gapUs: number): number =>
  Math.max(
    0,
    Math.round(
      (gapUs - CARD_LATENCY.turnaroundUs - exchangeDurationUs(e.command.length, e.response.length, 0)) /
        CARD_LATENCY.nvmWriteUs,
    ),
  )

/** GET RESPONSE (ISO/IEC 7816-4 §7.6.1). */
const isGetResponse = (c: Uint8Array): boolean => c[0] === 0x00 && c[1] === 0xc0

/** The SE's time of each exchange of one step, a GET RESPONSE's answer joined to its command. */
const seTimes = (
  exchanges: ReadonlyArray<ApduExchange>,
  indices: ReadonlyArray<number>,
  cardClockEndUs: number,
  se: SeType,
): number[] => {
  const timing = SE_TIMING[se]
  const times: number[] = []
  let command = -1
  let responseBytes = 0
  let writes = 0
  indices.forEach((index, k) => {
    const e = exchanges[index]!
    if (isGetResponse(e.command)) {
      if (command >= 0) {
        responseBytes += e.response.length - 2
        const c = exchanges[indices[command]!]!.command.length
        times[command] = seExchangeUs(timing, c, responseBytes, writes)
      }
      times.push(0)
      return
    }
    const gap = (exchanges[index + 1]?.atUs ?? cardClockEndUs) - e.atUs
    command = k
    responseBytes = e.response.length
    writes = writesOf(e, gap)
    times.push(seExchangeUs(timing, e.command.length, responseBytes, writes))
  })
  return times
}

/**
 * Each step's session: the bearer's part first, then each exchange of the step's script with the
 * SE's time, back to back. `stepOf[i]` is the OTA step exchange i belongs to.
 */
export const cardTimeline = (
  exchanges: ReadonlyArray<ApduExchange>,
  stepOf: ReadonlyArray<IssuanceOtaStep | null>,
  cardClockEndUs: number,
  se: SeType,
  sessions: ReadonlyArray<SessionInput>,
): SessionTimeline[] =>
  sessions.map((s) => {
    const indices = exchanges.flatMap((_, i) => (stepOf[i] === s.step ? [i] : []))
    const times = seTimes(exchanges, indices, cardClockEndUs, se)
    const bearerUs = Math.round((s.planBearerUs * s.latencyPermille) / 1000)
    let offsetUs = bearerUs
    const out = indices.map((index, k) => {
      const time = { index, offsetUs, durationUs: times[k]! }
      offsetUs += time.durationUs
      return time
    })
    return { step: s.step, bearerUs, seUs: offsetUs - bearerUs, totalUs: offsetUs, exchanges: out }
  })
