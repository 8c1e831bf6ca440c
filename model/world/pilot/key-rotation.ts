/**
 * An issuer's key rotation on a byte-level card, over the air (scenario 13): the bank's TSM opens
 * its SSD's secure channel on the current key set, replaces that set by PUT KEY with the next key
 * version (GP 2.3 §11.8: P1 = the old KVN, the new keys DEK-encrypted with their KCVs), proves the
 * new set by opening a fresh session on it, and moves the payment application to new issuer
 * master keys under the next derivation key index (DKI, tag 9F1F's 'key index' of the PBOC
 * profile DGI).
 *
 * Our choice for the application is re-issuance, not re-personalization: PBOC's applet accepts
 * STORE DATA only before it is personalized, and a real issuer cannot overwrite an ICC master
 * key in place either. So the SSD deletes the instance (GP 2.3 §11.2), installs it again and
 * personalizes it with ICC keys derived from the new IMKs, carrying over the e-cash balance the
 * host knows (the balance move of 补卡, done here on the same SE). Afterwards the old key set no
 * longer exists on the card (INITIALIZE UPDATE on the old KVN answers 6A88), and the card's ARQCs
 * verify only under the new IMKs.
 */

import type { CommandApdu } from "../../apdu/command.ts"
import { encodeCommand } from "../../apdu/command.ts"
import { decodeResponse } from "../../apdu/response.ts"
import { PBOC_APPLET } from "../../card/applets/pboc/pboc-applet.ts"
import { DGI } from "../../card/applets/pboc/pboc-constants.ts"
import type { StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { selectSw } from "../../host/card-story/management-steps.ts"
import { seededBytes } from "../../host/card-story/seeded-bytes.ts"
import { BANK_SSD_AID, PBOC_PACKAGE_AID, type StoryContext } from "../../host/card-story/story-context.ts"
import {
  deleteAid,
  type HostKeyType,
  installForInstall,
  installForPersonalization,
  putKey,
  storeDataDgi,
} from "../../host/gp/gp-commands.ts"
import { type GpSession, openSession } from "../../host/gp/gp-session.ts"
import { preparePbocDgis } from "../../host/issuer/data-preparation.ts"
import type { IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"
import { type HeldCard, materialize, putAway } from "./held-card.ts"

/** C-MAC and C-DECRYPTION, as the issuance's sessions (GP 2.3 §10.6). */
const SECURITY_LEVEL_MAC_ENC = 0x03
const KEY_BYTES = 16

export interface RotationOutcome {
  readonly ok: boolean
  readonly detail: string
}

const hostKeyType = (ctx: StoryContext): HostKeyType =>
  ctx.profile.scp.protocol === "SCP02" ? 0x80 : ctx.profile.scp.protocol === "SCP03" ? 0x88 : 0x8a

const hexSw = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, "0")

/** SELECT the bank SSD and open its secure channel on key set `kvn`; a reason when refused. */
export const openBankSsd = (ctx: StoryContext, kvn: number, keys: StaticKeys): GpSession | string => {
  const sw = selectSw(ctx, BANK_SSD_AID)
  if (sw !== 0x9000) return `SELECT SSD answered ${hexSw(sw)}`
  const session = openSession(ctx.crypto, ctx.card.transmit, {
    protocol: ctx.profile.scp.protocol,
    keys,
    kvn,
    level: SECURITY_LEVEL_MAC_ENC,
    hostChallenge: ctx.hostChallenge(8),
  })
  if (session.ok) return session.value
  const e = session.error
  if (e.kind === "status") return `${e.step} answered ${hexSw(e.sw)}`
  return e.kind === "channel" ? `channel: ${e.error}` : e.kind
}

/** Sends each command on the session; the first that does not answer 9000, or null. */
const sendAll = (session: GpSession, commands: ReadonlyArray<CommandApdu>): string | null => {
  for (const c of commands) {
    const r = session.send(c)
    const name = `INS ${c.ins.toString(16).toUpperCase()}`
    if (!r.ok) return `${name}: ${r.error.kind}`
    if (r.value.sw !== 0x9000) return `${name} answered ${hexSw(r.value.sw)}`
  }
  return null
}

/**
 * Rotates the held card's SSD keys (new keys from the card's own seeded stream) and moves its
 * application to the issuer's IMKs of the next DKI (`imksFor`: the bank's own key generation, so
 * its host verifies the card's cryptograms afterwards; absent: keys from the card's stream).
 */
export const rotateHeldCard = (
  crypto: Crypto,
  held: HeldCard,
  imksFor?: (dki: number) => IssuerMasterKeys,
): RotationOutcome => {
  const ctx = materialize(held, crypto)
  const draw = seededBytes(crypto, held.storySeed, `keys/rotation-${held.rotations + 1}`)
  const ssd: StaticKeys = { enc: draw(KEY_BYTES), mac: draw(KEY_BYTES), dek: draw(KEY_BYTES) }
  const drawn = { imkAc: draw(KEY_BYTES), imkSmi: draw(KEY_BYTES), imkSmc: draw(KEY_BYTES) }
  const imks = imksFor?.((held.data.dki + 1) & 0xff) ?? drawn
  const newKvn = held.ssdKvn + 1
  const old = openBankSsd(ctx, held.ssdKvn, held.keys.ssd)
  if (typeof old === "string") return { ok: false, detail: `old-key session: ${old}` }
  const put = putKey(crypto, old.channel.encryptData, hostKeyType(ctx), held.ssdKvn, newKvn, ssd)
  const putFailed = sendAll(old, [put])
  if (putFailed !== null) return { ok: false, detail: `PUT KEY: ${putFailed}` }
  const fresh = openBankSsd(ctx, newKvn, ssd)
  if (typeof fresh === "string") return { ok: false, detail: `new-key session: ${fresh}` }
  const data = { ...held.data, dki: (held.data.dki + 1) & 0xff, balanceFen: held.balanceFen }
  const dgis = preparePbocDgis(crypto, imks, data)
  const stores = dgis.map((d, i) =>
    storeDataDgi(
      i,
      i === dgis.length - 1,
      d.dgi,
      d.value,
      d.dgi === DGI.keys ? fresh.channel.encryptData : undefined,
    ),
  )
  const reissued = sendAll(fresh, [
    deleteAid(data.aid),
    installForInstall({
      loadFileAid: PBOC_PACKAGE_AID,
      moduleAid: PBOC_APPLET.moduleAid,
      aid: data.aid,
      privileges: 0,
    }),
    installForPersonalization(data.aid),
    ...stores,
  ])
  if (reissued !== null) return { ok: false, detail: `application re-issue: ${reissued}` }
  putAway(held, ctx)
  held.keys = { isd: held.keys.isd, ssd, imks }
  held.data = data
  held.ssdKvn = newKvn
  held.rotations++
  return { ok: true, detail: `SSD key set ${newKvn.toString(16)} put, PBOC re-issued under DKI ${data.dki}` }
}

/** The status word INITIALIZE UPDATE gets for key set `kvn` on the bank SSD (6A88 = no such set). */
export const initializeUpdateSw = (ctx: StoryContext, kvn: number): number => {
  selectSw(ctx, BANK_SSD_AID)
  const command = { cla: 0x80, ins: 0x50, p1: kvn, p2: 0x00, data: ctx.hostChallenge(8), le: 256 }
  const r = decodeResponse(ctx.card.transmit(encodeCommand(command)))
  return r.ok ? r.value.sw : -1
}
