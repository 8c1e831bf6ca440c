/**
 * The built-in security domain (ISD and SSDs; GP 2.3 §7 and Chapter 11): the secure-messaging
 * gate and the dispatch of card-management commands. Every command on a domain with an open
 * C-MAC session is unwrapped first; a failed check closes the session (GP 2.3 §10.2.3) and answers
 * 6982 (MAC) or 6988 (malformed secure messaging). Responses are wrapped while the session is open.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { closeSession } from "../../runtime/channel-state.ts"
import { fail, type Reply } from "../../runtime/outcome.ts"
import { CardLifeCycle } from "../../runtime/registry.ts"
import { CLA_SECURE_MESSAGING } from "../../secure-channel/secure-channel.ts"
import type { SdContext } from "./sd-context.ts"
import { deleteObject } from "./sd-delete.ts"
import { getData } from "./sd-get-data.ts"
import { getStatus } from "./sd-get-status.ts"
import { install } from "./sd-install.ts"
import { load } from "./sd-load.ts"
import { putKey } from "./sd-put-key.ts"
import { beginRmacSession, endRmacSession } from "./sd-rmac-session.ts"
import { externalAuthenticate, initializeUpdate } from "./sd-session.ts"
import { setStatus } from "./sd-set-status.ts"
import { storeData } from "./sd-store-data.ts"

const INS = {
  INITIALIZE_UPDATE: 0x50,
  EXTERNAL_AUTHENTICATE: 0x82,
  GET_DATA: 0xca,
  GET_DATA_ODD: 0xcb,
} as const

type Handler = (ctx: SdContext, command: CommandApdu) => Reply

/** Card-management commands, all of which need an authenticated session (GP 2.3 §11.1.3). */
const MANAGEMENT: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [0xe6, install],
  [0xe8, load],
  [0xd8, putKey],
  [0xe2, storeData],
  [0xe4, deleteObject],
  [0xf0, setStatus],
  [0xf2, getStatus],
  [0x7a, beginRmacSession],
  [0x78, endRmacSession],
])

export const processSecurityDomain = (ctx: SdContext, command: CommandApdu): Reply => {
  if (command.ins === INS.INITIALIZE_UPDATE) {
    if (command.cla !== 0x80) return fail("cla-not-supported")
    return initializeUpdate(ctx, command)
  }
  if (command.ins === INS.EXTERNAL_AUTHENTICATE) {
    if (command.cla !== 0x84) return fail("cla-not-supported")
    return externalAuthenticate(ctx, command)
  }
  const secure = ctx.channel.secureSdId === ctx.sd.id ? ctx.channel.secure : null
  let plain = command
  if (secure !== null) {
    const unwrapped = secure.unwrap(command)
    if (!unwrapped.ok) {
      closeSession(ctx.channel)
      return fail(
        unwrapped.error === "mac" || unwrapped.error === "no-session" ? "security-status" : "sm-data",
      )
    }
    plain = unwrapped.value
  } else if ((command.cla & CLA_SECURE_MESSAGING) !== 0) {
    return fail("security-status")
  }
  const reply = dispatch(ctx, plain, secure !== null)
  const stillOpen = ctx.channel.secure === secure && secure !== null
  return stillOpen ? secure.wrap(reply) : reply
}

const dispatch = (ctx: SdContext, command: CommandApdu, authenticated: boolean): Reply => {
  if (command.ins === INS.GET_DATA || command.ins === INS.GET_DATA_ODD) return getData(ctx, command)
  const handler = MANAGEMENT.get(command.ins)
  if (handler === undefined) return fail("ins-not-supported")
  if ((command.cla & 0x80) === 0) return fail("cla-not-supported")
  if (!authenticated) return fail("security-status")
  if (ctx.state.lifeCycle === CardLifeCycle.TERMINATED) return fail("conditions-not-satisfied")
  return handler(ctx, command)
}
