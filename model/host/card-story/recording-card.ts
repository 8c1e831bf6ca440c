/**
 * A card wrapped so that every exchange is recorded as an `ApduExchange` at a simulated instant,
 * for APDU traces (model/apdu/pcap-file.ts). The clock is a card-model latency, never wall time,
 * so a trace is a pure function of the story's seed (DESIGN.md §4).
 *
 * The latency model, per exchange:
 * - transfer: every command and response byte at ISO/IEC 14443 type A's 106 kbit/s, 9 bits a byte
 *   with parity, 1 etu = 128 / 13.56 MHz ≈ 9.44 µs, so 85 µs a byte, plus 3 framing bytes (PCB
 *   and CRC_A) each way (ISO/IEC 14443-4 §7.1);
 * - card processing: a fixed 1,000 µs for decoding, dispatch and crypto on a 2014-era SE CPU,
 *   plus 2,500 µs for each NVM write the command caused (an EEPROM page program takes 2-4 ms);
 * - a 500 µs turnaround before the next command (reader or host processing, frame delay time).
 * The figures are representative, not one chip's datasheet; they only need to order and space
 * the trace plausibly.
 */
import type { ApduExchange } from "../../apdu/pcap-file.ts"
import type { SimulatedCard } from "../../card/card.ts"

export const CARD_LATENCY = {
  transferUsPerByte: 85,
  framingBytesPerDirection: 3,
  processingUs: 1_000,
  nvmWriteUs: 2_500,
  turnaroundUs: 500,
} as const

/** 2015-08-01 00:00:00 UTC: the story happens during the pilot's first phase. */
export const STORY_EPOCH_US = 1_438_387_200_000_000

/**
 * Sees each exchange as it crosses (command, response, NVM writes it caused), for callers that
 * fold the bytes into a digest or time them; it must not change them.
 */
export type ExchangeObserver = (command: Uint8Array, response: Uint8Array, nvmWrites: number) => void

export interface RecordingCard extends SimulatedCard {
  /** The exchanges so far (the recorder's own array: copy it before changing it). */
  readonly exchanges: () => ReadonlyArray<ApduExchange>
  /** Every exchange so far, recorded or not (headless runs count APDUs without keeping them). */
  readonly exchangeTotal: () => number
  /** The simulated instant at which the next command would start. */
  readonly nowUs: () => number
}

export const exchangeDurationUs = (commandBytes: number, responseBytes: number, writes: number): number =>
  (commandBytes + responseBytes + 2 * CARD_LATENCY.framingBytesPerDirection) *
    CARD_LATENCY.transferUsPerByte +
  CARD_LATENCY.processingUs +
  writes * CARD_LATENCY.nvmWriteUs

/**
 * Wraps `card`; with `record` false the exchanges are not kept (benchmarks), but the clock still
 * runs so the story behaves the same.
 */
export const recordingCard = (
  card: SimulatedCard,
  startUs = STORY_EPOCH_US,
  record = true,
  observe: ExchangeObserver | null = null,
): RecordingCard => {
  const exchanges: ApduExchange[] = []
  let nowUs = startUs
  let total = 0
  const transmit = (command: Uint8Array): Uint8Array => {
    const writesBefore = card.writeCount()
    const response = card.transmit(command)
    const atUs = nowUs
    const writes = card.writeCount() - writesBefore
    total++
    nowUs += exchangeDurationUs(command.length, response.length, writes) + CARD_LATENCY.turnaroundUs
    observe?.(command, response, writes)
    if (record) exchanges.push({ atUs, command: command.slice(), response: response.slice() })
    return response
  }
  return {
    reset: card.reset,
    transmit,
    image: card.image,
    tearAfterWrite: card.tearAfterWrite,
    writeCount: card.writeCount,
    exchanges: () => exchanges,
    exchangeTotal: () => total,
    nowUs: () => nowUs,
  }
}
