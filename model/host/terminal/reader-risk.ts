/**
 * The qPBOC reader's own risk management (EMV Contactless Book A §5 reader limits, Book 3 §10.6
 * terminal risk management, as the VCPS-derived qPBOC kernels apply them):
 * - reader contactless transaction limit: at or above it the transaction is not done contactless
 *   (the reader refuses before GPO and asks for another interface);
 * - reader floor limit: above it the reader demands an online cryptogram (TTQ byte 2 b8) and
 *   sets TVR "transaction exceeds floor limit";
 * - terminal exception file (hot list, by PAN): TVR "card on exception file"; an offline approval
 *   is turned into a decline, an ARQC goes online with the bit set.
 * - velocity checking (Book 3 §10.6.3), when the reader is configured for it: before GPO it reads
 *   the card's LCOL 9F14, UCOL 9F23, ATC 9F36 and last online ATC 9F13 by GET DATA (qPBOC gives
 *   no records before GPO); ATC − 9F13 above LCOL sets TVR "lower consecutive offline limit
 *   exceeded" and, at a reader that can go online, demands an online cryptogram; above UCOL sets
 *   "upper … exceeded" and demands one anyway (an offline-only reader then gets an AAC); 9F13 = 0
 *   sets "new card". A card without LCOL/UCOL answers 6A88 and is not checked.
 */
import { SW } from "../../apdu/status-words.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Card } from "../../card/card.ts"
import { findTag } from "../../tlv/ber-tlv.ts"
import { exchange, getDataCommand, responseTlvs } from "./card-dialogue.ts"
import type { KernelChecks } from "./kernel-checks.ts"
import { TSI, TVR } from "./kernel-checks.ts"
import type { TerminalTransaction } from "./terminal-data.ts"

export interface ReaderRisk {
  readonly contactlessTransactionLimitFen: number
  readonly floorLimitFen: number
  /** PANs (digits) on the terminal exception file. */
  readonly exceptionFile: ReadonlySet<string>
  /** Read LCOL/UCOL and the counters by GET DATA before GPO (default false: no extra commands). */
  readonly checkVelocity?: boolean
}

export interface VelocityReading {
  /** ATC − last online ATC: transactions since the last issuer-authenticated online one. */
  readonly sinceOnline: number
  readonly lcol: number
  readonly ucol: number
  readonly newCard: boolean
}

/** GET DATA of one tag of 1 or 2 bytes, or undefined when the card does not answer 9000 with it. */
const getNumber = (card: Card, tag: number): number | undefined => {
  const got = exchange(card, "get-data", getDataCommand(tag))
  if (!got.ok || got.response.sw !== SW.OK) return undefined
  const value = findTag(responseTlvs(got.response.data) ?? [], tag)?.value
  return value === undefined || value.length > 2 ? undefined : value.reduce((n, b) => (n << 8) | b, 0)
}

export const readVelocity = (card: Card): VelocityReading | undefined => {
  const lcol = getNumber(card, TAG.lcol)
  const ucol = lcol === undefined ? undefined : getNumber(card, TAG.ucol)
  const atc = ucol === undefined ? undefined : getNumber(card, TAG.atc)
  const lastOnline = atc === undefined ? undefined : getNumber(card, TAG.lastOnlineAtc)
  if (lcol === undefined || ucol === undefined || atc === undefined || lastOnline === undefined)
    return undefined
  return { sinceOnline: atc - lastOnline, lcol, ucol, newCard: lastOnline === 0 }
}

/** Before GPO: demands an online cryptogram past LCOL (when the reader can go online) or UCOL. */
export const applyVelocity = (
  velocity: VelocityReading,
  txn: TerminalTransaction,
  terminal: Map<number, Uint8Array>,
): void => {
  const ttq = terminal.get(TAG.ttq)
  const overUpper = velocity.sinceOnline > velocity.ucol
  const overLower = velocity.sinceOnline > velocity.lcol && txn.offlineOnly !== true
  if (ttq !== undefined && (overUpper || overLower)) ttq[1]! |= TTQ_ONLINE_REQUIRED
}

const TTQ_ONLINE_REQUIRED = 0x80

export const overContactlessLimit = (risk: ReaderRisk, txn: TerminalTransaction): boolean =>
  txn.path === "qpboc" && txn.amountFen >= risk.contactlessTransactionLimitFen

/** Before GPO: the floor limit decides whether the reader demands an online cryptogram. */
export const applyFloorLimit = (
  risk: ReaderRisk,
  txn: TerminalTransaction,
  terminal: Map<number, Uint8Array>,
): boolean => {
  const ttq = terminal.get(TAG.ttq)
  if (txn.amountFen <= risk.floorLimitFen || ttq === undefined) return false
  ttq[1]! |= TTQ_ONLINE_REQUIRED
  return true
}

/** After the records: sets the TVR bits; true when the PAN is on the exception file. */
export const recordRisk = (
  checks: KernelChecks,
  risk: ReaderRisk,
  pan: string,
  overFloor: boolean,
  velocity?: VelocityReading,
): boolean => {
  checks.performed(TSI.terminalRiskManagementPerformed)
  if (overFloor) checks.set(TVR.floorLimitExceeded)
  if (velocity !== undefined && velocity.sinceOnline > velocity.lcol)
    checks.set(TVR.lowerConsecutiveLimitExceeded)
  if (velocity !== undefined && velocity.sinceOnline > velocity.ucol)
    checks.set(TVR.upperConsecutiveLimitExceeded)
  if (velocity?.newCard === true) checks.set(TVR.newCard)
  const listed = risk.exceptionFile.has(pan)
  if (listed) checks.set(TVR.exceptionFile)
  return listed
}
