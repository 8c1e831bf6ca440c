/**
 * When each APDU of a traced byte-level issuance happened in simulated time, by the card-time
 * model the run itself charged (model/world/pilot/byte-level/card-time.ts, issue 12 item 3): per
 * exchange one bearer round trip plus the SE's own time for the bytes both ways, its command
 * overhead and a page program per NVM write. The run keeps no per-exchange times, so they are
 * rebuilt here, read-only, from what the trace has:
 * - the bytes of each exchange (the story's recorded exchanges);
 * - the NVM writes of each exchange, from the story's recording card (model/host/card-story/
 *   recording-card.ts), whose clock advances by exactly `exchangeDurationUs(c, r, writes)` plus a
 *   turnaround per exchange: the gap to the next exchange (to the card's clock for the last one)
 *   gives `writes` back;
 * - the SE's profile (story.context.profile.name), which picks its timing;
 * - the issuance's round trip and total card time, as the run's byte-level tally added them.
 * `exact` says whether the per-exchange times add up to the card time the run charged; the
 * tracer's test holds it true, so a change of the card-time model shows up there.
 */
import type { ApduExchange } from "../../model/apdu/pcap-file.ts"
import { CARD_LATENCY, exchangeDurationUs } from "../../model/host/card-story/recording-card.ts"
import type { SeType } from "../../model/population/population-params.ts"
import { SE_TIMING, seExchangeUs } from "../../model/world/pilot/byte-level/card-time.ts"

export interface ExchangeTime {
  /** From the start of the OTA session, µs. */
  readonly offsetUs: number
  readonly durationUs: number
}

export interface CardTimeline {
  readonly exchanges: ReadonlyArray<ExchangeTime>
  readonly totalUs: number
  /** The per-exchange times add up to the card time the run charged. */
  readonly exact: boolean
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

export const cardTimeline = (
  exchanges: ReadonlyArray<ApduExchange>,
  cardClockEndUs: number,
  se: SeType,
  roundTripUs: number,
  chargedUs: number,
): CardTimeline => {
  const timing = SE_TIMING[se]
  let offsetUs = 0
  const out = exchanges.map((e, i) => {
    const gap = (exchanges[i + 1]?.atUs ?? cardClockEndUs) - e.atUs
    const writes = writesOf(e, gap)
    const durationUs = roundTripUs + seExchangeUs(timing, e.command.length, e.response.length, writes)
    const time = { offsetUs, durationUs }
    offsetUs += durationUs
    return time
  })
  return { exchanges: out, totalUs: offsetUs, exact: offsetUs === chargedUs }
}
