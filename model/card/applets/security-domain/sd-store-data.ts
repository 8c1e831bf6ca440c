/**
 * STORE DATA (GP 2.3 §11.11) after INSTALL [for personalization]: blocks numbered from 00 are
 * forwarded, secure messaging removed, to the target application's `personalize` (GP 2.3
 * §11.5.2.3.4). DGI decryption (P1 b6-b7) is the application's business, through its
 * `secureChannel.decryptData` view of this session.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { fail, type Reply } from "../../runtime/outcome.ts"
import { EntryKind, findById } from "../../runtime/registry.ts"
import type { SdContext } from "./sd-context.ts"

export const storeData = (ctx: SdContext, command: CommandApdu): Reply => {
  const p = ctx.channel.personalization
  if (p === null) return fail("conditions-not-satisfied")
  if (command.p2 !== (p.nextBlock & 0xff)) return fail("incorrect-p1p2")
  const target = findById(ctx.state, p.targetId)
  if (target === undefined || target.kind !== EntryKind.APPLICATION) return fail("conditions-not-satisfied")
  const reply = ctx.personalizeApplet(target, { p1: command.p1, p2: command.p2, data: command.data })
  if (reply.sw === 0x9000) p.nextBlock += 1
  if ((command.p1 & 0x80) !== 0 && reply.sw === 0x9000) ctx.channel.personalization = null
  return reply
}
