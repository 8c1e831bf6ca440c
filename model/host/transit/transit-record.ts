/**
 * One fare a transit reader collected offline, as it journals it for the day's batch upload: the
 * reader and route, a sequence number, and the card's TC with the data its issuer recomputes it
 * from (PAN, PSN, the Book 2 Table 26 terminal data, AIP, ATC, IAD; tc-verifier.ts). Kept as hex
 * strings and numbers so that the batch file (transit-batch.ts) carries it without a codec of its
 * own per field.
 */
import { hex, toHex } from "../../bytes/hex.ts"
import {
  TABLE26_TERMINAL_DATA,
  type TerminalData,
  table26Data,
} from "../../card/applets/pboc/cryptogram-input.ts"
import type { OnlineRequest } from "../terminal/online-authorizer.ts"

export interface TransitRecord {
  readonly readerId: string
  readonly seq: number
  readonly routeId: string
  readonly pan: string
  /** Two digits, "" when the card has no PSN. */
  readonly psn: string
  readonly atc: number
  readonly amountFen: number
  /** AIP 82, IAD 9F10 and the TC 9F26, hex. */
  readonly aipHex: string
  readonly iadHex: string
  readonly tcHex: string
  /** The Table 26 terminal data (9F02 … 9F37, 29 bytes) the TC was computed over, hex. */
  readonly terminalHex: string
}

export const transitRecordOf = (
  readerId: string,
  seq: number,
  routeId: string,
  amountFen: number,
  tcData: OnlineRequest,
): TransitRecord => ({
  readerId,
  seq,
  routeId,
  pan: tcData.pan,
  psn: tcData.psn ?? "",
  atc: tcData.atc,
  amountFen,
  aipHex: toHex(tcData.aip),
  iadHex: toHex(tcData.iad),
  tcHex: toHex(tcData.arqc),
  terminalHex: toHex(table26Data(tcData.terminal)),
})

/** The journal key: a card's ATC never repeats, so (PAN, ATC) names one fare exactly. */
export const transitRecordId = (r: TransitRecord): string => `${r.pan}-${r.atc}`

/** What the card's issuer recomputes a fare's TC from (the shape of tc-verifier.ts's evidence). */
export interface FareEvidence {
  readonly id: string
  readonly pan: string
  readonly psn: string | null
  readonly amountFen: number
  readonly terminal: TerminalData
  readonly aip: Uint8Array
  readonly atc: number
  readonly iad: Uint8Array
  readonly tc: Uint8Array
}

/** The TC evidence of one fare: the Table 26 terminal data split back into its tags. */
export const evidenceOf = (r: TransitRecord): FareEvidence => {
  const bytes = hex(r.terminalHex)
  const terminal = new Map<number, Uint8Array>()
  let at = 0
  for (const { tag, length } of TABLE26_TERMINAL_DATA) {
    terminal.set(tag, bytes.slice(at, at + length))
    at += length
  }
  return {
    id: transitRecordId(r),
    pan: r.pan,
    psn: r.psn === "" ? null : r.psn,
    amountFen: r.amountFen,
    terminal,
    aip: hex(r.aipHex),
    atc: r.atc,
    iad: hex(r.iadHex),
    tc: hex(r.tcHex),
  }
}
