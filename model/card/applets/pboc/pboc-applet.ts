/**
 * The PBOC 3.0 debit/credit applet with electronic cash, as an applet class of the twin's card
 * runtime (model/card/applet.ts). One class serves the debit, credit, quasi-credit and pure
 * e-cash AIDs (PROTOCOLS.md §2.2); the instance AID chosen at INSTALL names which.
 *
 * Commands (EMV 4.3 Book 3 §6.5, PBOC 3.0 JR/T 0025): SELECT, GET PROCESSING OPTIONS, READ RECORD,
 * GENERATE AC, EXTERNAL AUTHENTICATE, INTERNAL AUTHENTICATE (DDA), GET DATA, VERIFY (offline
 * PIN), and the issuer-script
 * commands PUT DATA, APPLICATION BLOCK, APPLICATION UNBLOCK and PIN CHANGE/UNBLOCK with secure
 * messaging. The status words of all of them
 * are produced here or in the handler files as numbers; the runtime encodes them.
 *
 * A blocked application still answers SELECT, with its FCI and 6283 (Book 1 §12.3.1), and refuses
 * GET PROCESSING OPTIONS with 6985. Re-enabling a blocked card outside an online transaction is a
 * TSM life-cycle operation (GP SET STATUS), not this applet's.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { SW } from "../../../apdu/status-words.ts"
import { hex } from "../../../bytes/hex.ts"
import { ok } from "../../../bytes/result.ts"
import { constructed, encodeTlv, tlv } from "../../../tlv/ber-tlv.ts"
import type { AppletClass, AppletContext, AppletResponse } from "../../applet.ts"
import { TAG } from "./pboc-constants.ts"
import { internalAuthenticate } from "./pboc-dda.ts"
import { getProcessingOptions } from "./pboc-gpo.ts"
import {
  emptyImage,
  fciProprietary,
  findRecord,
  IMAGE,
  PBOC_STATE_BYTES_MAX,
  PersoState,
  readU16,
} from "./pboc-image.ts"
import { externalAuthenticate, generateAc } from "./pboc-online.ts"
import { personalize } from "./pboc-personalization.ts"
import { pinTryCounter, verifyPin } from "./pboc-pin.ts"
import {
  INS_APPLICATION_BLOCK,
  INS_APPLICATION_UNBLOCK,
  INS_PIN_CHANGE_UNBLOCK,
  INS_PUT_DATA,
  issuerScript,
} from "./pboc-script.ts"
import { newPbocSession, type PbocSession } from "./pboc-session.ts"
import { recordByte } from "./pboc-velocity.ts"

/** The executable module of the PBOC applet (twin convention: the PBOC RID ‖ "0101" ‖ "00"). */
export const PBOC_MODULE_AID = hex("A00000033301010000")

const NO_DATA = new Uint8Array(0)
const reply = (data: Uint8Array, sw: number = SW.OK): AppletResponse => ({ data, sw })

const select = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  if (c.p1 !== 0x04) return reply(NO_DATA, SW.INCORRECT_P1P2)
  const image = ctx.state
  const fci = encodeTlv(
    constructed(TAG.fci, [
      tlv(TAG.dfName, ctx.aid),
      { tag: TAG.fciProprietary, value: fciProprietary(image) },
    ]),
  )
  return reply(fci, image[IMAGE.state] === PersoState.blocked ? SW.SELECTED_FILE_INVALIDATED : SW.OK)
}

/** READ RECORD, 00 B2 record (SFI << 3 | 4) (Book 3 §6.5.11; ISO 7816-4 §7.3.3). */
const readRecord = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  // SFI 0 holds the applet's internal ODA key record: never a file a terminal may read.
  if ((c.p2 & 0x07) !== 0x04 || c.p1 === 0 || c.p2 >> 3 === 0) return reply(NO_DATA, SW.INCORRECT_P1P2)
  if (ctx.state[IMAGE.state] === PersoState.empty) return reply(NO_DATA, SW.CONDITIONS_NOT_SATISFIED)
  const record = findRecord(ctx.state, c.p2 >> 3, c.p1)
  return record === undefined ? reply(NO_DATA, SW.RECORD_NOT_FOUND) : reply(record)
}

const GET_DATA_FIELDS = new Map<number, readonly [number, number]>([
  [TAG.balance, [IMAGE.balance, 6]],
  [TAG.balanceLimit, [IMAGE.balanceLimit, 6]],
  [TAG.singleLimit, [IMAGE.singleLimit, 6]],
  [TAG.resetThreshold, [IMAGE.resetThreshold, 6]],
  [TAG.atc, [IMAGE.atc, 2]],
  [TAG.lastOnlineAtc, [IMAGE.lastOnlineAtc, 2]],
])

/**
 * GET DATA, 80 CA tag (Book 3 §6.5.7): the e-cash amounts and the counters, the PIN try counter
 * 9F17, and LCOL/UCOL 9F14/9F23 (so a qPBOC reader can check velocity before GPO), as one TLV.
 */
const getData = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  const tag = (c.p1 << 8) | c.p2
  const byte =
    tag === TAG.pinTryCounter
      ? pinTryCounter(ctx.state)
      : tag === TAG.lcol || tag === TAG.ucol
        ? recordByte(ctx.state, tag)
        : undefined
  if (byte !== undefined) return reply(encodeTlv(tlv(tag, Uint8Array.of(byte))))
  const where = GET_DATA_FIELDS.get(tag)
  if (where === undefined || ctx.state[IMAGE.state] === PersoState.empty) {
    return reply(NO_DATA, SW.REFERENCED_DATA_NOT_FOUND)
  }
  return reply(encodeTlv(tlv(tag, ctx.state.slice(where[0], where[0] + where[1]))))
}

const isScriptCla = (cla: number): boolean => cla === 0x04 || cla === 0x84

const process = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  if (isScriptCla(c.cla)) {
    const scriptIns =
      c.ins === INS_PUT_DATA ||
      c.ins === INS_APPLICATION_BLOCK ||
      c.ins === INS_APPLICATION_UNBLOCK ||
      c.ins === INS_PIN_CHANGE_UNBLOCK
    return scriptIns ? issuerScript(ctx, c) : reply(NO_DATA, SW.INS_NOT_SUPPORTED)
  }
  if (c.cla === 0x00 && c.ins === 0xb2) return readRecord(ctx, c)
  if (c.cla === 0x00 && c.ins === 0x82) return externalAuthenticate(ctx, c)
  if (c.cla === 0x00 && c.ins === 0x20) return verifyPin(ctx, c)
  if (c.cla === 0x00 && c.ins === 0x88) return internalAuthenticate(ctx, c)
  if (c.cla !== 0x80) return reply(NO_DATA, SW.CLA_NOT_SUPPORTED)
  switch (c.ins) {
    case 0xa8:
      return getProcessingOptions(ctx, c)
    case 0xae:
      return generateAc(ctx, c)
    case 0xca:
      return getData(ctx, c)
    default:
      return reply(NO_DATA, SW.INS_NOT_SUPPORTED)
  }
}

export const PBOC_APPLET: AppletClass<PbocSession> = {
  name: "pboc-payment",
  moduleAid: PBOC_MODULE_AID,
  stateBytesMax: PBOC_STATE_BYTES_MAX,
  install: () => ok(emptyImage()),
  newSession: newPbocSession,
  select,
  process,
  personalize,
}

/** The ATC of an instance image, for tests and the population store's statistics. */
export const atcOfImage = (image: Uint8Array): number => readU16(image, IMAGE.atc)
