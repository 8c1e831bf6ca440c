/**
 * Offline data authentication on the standard (contact-style) path, EMV 4.3 Book 3 §10.3: after
 * the records, a terminal holding the scheme CA keys performs DDA when the AIP says the card
 * supports it (INTERNAL AUTHENTICATE with the DDOL data, the card's 9F49 or the terminal's default
 * DDOL 9F37 04; Book 2 §6.5), otherwise SDA when the AIP says so (the issuer's 93; sda.ts), and
 * otherwise records "offline data authentication was not performed". A failure sets TVR "DDA
 * failed" or "SDA failed". Kernel rule on this path: the card never approves offline here (its
 * first GENERATE AC gives an ARQC, pboc-online.ts), so a failed ODA goes online with the bit in
 * the TVR the ARQC covers, for the issuer to weigh — as the terminal action codes of an
 * online-capable terminal send it.
 */
import { SW } from "../../apdu/status-words.ts"
import { hex, toHex } from "../../bytes/hex.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Card } from "../../card/card.ts"
import { findTag } from "../../tlv/ber-tlv.ts"
import { buildDolData, parseDol } from "../../tlv/dol.ts"
import { verifyFdda } from "../oda/fdda-verify.ts"
import { verifySda } from "../oda/sda.ts"
import { exchange, internalAuthenticateCommand, responseTlvs } from "./card-dialogue.ts"
import { type KernelChecks, type OdaContext, TSI, TVR } from "./kernel-checks.ts"

/** Book 3 §10.3: the terminal's default DDOL when the card has none, the unpredictable number. */
export const DEFAULT_DDOL = hex("9F3704")
const AIP_SDA = 0x40
const AIP_DDA = 0x20

export const runStandardOda = (card: Card, checks: KernelChecks, ctx: OdaContext, aip: Uint8Array): void => {
  const date = toHex(ctx.terminal.get(TAG.date) ?? new Uint8Array(3))
  if ((aip[0]! & AIP_DDA) !== 0) {
    checks.performed(TSI.odaPerformed)
    const ddol = parseDol(findTag(ctx.records, TAG.ddol)?.value ?? DEFAULT_DDOL)
    const data = buildDolData(ddol.ok ? ddol.value : [], (tag) => ctx.terminal.get(tag))
    const got = exchange(card, "internal-authenticate", internalAuthenticateCommand(data))
    const sdad =
      got.ok && got.response.sw === SW.OK
        ? findTag(responseTlvs(got.response.data) ?? [], 0x80)?.value
        : undefined
    const result =
      sdad === undefined
        ? ({ ok: false, reason: "signed-data" } as const)
        : verifyFdda(ctx.crypto, ctx.caKeys, {
            rid: ctx.aid.subarray(0, 5),
            records: ctx.records,
            staticData: ctx.staticData,
            sdad,
            ac: null,
            terminalDynamic: data,
            pan: ctx.pan,
            dateYymmdd: date,
          })
    checks.oda = result.ok ? "passed" : result.reason
    if (!result.ok) checks.set(TVR.ddaFailed)
    return
  }
  if ((aip[0]! & AIP_SDA) !== 0) {
    checks.performed(TSI.odaPerformed)
    const input = {
      rid: ctx.aid.subarray(0, 5),
      records: ctx.records,
      staticData: ctx.staticData,
      pan: ctx.pan,
    }
    const result = verifySda(ctx.caKeys, { ...input, dateYymmdd: date })
    checks.oda = result.ok ? "passed" : result.reason
    if (!result.ok) checks.set(TVR.sdaFailed)
    return
  }
  checks.set(TVR.odaNotPerformed)
}
