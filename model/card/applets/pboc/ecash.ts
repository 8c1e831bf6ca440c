/**
 * The card's electronic-cash (电子现金) rules for an offline qPBOC purchase (JR/T 0025 parts 13
 * and 14 as PROTOCOLS.md §2.2 records them, not re-verified against the standard text).
 *
 * The card approves offline only when every condition holds; otherwise it asks to go online
 * (ARQC), or declines (AAC) if the reader cannot go online:
 * - the reader supports e-cash (9F7A = 01) and does not demand an online cryptogram (TTQ byte 2 b8);
 * - the transaction is a purchase (9C = 00) in CNY (5F2A = 0156) with no other amount (9F03 = 0);
 * - amount ≤ single-transaction limit 9F78 and amount ≤ balance 9F79;
 * - fewer consecutive offline transactions than UCOL since the last online one (pboc-velocity.ts);
 * - the balance left is at least the reset threshold 9F6D. The twin reads 9F6D as the point below
 *   which the card sends the cardholder online so the issuer can reload it; with 9F6D = 0 every
 *   purchase that fits the balance is offline.
 */
import { equals } from "../../../bytes/bytes.ts"
import { decodeN12 } from "./n12-amount.ts"
import { CNY, TAG, TTQ_ONLINE_REQUIRED } from "./pboc-constants.ts"
import { AMOUNT_BYTES, field, IMAGE } from "./pboc-image.ts"
import { velocityExceeded } from "./pboc-velocity.ts"

export type EcashDecision =
  | { readonly kind: "offline"; readonly amountFen: number; readonly balanceAfterFen: number }
  | { readonly kind: "online"; readonly velocityExceeded?: boolean }

const n12At = (image: Uint8Array, offset: number): number => {
  const decoded = decodeN12(field(image, offset, AMOUNT_BYTES))
  if (!decoded.ok) throw new Error(`PBOC image holds a non-BCD amount at ${offset}`)
  return decoded.value
}

export const balanceFen = (image: Uint8Array): number => n12At(image, IMAGE.balance)
export const balanceLimitFen = (image: Uint8Array): number => n12At(image, IMAGE.balanceLimit)
export const singleLimitFen = (image: Uint8Array): number => n12At(image, IMAGE.singleLimit)
export const resetThresholdFen = (image: Uint8Array): number => n12At(image, IMAGE.resetThreshold)

const amountOf = (terminal: ReadonlyMap<number, Uint8Array>, tag: number): number | undefined => {
  const value = terminal.get(tag)
  if (value === undefined) return undefined
  const decoded = decodeN12(value)
  return decoded.ok ? decoded.value : undefined
}

/** Decides the qPBOC e-cash outcome from the PDOL data; pure, it changes nothing. */
export const decideEcash = (image: Uint8Array, terminal: ReadonlyMap<number, Uint8Array>): EcashDecision => {
  const ttq = terminal.get(TAG.ttq)
  const amountFen = amountOf(terminal, TAG.amount)
  const other = amountOf(terminal, TAG.amountOther) ?? 0
  const supportsEcash = terminal.get(TAG.ecashTerminalSupport)?.[0] === 0x01
  const onlineDemanded = ttq !== undefined && ttq.length >= 2 && (ttq[1]! & TTQ_ONLINE_REQUIRED) !== 0
  const currency = terminal.get(TAG.currency)
  const purchase = (terminal.get(TAG.type)?.[0] ?? 0) === 0x00
  if (!supportsEcash || onlineDemanded || amountFen === undefined || other !== 0 || !purchase) {
    return { kind: "online" }
  }
  if (currency === undefined || !equals(currency, CNY)) return { kind: "online" }
  // Card risk management: past UCOL consecutive offline transactions the issuer must see one (pboc-velocity.ts).
  if (velocityExceeded(image)) return { kind: "online", velocityExceeded: true }
  const balance = balanceFen(image)
  const fits = amountFen <= singleLimitFen(image) && amountFen <= balance
  if (!fits || balance - amountFen < resetThresholdFen(image)) return { kind: "online" }
  return { kind: "offline", amountFen, balanceAfterFen: balance - amountFen }
}
