/**
 * The terminal's byte-level exchanges with a card (EMV 4.3 Book 1 §11-12, Book 3 §6.5): each
 * function builds one command, sends it through `Card.transmit` (following 61xx / 6Cxx), and
 * decodes the response it expects. A card that answers garbage gets a typed failure, never an
 * exception.
 */
import { transmitWithResponses } from "../../apdu/chaining.ts"
import { type CommandApdu, command } from "../../apdu/command.ts"
import type { ResponseApdu } from "../../apdu/response.ts"
import { concat, equals } from "../../bytes/bytes.ts"
import { PPSE_NAME, TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Card } from "../../card/card.ts"
import { decodeTlv, findTag, type Tlv } from "../../tlv/ber-tlv.ts"
import type { KernelStep } from "./terminal-outcome.ts"

export interface DialogueFailure {
  readonly step: KernelStep
  readonly sw: number
  readonly message: string
}

export type Exchange =
  | { readonly ok: true; readonly response: ResponseApdu }
  | { readonly ok: false; readonly failure: DialogueFailure }

/** Sends one command; a malformed response is reported with SW 0000 and the decoder's message. */
export const exchange = (card: Card, step: KernelStep, c: CommandApdu): Exchange => {
  const result = transmitWithResponses(card.transmit, c)
  if (!result.ok) return { ok: false, failure: { step, sw: 0, message: result.error.message } }
  return { ok: true, response: result.value }
}

/** Decodes response data as TLVs; undefined when the card sent something that is not BER-TLV. */
export const responseTlvs = (data: Uint8Array): ReadonlyArray<Tlv> | undefined => {
  const decoded = decodeTlv(data)
  return decoded.ok ? decoded.value : undefined
}

export const selectCommand = (name: Uint8Array): CommandApdu => command(0x00, 0xa4, 0x04, 0x00, name, 256)

/**
 * The AID of the highest-priority application in the PPSE FCI that the terminal supports
 * (Book B §3.3: 61 templates in BF0C; a lower 87 value is a higher priority; no 87 ranks last;
 * Book 1 §12.3.2: only entries whose AID the terminal supports join the candidate list — a
 * transit reader that knows only the transit AID passes over a higher-priority bank application),
 * or undefined. Without a list the terminal supports every entry.
 */
export const chooseApplication = (
  fci: ReadonlyArray<Tlv>,
  supported?: ReadonlyArray<Uint8Array>,
): Uint8Array | undefined => {
  const discretionary = findTag(fci, TAG.fciDiscretionary)
  let best: { aid: Uint8Array; priority: number } | undefined
  for (const entry of discretionary?.children ?? []) {
    if (entry.tag !== TAG.appTemplate || entry.children === undefined) continue
    const aid = findTag(entry.children, TAG.aid)?.value
    if (aid !== undefined && supported !== undefined && !supported.some((s) => equals(s, aid))) continue
    const priority = (findTag(entry.children, TAG.priority)?.value[0] ?? 0x10) & 0x0f || 0x10
    if (aid !== undefined && (best === undefined || priority < best.priority)) best = { aid, priority }
  }
  return best?.aid
}

export const ppseCommand = (): CommandApdu => selectCommand(PPSE_NAME)

export const gpoCommand = (pdolData: Uint8Array): CommandApdu =>
  command(0x80, 0xa8, 0x00, 0x00, concat(new Uint8Array([0x83, pdolData.length]), pdolData), 256)

export const readRecordCommand = (sfi: number, record: number): CommandApdu =>
  command(0x00, 0xb2, record, (sfi << 3) | 0x04, new Uint8Array(0), 256)

export const generateAcCommand = (p1: number, dolData: Uint8Array): CommandApdu =>
  command(0x80, 0xae, p1, 0x00, dolData, 256)

export const externalAuthenticateCommand = (issuerAuthenticationData: Uint8Array): CommandApdu =>
  command(0x00, 0x82, 0x00, 0x00, issuerAuthenticationData)

/** INTERNAL AUTHENTICATE with the DDOL data (Book 3 §6.5.9). */
export const internalAuthenticateCommand = (ddolData: Uint8Array): CommandApdu =>
  command(0x00, 0x88, 0x00, 0x00, ddolData, 256)

export const getDataCommand = (tag: number): CommandApdu =>
  command(0x80, 0xca, tag >> 8, tag & 0xff, new Uint8Array(0), 256)

/** (SFI, record) pairs an AFL names (Book 3 §10.2: 4-byte entries SFI<<3, first, last, ODA count). */
export const aflRecords = (afl: Uint8Array): Array<readonly [number, number, boolean]> => {
  const out: Array<readonly [number, number, boolean]> = []
  for (let at = 0; at + 4 <= afl.length; at += 4) {
    const sfi = afl[at]! >> 3
    const first = afl[at + 1]!
    // Byte 4: how many records from the first one take part in offline data authentication.
    for (let r = first; r <= afl[at + 2]! && r >= 1; r++) out.push([sfi, r, r - first < afl[at + 3]!])
  }
  return out
}
