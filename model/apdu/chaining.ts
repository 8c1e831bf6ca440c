/**
 * The two transport-level dialogues of ISO/IEC 7816-4 that a host runs around one logical
 * command: command chaining (§5.1.1.1, CLA bit 0x10 "more commands follow") to send a data field
 * larger than one APDU carries, and the response side: 61xx (GET RESPONSE, ISO 7816-4 §7.6.1) and
 * 6Cxx (re-send with the exact Le). Both loops are bounded (STYLE.md "limits").
 */
import { concat } from "../bytes/bytes.ts"
import { err, ok, type Result } from "../bytes/result.ts"
import {
  type ApduError,
  apduError,
  type CommandApdu,
  command,
  DATA_BYTES_MAX,
  encodeCommand,
} from "./command.ts"
import { decodeResponse, type ResponseApdu } from "./response.ts"
import { isMoreData, isWrongLe, swAvailableLength } from "./status-words.ts"

/** ISO 7816-4 §5.1.1.1: bit 5 of an interindustry CLA marks "not the last command of a chain". */
export const CLA_CHAINING_BIT = 0x10

/** ISO 7816-4 §7.6.1: GET RESPONSE is INS C0 with P1-P2 0000. */
export const INS_GET_RESPONSE = 0xc0

/**
 * Splits a command whose data exceeds `maxData` into a chain: every part but the last carries
 * CLA | 0x10 and no Le; the last part keeps the original CLA and Le. A command that fits is
 * returned alone, unchanged.
 */
export const chainCommand = (c: CommandApdu, maxData = 255): CommandApdu[] => {
  if (!Number.isInteger(maxData) || maxData < 1 || maxData > DATA_BYTES_MAX) {
    throw new RangeError(`maxData ${maxData} outside 1..${DATA_BYTES_MAX}`)
  }
  if ((c.cla & CLA_CHAINING_BIT) !== 0) throw new RangeError("the command is already part of a chain")
  if (c.data.length <= maxData) return [c]
  const parts: CommandApdu[] = []
  for (let start = 0; start < c.data.length; start += maxData) {
    const chunk = c.data.subarray(start, Math.min(start + maxData, c.data.length))
    const last = start + maxData >= c.data.length
    parts.push(
      last
        ? command(c.cla, c.ins, c.p1, c.p2, chunk, c.le)
        : command(c.cla | CLA_CHAINING_BIT, c.ins, c.p1, c.p2, chunk, null),
    )
  }
  return parts
}

/** Bounds on the response dialogue; a card that keeps answering 61xx or 6Cxx is cut off. */
export interface TransmitLimits {
  /** GET RESPONSE commands sent for one logical command. */
  readonly getResponseRoundsMax: number
  /** Re-sends after a 6Cxx for one logical command. */
  readonly wrongLeRoundsMax: number
}

/**
 * 16 rounds fetch 4 KiB through short GET RESPONSEs, more than any GP or EMV response the twin
 * produces; a correct card answers 6Cxx at most once per command, so two re-sends suffice.
 */
export const TRANSMIT_LIMITS_DEFAULT: TransmitLimits = { getResponseRoundsMax: 16, wrongLeRoundsMax: 2 }

/**
 * GET RESPONSE goes on the channel of the command it completes (ISO 7816-4 §5.4.1): CLA 0x00-0x3F
 * (and proprietary 0x80-0xFF, which GP codes the same way) keep the channel in b1-b2; the further
 * interindustry class 0x40-0x7F keeps channels 4-19 in b1-b4.
 */
const getResponseCla = (cla: number): number => ((cla & 0xc0) === 0x40 ? 0x40 | (cla & 0x0f) : cla & 0x03)

const limitsOf = (limit: number | TransmitLimits): TransmitLimits =>
  typeof limit === "number" ? { getResponseRoundsMax: limit, wrongLeRoundsMax: limit } : limit

/**
 * Sends `c` and follows the card's 61xx/6Cxx answers until it gives a final status: on 61xx it
 * sends GET RESPONSE (00 C0 00 00 xx, on the command's logical channel: CLA bits b1-b2 kept) and
 * concatenates the data; on 6Cxx it re-sends the command in flight with Le = xx. The result carries
 * all data and the last SW. Exceeding a bound, or a response under two bytes, is an ApduError
 * whose offset is the count of response data bytes gathered so far.
 */
export const transmitWithResponses = (
  transmit: (bytes: Uint8Array) => Uint8Array,
  c: CommandApdu,
  limit: number | TransmitLimits = TRANSMIT_LIMITS_DEFAULT,
): Result<ResponseApdu, ApduError> => {
  const { getResponseRoundsMax, wrongLeRoundsMax } = limitsOf(limit)
  const gathered: Uint8Array[] = []
  let gatheredBytes = 0
  let inFlight = c
  let getResponseRounds = 0
  let wrongLeRounds = 0
  // Each pass sends one command; both counters are bounded, so the loop is too.
  for (;;) {
    const decoded = decodeResponse(transmit(encodeCommand(inFlight)))
    if (!decoded.ok) return err({ ...decoded.error, offset: gatheredBytes })
    const { data, sw } = decoded.value
    const length = swAvailableLength(sw)
    if (isWrongLe(sw) && length !== undefined) {
      if (++wrongLeRounds > wrongLeRoundsMax) {
        return err(
          apduError("wrong-le-rounds-exceeded", gatheredBytes, `more than ${wrongLeRoundsMax} 6Cxx re-sends`),
        )
      }
      inFlight = { ...inFlight, le: length }
      continue
    }
    gathered.push(data)
    gatheredBytes += data.length
    if (isMoreData(sw) && length !== undefined) {
      if (++getResponseRounds > getResponseRoundsMax) {
        return err(
          apduError(
            "get-response-rounds-exceeded",
            gatheredBytes,
            `more than ${getResponseRoundsMax} GET RESPONSEs`,
          ),
        )
      }
      inFlight = command(getResponseCla(c.cla), INS_GET_RESPONSE, 0x00, 0x00, new Uint8Array(0), length)
      continue
    }
    return ok({ data: concat(...gathered), sw })
  }
}
