/**
 * INITIALIZE UPDATE and EXTERNAL AUTHENTICATE on the card side (GP 2.3 §11.13-§11.14 with
 * Annex E for SCP02, Amd D §7.1 for SCP03 and the twin's SM4 profile).
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { uintToBytes } from "../../../bytes/bytes.ts"
import { closeSession } from "../../runtime/channel-state.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import {
  initializeScp02Card,
  SCP02_I_PSEUDO_RANDOM,
  SCP02_LEVELS,
  scp02CardChallenge,
} from "../../secure-channel/scp02.ts"
import { initializeScp03Card } from "../../secure-channel/scp03.ts"
import { SCP03_LEVELS, scp03CardChallenge } from "../../secure-channel/scp03-session.ts"
import type { SdContext } from "./sd-context.ts"

/** Key diversification data (10 bytes): the twin uses the CPLC chip id ‖ serial ‖ 00 00. */
const kddOf = (ctx: SdContext): Uint8Array => {
  const kdd = new Uint8Array(10)
  kdd.set(ctx.profile.cplcChip.subarray(0, 4), 0)
  kdd.set(ctx.state.serial, 4)
  return kdd
}

export const initializeUpdate = (ctx: SdContext, command: CommandApdu): Reply => {
  if (command.p2 !== 0x00) return fail("incorrect-p1p2")
  if (command.data.length !== 8) return fail("wrong-length")
  closeSession(ctx.channel)
  const keySet = command.p1 === 0 ? ctx.sd.keySets[0] : ctx.sd.keySets.find((k) => k.kvn === command.p1)
  if (keySet === undefined) return fail("referenced-data-not-found")
  const scp = ctx.profile.scp
  const counterMax = scp.protocol === "SCP02" ? 0xffff : 0xffffff
  if (ctx.sd.sequenceCounter >= counterMax) return fail("conditions-not-satisfied")
  // The counter advances at every INITIALIZE UPDATE, so no two sessions share session keys or
  // (SCP03 pseudo-random mode) card challenges, and a recorded session cannot be replayed.
  const counter = ctx.sd.sequenceCounter
  ctx.sd.sequenceCounter = counter + 1
  ctx.markDirty()
  const common = { keys: keySet, kvn: keySet.kvn, kdd: kddOf(ctx), hostChallenge: command.data }
  if (scp.protocol === "SCP02") {
    const seq = uintToBytes(counter, 2)
    const cardChallenge =
      (scp.i & SCP02_I_PSEUDO_RANDOM) !== 0
        ? scp02CardChallenge(ctx.crypto, keySet, seq, ctx.sd.aid)
        : ctx.entropy(6)
    ctx.channel.pending = initializeScp02Card(ctx.crypto, { ...common, seq, cardChallenge })
  } else {
    const cipher = scp.protocol === "SCP03" ? "AES" : "SM4"
    const seq = uintToBytes(counter, 3)
    const cardChallenge =
      (scp.i & 0x10) !== 0
        ? scp03CardChallenge(ctx.crypto, cipher, keySet.enc, seq, ctx.sd.aid)
        : ctx.entropy(8)
    ctx.channel.pending = initializeScp03Card(ctx.crypto, { ...common, cipher, i: scp.i, seq, cardChallenge })
  }
  ctx.channel.secureSdId = ctx.sd.id
  return done(ctx.channel.pending.response)
}

export const externalAuthenticate = (ctx: SdContext, command: CommandApdu): Reply => {
  const pending = ctx.channel.pending
  if (pending === null || ctx.channel.secureSdId !== ctx.sd.id) return fail("conditions-not-satisfied")
  const levels = pending.protocol === "SCP02" ? SCP02_LEVELS : SCP03_LEVELS
  ctx.channel.pending = null
  if (!levels.has(command.p1) || command.p2 !== 0x00) return fail("incorrect-p1p2")
  const opened = pending.externalAuthenticate(command)
  if (!opened.ok) {
    closeSession(ctx.channel)
    return fail(opened.error === "length" ? "wrong-length" : "security-status")
  }
  ctx.channel.secure = opened.value
  ctx.channel.secureSdId = ctx.sd.id
  return done()
}
