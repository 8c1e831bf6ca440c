/**
 * BEGIN R-MAC SESSION and END R-MAC SESSION (GP Card Spec 2.2 Annex E.5, the SCP02 commands), the SCP02
 * way for an off-card entity to have the card's responses MACed from some point of an open secure
 * channel on: after BEGIN every response carries an R-MAC under S-RMAC (the BEGIN's own response
 * first, so the host data in its LV is folded into the chain); END with P2 03 returns the last
 * R-MAC and ends the R-MAC session, P2 01 returns it and goes on. SCP03 and the twin's SM4
 * profile set R-MAC by the EXTERNAL AUTHENTICATE level only (Amd D §7.1.2), so they answer 6D00.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import type { SdContext } from "./sd-context.ts"

/** The LV data field of BEGIN R-MAC SESSION carries at most 24 bytes of host data (GP 2.2 Annex E.5; skythen/scp02 bounds it the same way). */
const HOST_DATA_BYTES_MAX = 24

export const beginRmacSession = (ctx: SdContext, command: CommandApdu): Reply => {
  const session = ctx.channel.secure?.responseMacSession
  if (session === undefined) return fail("ins-not-supported")
  if (command.p1 !== 0x10 || command.p2 !== 0x00) return fail("incorrect-p1p2")
  const data = command.data
  if (data.length < 2 || data[0] !== data.length - 1 || data.length - 1 > HOST_DATA_BYTES_MAX) {
    return fail("wrong-length")
  }
  session.begin()
  return done()
}

export const endRmacSession = (ctx: SdContext, command: CommandApdu): Reply => {
  const session = ctx.channel.secure?.responseMacSession
  if (session === undefined) return fail("ins-not-supported")
  if (command.p1 !== 0x00 || (command.p2 !== 0x01 && command.p2 !== 0x03)) return fail("incorrect-p1p2")
  if (command.data.length !== 0) return fail("wrong-length")
  if (!session.active()) return fail("conditions-not-satisfied")
  if (command.p2 === 0x03) session.end()
  return done()
}
