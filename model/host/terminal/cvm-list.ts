/**
 * The card's CVM list 8E and the kernel's cardholder verification on the standard (contact-style)
 * path, EMV 4.3 Book 3 §10.5 and Annex C3: amount X (4 bytes) ‖ amount Y (4 bytes) ‖ CV rules of
 * two bytes — the CVM code (b7: apply the next rule if this one fails; b6-b1 the method) and the
 * condition code. The kernel walks the rules in order: a rule whose condition does not hold is
 * skipped; the first that holds is performed if the terminal supports its method; success ends
 * processing, failure moves on only when b7 says so; running out of rules fails cardholder
 * verification. Results land in the CVM Results 9F34 (method, condition, result: 01 failed, 02
 * successful, 00 unknown for a signature), the TVR byte 3 bits and the TSI "CVM performed".
 *
 * Methods the twin's terminals perform: 01 plaintext PIN verified by the ICC (VERIFY,
 * pboc-pin.ts), 02 enciphered PIN verified online (reader-cvm.ts's PIN block), 1E signature
 * (an attended terminal: result unknown), 1F no CVM required, 00 fail CVM processing. Others
 * are unrecognised or unsupported (TVR byte 3 b7 "unrecognised CVM").
 */

import { bytesToUint, uintToBytes } from "../../bytes/bytes.ts"
import { encodeN12 } from "../../card/applets/pboc/n12-amount.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"

export const CVM = {
  fail: 0x00,
  offlinePlaintextPin: 0x01,
  onlinePin: 0x02,
  signature: 0x1e,
  noCvm: 0x1f,
} as const

/** Condition codes the twin evaluates (Book 3 Annex C3 Table 40). */
export const CVM_CONDITION = {
  always: 0x00,
  terminalSupports: 0x03,
  underX: 0x06,
  overX: 0x07,
  underY: 0x08,
  overY: 0x09,
} as const

/** b7 of the CVM code: apply the succeeding rule if this one is unsuccessful. */
export const APPLY_NEXT = 0x40

export interface CvRule {
  readonly method: number
  readonly condition: number
  readonly applyNext: boolean
}

export interface CvmList {
  readonly xFen: number
  readonly yFen: number
  readonly rules: ReadonlyArray<CvRule>
}

export const encodeCvmList = (list: CvmList): Uint8Array => {
  const out = new Uint8Array(8 + 2 * list.rules.length)
  out.set(uintToBytes(list.xFen, 4), 0)
  out.set(uintToBytes(list.yFen, 4), 4)
  list.rules.forEach((r, i) => {
    out[8 + 2 * i] = r.method | (r.applyNext ? APPLY_NEXT : 0)
    out[9 + 2 * i] = r.condition
  })
  return out
}

/** The list, or undefined when it is not 8 bytes plus whole rules (Book 3 §10.5: skip CVM then). */
export const decodeCvmList = (bytes: Uint8Array): CvmList | undefined => {
  if (bytes.length < 10 || bytes.length % 2 !== 0) return undefined
  const rules: CvRule[] = []
  for (let at = 8; at < bytes.length; at += 2)
    rules.push({
      method: bytes[at]! & 0x3f,
      condition: bytes[at + 1]!,
      applyNext: (bytes[at]! & APPLY_NEXT) !== 0,
    })
  return { xFen: bytesToUint(bytes, 0, 4), yFen: bytesToUint(bytes, 4, 4), rules }
}

/** Whether the rule's condition holds for this transaction (amounts in the application currency). */
export const conditionHolds = (
  condition: number,
  amountFen: number,
  list: CvmList,
  supports: (method: number) => boolean,
  method: number,
): boolean | undefined => {
  switch (condition) {
    case CVM_CONDITION.always:
      return true
    case CVM_CONDITION.terminalSupports:
      return supports(method)
    case CVM_CONDITION.underX:
      return amountFen < list.xFen
    case CVM_CONDITION.overX:
      return amountFen > list.xFen
    case CVM_CONDITION.underY:
      return amountFen < list.yFen
    case CVM_CONDITION.overY:
      return amountFen > list.yFen
    default:
      // Cash and cashback conditions: the twin's purchases are neither, so the rule does not apply.
      return undefined
  }
}

/**
 * The PBOC debit card's default list (data preparation, twin choice): above X online PIN, falling
 * back to signature; at or below X no CVM; otherwise fail.
 */
export const defaultCvmList = (cvmLimitFen: number): CvmList => ({
  xFen: cvmLimitFen,
  yFen: 0,
  rules: [
    { method: CVM.onlinePin, condition: CVM_CONDITION.overX, applyNext: true },
    { method: CVM.signature, condition: CVM_CONDITION.overX, applyNext: false },
    { method: CVM.noCvm, condition: CVM_CONDITION.always, applyNext: false },
  ],
})

/** The amount a rule's condition compares: 9F02 from the terminal data. */
export const amountOf = (terminal: ReadonlyMap<number, Uint8Array>): number => {
  const bytes = terminal.get(TAG.amount) ?? encodeN12(0)
  let fen = 0
  for (const b of bytes) fen = fen * 100 + (b >> 4) * 10 + (b & 0x0f)
  return fen
}
