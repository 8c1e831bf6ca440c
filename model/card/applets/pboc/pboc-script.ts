/**
 * Issuer script commands with secure messaging for integrity (EMV 4.3 Book 2 §9.2, Book 3 §6.5):
 * PUT DATA of the e-cash amounts (CLA 04, INS DA: the 圈存 load writes 9F79), APPLICATION BLOCK
 * (84 1E), APPLICATION UNBLOCK (84 18) and PIN CHANGE/UNBLOCK (84 24, enciphered: pboc-pin.ts).
 *
 * The MAC is the leftmost 4 bytes of the profile's script MAC under SK-SMI over
 * CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data (PROTOCOLS.md §2.1-§2.2, pyemv sm.py), Lc counting the MAC.
 * SK-SMI is the profile's script session key of MK-SMI: PBOC's process key from the ATC for the
 * PBOC profiles, the common session key with R = ARQC for the EMV one (Book 2 A1.3.1). Either way
 * the MAC input names the ATC and the ARQC, so a script is valid only inside the online
 * transaction it answers, which is what stops replay.
 *
 * Every command of an online transaction's scripts is recorded for the next transaction's CVR:
 * a success counts, any failure sets "script processing failed on the last online transaction".
 *
 * Outcomes: wrong MAC 6988 (nothing changed but that failure record); no ARQC in this selection 6985; a load without
 * successful issuer authentication 6985; a balance above 9F77, or a limit below the balance, 6985
 * (PROTOCOLS.md §2.2); a value that is not n12 BCD 6A80.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { SW } from "../../../apdu/status-words.ts"
import { concat, equalsConstantTime } from "../../../bytes/bytes.ts"
import type { AppletContext, AppletResponse } from "../../applet.ts"
import { balanceFen, balanceLimitFen } from "./ecash.ts"
import { decodeN12 } from "./n12-amount.ts"
import { TAG } from "./pboc-constants.ts"
import { imageProfile } from "./pboc-cryptogram.ts"
import { field, IMAGE, KEY_BYTES, PersoState, SCRIPT_COUNT_MASK, SCRIPT_FAILED } from "./pboc-image.ts"
import { pinChangeUnblock } from "./pboc-pin.ts"
import type { PbocSession } from "./pboc-session.ts"

export const SCRIPT_MAC_BYTES = 4
export const INS_PUT_DATA = 0xda
export const INS_APPLICATION_BLOCK = 0x1e
export const INS_APPLICATION_UNBLOCK = 0x18
export const INS_PIN_CHANGE_UNBLOCK = 0x24

const NO_DATA = new Uint8Array(0)
const reply = (sw: number): AppletResponse => ({ data: NO_DATA, sw })

/** Offsets of the amounts PUT DATA may write. */
const PUT_DATA_TARGETS = new Map<number, number>([
  [TAG.balance, IMAGE.balance],
  [TAG.balanceLimit, IMAGE.balanceLimit],
  [TAG.singleLimit, IMAGE.singleLimit],
  [TAG.resetThreshold, IMAGE.resetThreshold],
])

/** The MAC input of a script command (data without its trailing MAC). */
export const scriptMacInput = (c: CommandApdu, atc: number, arqc: Uint8Array): Uint8Array =>
  concat(
    new Uint8Array([c.cla, c.ins, c.p1, c.p2, c.data.length]),
    new Uint8Array([atc >> 8, atc & 0xff]),
    arqc,
    c.data.subarray(0, c.data.length - SCRIPT_MAC_BYTES),
  )

/** Checks the command MAC; on success returns the plain value bytes. */
const verifyScriptMac = (ctx: AppletContext<PbocSession>, c: CommandApdu): Uint8Array | number => {
  const session = ctx.session
  if (session.arqc === null) return SW.CONDITIONS_NOT_SATISFIED
  if (c.data.length < SCRIPT_MAC_BYTES) return SW.WRONG_LENGTH
  const profile = imageProfile(ctx.state)
  const mkSmi = field(ctx.state, IMAGE.mkSmi, KEY_BYTES)
  const skSmi = profile.scriptSessionKey(ctx.crypto, mkSmi, session.atc, session.arqc)
  const mac = profile.scriptMac(ctx.crypto, skSmi, scriptMacInput(c, session.atc, session.arqc))
  const sent = c.data.subarray(c.data.length - SCRIPT_MAC_BYTES)
  if (!equalsConstantTime(mac.subarray(0, SCRIPT_MAC_BYTES), sent)) return SW.INCORRECT_SM_DATA
  return c.data.slice(0, c.data.length - SCRIPT_MAC_BYTES)
}

/** Counts a processed command, or marks the transaction's script processing failed (CVR byte 4). */
const recordScript = (image: Uint8Array, sw: number): void => {
  const byte = image[IMAGE.scriptCount]!
  image[IMAGE.scriptCount] =
    sw === SW.OK
      ? (byte & SCRIPT_FAILED) | Math.min((byte & SCRIPT_COUNT_MASK) + 1, SCRIPT_COUNT_MASK)
      : byte | SCRIPT_FAILED
}

export const issuerScript = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  const response = runScript(ctx, c)
  // Outside an online transaction there is no script processing to report on.
  if (ctx.session.arqc !== null) recordScript(ctx.state, response.sw)
  return response
}

const runScript = (ctx: AppletContext<PbocSession>, c: CommandApdu): AppletResponse => {
  const value = verifyScriptMac(ctx, c)
  if (typeof value === "number") return reply(value)
  if (c.ins === INS_PUT_DATA) return putData(ctx, (c.p1 << 8) | c.p2, value)
  if (c.ins === INS_PIN_CHANGE_UNBLOCK) return pinChangeUnblock(ctx, c, value)
  if (c.p1 !== 0 || c.p2 !== 0 || value.length !== 0) return reply(SW.INCORRECT_P1P2)
  ctx.state[IMAGE.state] = c.ins === INS_APPLICATION_BLOCK ? PersoState.blocked : PersoState.personalized
  return reply(SW.OK)
}

const putData = (ctx: AppletContext<PbocSession>, tag: number, value: Uint8Array): AppletResponse => {
  const image = ctx.state
  const offset = PUT_DATA_TARGETS.get(tag)
  if (offset === undefined) return reply(SW.REFERENCED_DATA_NOT_FOUND)
  const amount = decodeN12(value)
  if (!amount.ok) return reply(SW.INCORRECT_DATA)
  if (tag === TAG.balance) {
    // 圈存 is an online, issuer-authenticated transaction (PROTOCOLS.md §2.2).
    if (ctx.session.issuerAuth !== "ok") return reply(SW.CONDITIONS_NOT_SATISFIED)
    if (amount.value > balanceLimitFen(image)) return reply(SW.CONDITIONS_NOT_SATISFIED)
  }
  if (tag === TAG.balanceLimit && amount.value < balanceFen(image)) return reply(SW.CONDITIONS_NOT_SATISFIED)
  image.set(value, offset)
  return reply(SW.OK)
}
