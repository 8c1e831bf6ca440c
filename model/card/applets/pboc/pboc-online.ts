/**
 * GENERATE AC and EXTERNAL AUTHENTICATE on the standard debit/credit path (EMV 4.3 Book 3 §6.5.5,
 * §6.5.4; Book 2 §8).
 *
 * Card risk management of this applet is deliberately simple: the first GENERATE AC never
 * approves offline (debit/credit offline approval is not modelled; offline value is e-cash on the
 * qPBOC path), so a TC or ARQC request gets an ARQC and an AAC request an AAC.
 *
 * Issuer authentication (documented choice): the ARPC is checked by EXTERNAL AUTHENTICATE with
 * data ARPC(8) ‖ ARC(2), ARPC method 1 (Book 2 A1.4.1) keyed with the AC session key SK-AC of
 * this transaction. The second GENERATE AC then gives a TC only if issuer authentication
 * succeeded; a failed or missing one turns a TC request into an AAC (the AIP announces issuer
 * authentication, so it is mandatory for an online approval).
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { SW } from "../../../apdu/status-words.ts"
import { equalsConstantTime } from "../../../bytes/bytes.ts"
import { constructed, encodeTlv } from "../../../tlv/ber-tlv.ts"
import type { AppletContext, AppletResponse } from "../../applet.ts"
import { AC_TYPE, TAG } from "./pboc-constants.ts"
import { generateCryptogram, imageProfile } from "./pboc-cryptogram.ts"
import { readDolData } from "./pboc-dol.ts"
import { IMAGE, SCRIPT_FAILED, writeU16 } from "./pboc-image.ts"
import type { PbocSession } from "./pboc-session.ts"

const NO_DATA = new Uint8Array(0)
const reply = (data: Uint8Array, sw: number = SW.OK): AppletResponse => ({ data, sw })
/** Book 3 §6.5.5.2: P1 b8-b7 is the cryptogram type; b5 (CDA) is not supported by this applet. */
const AC_TYPE_MASK = 0xc0
/** ISO 7816-4 §5.1.3 63xx: "verification failed", EMV's answer to a wrong ARPC (Book 3 §6.5.4.4). */
const AUTHENTICATION_FAILED = 0x6300

export const generateAc = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  const session = ctx.session
  const requested = c.p1 & AC_TYPE_MASK
  if (c.p2 !== 0 || requested === AC_TYPE_MASK || (c.p1 & ~AC_TYPE_MASK) !== 0) {
    return reply(NO_DATA, SW.INCORRECT_P1P2)
  }
  if (session.path !== "pboc" || session.gacCount > 1) return reply(NO_DATA, SW.CONDITIONS_NOT_SATISFIED)
  return session.gacCount === 0 ? firstAc(ctx, c, requested) : secondAc(ctx, c, requested)
}

const firstAc = (ctx: AppletContext<PbocSession>, c: CommandApdu, requested: number): AppletResponse => {
  const session = ctx.session
  const cdol1 = readDolData(ctx.state, TAG.cdol1, c.data)
  if (!cdol1.ok) return reply(NO_DATA, SW.WRONG_LENGTH)
  // The GPO's PDOL values stay unless CDOL1 repeats them with the terminal's final values.
  for (const [tag, value] of cdol1.value) session.terminal.set(tag, value)
  const kind = requested === AC_TYPE.aac ? "aac" : "arqc"
  const cryptogram = generateCryptogram(ctx.crypto, ctx.state, session, kind)
  session.gacCount = 1
  session.firstAc = kind
  if (kind === "arqc") session.arqc = cryptogram.ac
  return reply(encodeTlv(constructed(TAG.format2, cryptogram.objects)))
}

const secondAc = (ctx: AppletContext<PbocSession>, c: CommandApdu, requested: number): AppletResponse => {
  const session = ctx.session
  if (session.firstAc !== "arqc" || requested === AC_TYPE.arqc)
    return reply(NO_DATA, SW.CONDITIONS_NOT_SATISFIED)
  const cdol2 = readDolData(ctx.state, TAG.cdol2, c.data)
  if (!cdol2.ok) return reply(NO_DATA, SW.WRONG_LENGTH)
  const kind = requested === AC_TYPE.tc && session.issuerAuth === "ok" ? "tc" : "aac"
  const cryptogram = generateCryptogram(ctx.crypto, ctx.state, session, kind, c.data)
  session.gacCount = 2
  session.secondAc = kind
  // The scripts that follow belong to this online transaction: a failure of the last one is reported.
  ctx.state[IMAGE.scriptCount]! &= ~SCRIPT_FAILED
  // Book 3 Annex A "Last Online ATC Register": the ATC of the last issuer-authenticated approval.
  if (kind === "tc") writeU16(ctx.state, IMAGE.lastOnlineAtc, session.atc)
  return reply(encodeTlv(constructed(TAG.format2, cryptogram.objects)))
}

/** EXTERNAL AUTHENTICATE, 00 82 00 00 0A ARPC ‖ ARC: at most once per transaction (Book 3 §6.5.4). */
export const externalAuthenticate = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  const session = ctx.session
  if (c.p1 !== 0 || c.p2 !== 0) return reply(NO_DATA, SW.INCORRECT_P1P2)
  if (c.data.length !== 10) return reply(NO_DATA, SW.WRONG_LENGTH)
  if (
    session.arqc === null ||
    session.skAc === null ||
    session.issuerAuth !== "none" ||
    session.gacCount !== 1
  ) {
    return reply(NO_DATA, SW.CONDITIONS_NOT_SATISFIED)
  }
  const profile = imageProfile(ctx.state)
  const arc = c.data.subarray(8, 10)
  const expected = profile.arpcMethod1(ctx.crypto, session.skAc, session.arqc, arc)
  const good = equalsConstantTime(expected, c.data.subarray(0, 8))
  session.issuerAuth = good ? "ok" : "failed"
  session.terminal.set(TAG.arc, arc.slice())
  return reply(NO_DATA, good ? SW.OK : AUTHENTICATION_FAILED)
}
