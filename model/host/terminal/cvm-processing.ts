/**
 * The kernel's cardholder verification from the card's CVM list on the standard path (EMV 4.3
 * Book 3 §10.5; the list and its rules in cvm-list.ts). Performs the first applicable rule the
 * terminal supports, in order, and records the outcome in the TVR, the TSI and the CVM Results
 * 9F34. An online PIN is only taken here; it travels in the authorisation request (the caller
 * wraps its authorizer with `withPinBlock`).
 */
import { command, encodeCommand } from "../../apdu/command.ts"
import { format2Block } from "../../card/applets/pboc/pboc-pin.ts"
import type { Card } from "../../card/card.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { encryptPinBlock } from "../../crypto/pin-block.ts"
import { amountOf, CVM, type CvmList, type CvRule, conditionHolds } from "./cvm-list.ts"
import { type KernelChecks, TSI, TVR } from "./kernel-checks.ts"
import type { OnlineAuthorizer } from "./online-authorizer.ts"
import type { ReaderCvm } from "./reader-cvm.ts"

export interface CvmOutcome {
  readonly verified: boolean
  /** The PIN typed for online verification, when the performed rule was online PIN. */
  readonly onlinePin: string | null
  /** 9F34: CVM code ‖ condition ‖ result (00 unknown, 01 failed, 02 successful). */
  readonly cvmResults: Uint8Array
}

const RESULT = { unknown: 0x00, failed: 0x01, successful: 0x02 } as const
const KNOWN = new Set<number>(Object.values(CVM))

type Performed = { readonly result: number; readonly onlinePin: string | null }

const sw = (r: Uint8Array): number => (r[r.length - 2]! << 8) | r[r.length - 1]!

/** One rule's method at this terminal. */
const perform = (card: Card, cvm: ReaderCvm, checks: KernelChecks, method: number): Performed => {
  if (method === CVM.noCvm) return { result: RESULT.successful, onlinePin: null }
  if (method === CVM.signature) return { result: RESULT.unknown, onlinePin: null }
  if (method === CVM.fail) return { result: RESULT.failed, onlinePin: null }
  const pin = cvm.enterPin()
  if (pin === null) {
    checks.set(TVR.pinNotEntered)
    return { result: RESULT.failed, onlinePin: null }
  }
  if (method === CVM.onlinePin) {
    checks.set(TVR.onlinePinEntered)
    return { result: RESULT.unknown, onlinePin: pin }
  }
  // Plaintext PIN verified by the ICC: VERIFY with the ISO 9564 format 2 block (Book 3 §6.5.12).
  const answer = sw(card.transmit(encodeCommand(command(0x00, 0x20, 0x00, 0x80, format2Block(pin)))))
  if (answer === 0x6983 || answer === 0x63c0) checks.set(TVR.pinTryLimitExceeded)
  return { result: answer === 0x9000 ? RESULT.successful : RESULT.failed, onlinePin: null }
}

export const processCvm = (
  card: Card,
  cvm: ReaderCvm,
  checks: KernelChecks,
  list: CvmList,
  terminal: ReadonlyMap<number, Uint8Array>,
): CvmOutcome => {
  checks.performed(TSI.cvmPerformed)
  const supports = (method: number) =>
    KNOWN.has(method) && (method !== CVM.signature || cvm.signature !== false)
  const amount = amountOf(terminal)
  let last: { rule: CvRule; result: number } | undefined
  for (const rule of list.rules) {
    if (conditionHolds(rule.condition, amount, list, supports, rule.method) !== true) continue
    if (!KNOWN.has(rule.method)) checks.set(TVR.unrecognisedCvm)
    const done = supports(rule.method)
      ? perform(card, cvm, checks, rule.method)
      : { result: RESULT.failed, onlinePin: null }
    last = { rule, result: done.result }
    if (done.result !== RESULT.failed)
      return { verified: true, onlinePin: done.onlinePin, cvmResults: resultsOf(rule, done.result) }
    if (!rule.applyNext) break
  }
  checks.set(TVR.cvmNotSuccessful)
  // No rule applied at all: 3F 00 01 ("no CVM performed", Book 3 §10.5).
  const results =
    last === undefined ? Uint8Array.of(0x3f, 0x00, RESULT.failed) : resultsOf(last.rule, RESULT.failed)
  return { verified: false, onlinePin: null, cvmResults: results }
}

const resultsOf = (rule: CvRule, result: number): Uint8Array =>
  Uint8Array.of(rule.method | (rule.applyNext ? 0x40 : 0), rule.condition, result)

/** The authorizer with the online PIN block under the terminal PIN key (ISO 9564 format 0). */
export const withPinBlock =
  (crypto: Crypto, pinKey: Uint8Array, pin: string, authorize: OnlineAuthorizer): OnlineAuthorizer =>
  (request) =>
    authorize({ ...request, pinBlock: encryptPinBlock(crypto, pinKey, pin, request.pan) })
