/**
 * How long a byte-level card's work takes in simulated time (issue 12 item 3: "card work takes
 * simulated time"), from the bytes it really exchanged.
 *
 * Issuance runs over the air as the SE issuer's OTA platform sends it (ota-issuance.ts): each of
 * the order's OTA steps is one script through `planOtaDelivery` on the SE's bearer, and takes the
 * plan's bearer time plus the SE's own time on every command of the script (below).
 * - SE time per exchange: the bytes over the SE's interface, a command overhead, and a page
 *   program per NVM write. Figures are the twin's assumptions from the interfaces' published
 *   rates, not one chip's datasheet:
 *   NFC-SIM: ISO/IEC 7816-3 T=0 from the modem at 3.57 MHz with Fi/Di = 512/32 (ETSI TS 102 221
 *   §6.3 speed enhancement): 16 clocks per etu, 12 etu per character ≈ 54 µs/byte; 2 ms command
 *   overhead and 3 ms per EEPROM page write for a 2014 UICC.
 *   NFC-SD: SD bus in SPI mode at 25 MHz (≈ 1 µs/byte with the controller's framing); the SE
 *   inside is a smart-card controller: 1.5 ms overhead, 2.5 ms per write.
 *   eSE: SPI from the NFC controller at 1 MHz (≈ 10 µs/byte with framing); 1 ms overhead,
 *   2 ms per flash page.
 *
 * Taps at a terminal (card-present payments) take the contactless model of
 * model/host/card-story/recording-card.ts (ISO/IEC 14443 at 106 kbit/s), which the card clock
 * there already measures; `tapUs` returns that.
 */
import type { SeType } from "../../../population/population-params.ts"

export interface SeTiming {
  readonly interfaceUsPerByte: number
  readonly commandUs: number
  readonly nvmWriteUs: number
}

export const SE_TIMING: Readonly<Record<SeType, SeTiming>> = {
  "NFC-SIM": { interfaceUsPerByte: 54, commandUs: 2_000, nvmWriteUs: 3_000 },
  "NFC-SD": { interfaceUsPerByte: 1, commandUs: 1_500, nvmWriteUs: 2_500 },
  eSE: { interfaceUsPerByte: 10, commandUs: 1_000, nvmWriteUs: 2_000 },
}

/** The SE's own time for one exchange. */
export const seExchangeUs = (
  t: SeTiming,
  commandBytes: number,
  responseBytes: number,
  writes: number,
): number => (commandBytes + responseBytes) * t.interfaceUsPerByte + t.commandUs + writes * t.nvmWriteUs

/** A well-mixed 32-bit hash of three integers (no stream: the draw depends on nothing else). */
export const mix3 = (a: number, b: number, c: number): number => {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(c ^ 0x27d4eb2f, 0x165667b1)
  h = Math.imul(h ^ (h >>> 13), 0x297a2d39)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * How the two paths agree (issue 12 item 3): the background charges `apdusPerIssuance` round
 * trips of 150-800 ms (mean 475 ms) per issuance, whatever the SE. Fitted to the byte-level OTA
 * figures of `npm run bench:issuance` (seed 11, the 04 pilot-plan population): the mean time of a
 * byte-level issuance over the bearer mix of the population's adopters (NFC-SIM 60 % — China
 * Mobile and Unicom over BIP, Telecom over SMS-PP —, NFC-SD 10 % and eSE 30 % over HTTP admin) is
 * ≈ 9.0 s, i.e. 19 mean round trips (it was 24 when every APDU cost a round trip); a test holds
 * the two means within 5 % (test/model/world/pilot/byte-level/card-time.test.ts).
 */
export const BACKGROUND_APDUS_PER_ISSUANCE = 19
