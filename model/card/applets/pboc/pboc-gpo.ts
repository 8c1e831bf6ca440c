/**
 * GET PROCESSING OPTIONS (EMV 4.3 Book 3 §6.5.8; qPBOC per JR/T 0025.12): starts a transaction,
 * increments the ATC, and answers either
 * - format 1 (80: AIP ‖ AFL) on the standard debit/credit path, when the reader's TTQ does not ask
 *   for qPBOC; GENERATE AC follows; or
 * - format 2 (77) on the qPBOC path, with the cryptogram already computed from the PDOL data:
 *   a TC with 9F74 "ECC001" and the new balance (9F5D) for an offline e-cash approval, an ARQC to
 *   go online, or an AAC when an offline-only reader cannot go online; a card personalized with an
 *   ICC private key adds its signed dynamic application data 9F4B for fDDA (pboc-oda.ts).
 */

import type { CommandApdu } from "../../../apdu/command.ts"
import { SW } from "../../../apdu/status-words.ts"
import type { Crypto } from "../../../crypto/crypto.ts"
import { constructed, encodeTlv, tlv } from "../../../tlv/ber-tlv.ts"
import type { AppletContext, AppletResponse } from "../../applet.ts"
import { decideEcash } from "./ecash.ts"
import { encodeN12 } from "./n12-amount.ts"
import { ECASH_AUTH_CODE, TAG, TTQ_QPBOC } from "./pboc-constants.ts"
import { generateCryptogram } from "./pboc-cryptogram.ts"
import { readDolData } from "./pboc-dol.ts"
import { afl, field, IMAGE, PersoState, readU16, writeU16 } from "./pboc-image.ts"
import { iccDynamicData, signSdadRsa, signSdadSm2, terminalDynamicData } from "./pboc-oda.ts"
import { type IccPrivateKey, iccPrivateKey } from "./pboc-oda-key.ts"
import type { PbocSession } from "./pboc-session.ts"

/** The ATC never wraps (Book 3 Annex A: once at FFFF the application is unusable). */
const ATC_MAX = 0xffff
/** TTQ byte 1 b4: the reader is offline only. */
const TTQ_OFFLINE_ONLY = 0x08

const reply = (data: Uint8Array, sw: number = SW.OK): AppletResponse => ({ data, sw })

export const getProcessingOptions = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  const image = ctx.state
  const session = ctx.session
  if (image[IMAGE.state] !== PersoState.personalized)
    return reply(new Uint8Array(0), SW.CONDITIONS_NOT_SATISFIED)
  if (c.p1 !== 0 || c.p2 !== 0) return reply(new Uint8Array(0), SW.INCORRECT_P1P2)
  if (session.path !== "none") return reply(new Uint8Array(0), SW.CONDITIONS_NOT_SATISFIED)
  // Book 3 §6.5.8.3: the data field is the command template 83 holding the PDOL data.
  if (c.data.length < 2 || c.data[0] !== 0x83 || c.data[1] !== c.data.length - 2) {
    return reply(new Uint8Array(0), SW.WRONG_LENGTH)
  }
  const terminal = readDolData(image, TAG.pdol, c.data.subarray(2))
  if (!terminal.ok) return reply(new Uint8Array(0), SW.WRONG_LENGTH)
  const atc = readU16(image, IMAGE.atc)
  if (atc >= ATC_MAX) return reply(new Uint8Array(0), SW.CONDITIONS_NOT_SATISFIED)
  writeU16(image, IMAGE.atc, atc + 1)
  session.atc = atc + 1
  session.terminal = terminal.value
  const ttq = terminal.value.get(TAG.ttq)
  if (ttq === undefined || (ttq[0]! & TTQ_QPBOC) === 0) {
    session.path = "pboc"
    return reply(encodeTlv(tlv(TAG.format1, new Uint8Array([...field(image, IMAGE.aip, 2), ...afl(image)]))))
  }
  session.path = "qpboc"
  return qpbocResponse(ctx, (ttq[0]! & TTQ_OFFLINE_ONLY) !== 0)
}

/** 9F4B over the GPO's AC and the fDDA terminal data (pboc-oda.ts). */
const signedDynamicData = (
  crypto: Crypto,
  key: IccPrivateKey,
  ac: Uint8Array,
  terminal: ReadonlyMap<number, Uint8Array>,
): Uint8Array =>
  key.algorithm === "rsa"
    ? signSdadRsa(key.key, iccDynamicData(ac), terminalDynamicData(terminal))
    : signSdadSm2(crypto, key.scalar, iccDynamicData(ac), terminalDynamicData(terminal))

/** The qPBOC format-2 answer; the balance is written before the TC so both commit together. */
const qpbocResponse = (ctx: AppletContext<PbocSession>, offlineOnly: boolean): AppletResponse => {
  const image = ctx.state
  const session = ctx.session
  const decision = decideEcash(image, session.terminal)
  const extra = []
  let kind: "tc" | "arqc" | "aac"
  if (decision.kind === "offline") {
    kind = "tc"
    image.set(encodeN12(decision.balanceAfterFen), IMAGE.balance)
    extra.push(
      tlv(TAG.ecashAuthCode, ECASH_AUTH_CODE),
      tlv(TAG.availableOffline, encodeN12(decision.balanceAfterFen)),
    )
  } else {
    kind = offlineOnly ? "aac" : "arqc"
    session.velocityExceeded = decision.velocityExceeded === true
  }
  const cryptogram = generateCryptogram(ctx.crypto, image, session, kind)
  session.firstAc = kind
  session.gacCount = 1
  if (kind === "arqc") session.arqc = cryptogram.ac
  const objects = [
    tlv(TAG.aip, field(image, IMAGE.aip, 2)),
    tlv(TAG.afl, afl(image)),
    ...cryptogram.objects,
    ...extra,
  ]
  const key = iccPrivateKey(image)
  if (key !== undefined)
    objects.push(tlv(TAG.sdad, signedDynamicData(ctx.crypto, key, cryptogram.ac, session.terminal)))
  return reply(encodeTlv(constructed(TAG.format2, objects)))
}
