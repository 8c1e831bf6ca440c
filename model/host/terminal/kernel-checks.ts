/**
 * The terminal's record of its own checks (EMV 4.3 Book 3 Annex C5 TVR, C6 TSI): which bits the
 * qPBOC kernel sets, and the fDDA step it runs on a qPBOC answer when it holds CA public keys.
 *
 * Kernel rule for fDDA (the VCPS-derived qPBOC kernels): an offline approval (TC) needs a
 * successful fDDA — a card without signed data, or a failed check, turns it into a decline; an
 * ARQC goes online whatever fDDA says, with the failure in the TVR for the issuer to weigh.
 */
import { toHex } from "../../bytes/hex.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import { terminalDynamicData } from "../../card/applets/pboc/pboc-oda.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { findTag, type Tlv } from "../../tlv/ber-tlv.ts"
import { verifyFdda } from "../oda/fdda-verify.ts"
import type { OdaFailure } from "../oda/oda-result.ts"
import type { CaPublicKey } from "../oda/scheme-ca.ts"

/** TVR bits as [byte index, mask] (Book 3 Annex C5). */
export const TVR = {
  odaNotPerformed: [0, 0x80],
  sdaFailed: [0, 0x40],
  iccDataMissing: [0, 0x20],
  exceptionFile: [0, 0x10],
  newCard: [1, 0x08],
  ddaFailed: [0, 0x08],
  cvmNotSuccessful: [2, 0x80],
  unrecognisedCvm: [2, 0x40],
  pinNotEntered: [2, 0x08],
  pinTryLimitExceeded: [2, 0x20],
  onlinePinEntered: [2, 0x04],
  floorLimitExceeded: [3, 0x80],
  lowerConsecutiveLimitExceeded: [3, 0x40],
  upperConsecutiveLimitExceeded: [3, 0x20],
  merchantForcedOnline: [3, 0x08],
  scriptFailedBeforeFinalAc: [4, 0x20],
  scriptFailedAfterFinalAc: [4, 0x10],
} as const satisfies Record<string, readonly [number, number]>

/** TSI byte 1 bits (Book 3 Annex C6). */
export const TSI = {
  odaPerformed: 0x80,
  cvmPerformed: 0x40,
  cardRiskManagementPerformed: 0x20,
  issuerAuthenticationPerformed: 0x10,
  terminalRiskManagementPerformed: 0x08,
  scriptProcessingPerformed: 0x04,
} as const

export class KernelChecks {
  readonly tvr = new Uint8Array(5)
  readonly tsi = new Uint8Array(2)
  oda: "not-performed" | "passed" | OdaFailure = "not-performed"

  set(bit: readonly [number, number]): void {
    this.tvr[bit[0]]! |= bit[1]
  }

  has(bit: readonly [number, number]): boolean {
    return (this.tvr[bit[0]]! & bit[1]) !== 0
  }

  performed(mask: number): void {
    this.tsi[0]! |= mask
  }

  /** What the outcome carries: hex for the trace. */
  report(): { readonly tvr: string; readonly tsi: string; readonly oda: string } {
    return { tvr: toHex(this.tvr), tsi: toHex(this.tsi), oda: this.oda }
  }
}

export interface OdaContext {
  readonly crypto: Crypto
  readonly caKeys: ReadonlyArray<CaPublicKey>
  readonly aid: Uint8Array
  readonly records: ReadonlyArray<Tlv>
  readonly staticData: Uint8Array
  readonly terminal: ReadonlyMap<number, Uint8Array>
  readonly pan: string
}

/** AIP byte 1 b6: the card supports (f)DDA. */
const AIP_DDA = 0x20

/** fDDA on the qPBOC answer; sets TVR/TSI and returns whether ODA succeeded. */
export const runFdda = (
  checks: KernelChecks,
  ctx: OdaContext,
  aip: Uint8Array,
  gpo: ReadonlyArray<Tlv>,
): boolean => {
  const sdad = findTag(gpo, TAG.sdad)?.value
  const ac = findTag(gpo, TAG.ac)?.value
  if ((aip[0]! & AIP_DDA) === 0 || sdad === undefined || ac === undefined) {
    checks.set(TVR.odaNotPerformed)
    if ((aip[0]! & AIP_DDA) !== 0) checks.set(TVR.iccDataMissing)
    return false
  }
  checks.performed(TSI.odaPerformed)
  const date = toHex(ctx.terminal.get(TAG.date) ?? new Uint8Array(3))
  const result = verifyFdda(ctx.crypto, ctx.caKeys, {
    rid: ctx.aid.subarray(0, 5),
    records: ctx.records,
    staticData: ctx.staticData,
    sdad,
    ac,
    terminalDynamic: terminalDynamicData(ctx.terminal),
    pan: ctx.pan,
    dateYymmdd: date,
  })
  checks.oda = result.ok ? "passed" : result.reason
  if (!result.ok) checks.set(result.reason === "data-missing" ? TVR.iccDataMissing : TVR.ddaFailed)
  return result.ok
}
