/**
 * The card-management half of the story, as the TSMs run it over the air (GP 2.3 Chapter 11;
 * DESIGN.md §1 "OTA issuance"): the telco's ISD creates the bank's SSD with Authorized
 * Management, gives it its keys and loads the PBOC package; the bank's SSD then installs and
 * personalizes PPSE and PBOC on its own secure channel, and at the end deletes the instance.
 * Each step returns whether the card did what the step asked, and a line saying what happened.
 */

import type { CommandApdu } from "../../apdu/command.ts"
import { encodeCommand } from "../../apdu/command.ts"
import { decodeResponse } from "../../apdu/response.ts"
import { toHex } from "../../bytes/hex.ts"
import { PBOC_APPLET } from "../../card/applets/pboc/pboc-applet.ts"
import { DGI, PPSE_NAME } from "../../card/applets/pboc/pboc-constants.ts"
import { PPSE_APPLET } from "../../card/applets/pboc/ppse-applet.ts"
import { loadFileBlock } from "../../card/applets/security-domain/sd-load.ts"
import { SECURITY_DOMAIN_LOAD_FILE_AID, SECURITY_DOMAIN_MODULE_AID } from "../../card/runtime/issuance.ts"
import { Privilege } from "../../card/runtime/registry.ts"
import type { StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import {
  deleteAid,
  type HostKeyType,
  installForInstall,
  installForLoad,
  installForPersonalization,
  loadBlocks,
  putKey,
  storeDataDgi,
} from "../gp/gp-commands.ts"
import { openSession } from "../gp/gp-session.ts"
import { preparePbocDgis, preparePpseDgi } from "../issuer/data-preparation.ts"
import { selectCommand } from "../terminal/card-dialogue.ts"
import { BANK_SSD_AID, ISD_KVN, PBOC_PACKAGE_AID, SSD_KVN, type StoryContext } from "./story-context.ts"

export interface StepResult {
  readonly ok: boolean
  readonly detail: string
}

/** C-MAC and C-DECRYPTION: every command authenticated, sensitive data encrypted (GP 2.3 §10.6). */
const SECURITY_LEVEL_MAC_ENC = 0x03

const hexSw = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, "0")

const keyTypeOf = (ctx: StoryContext): HostKeyType =>
  ctx.profile.scp.protocol === "SCP02" ? 0x80 : ctx.profile.scp.protocol === "SCP03" ? 0x88 : 0x8a

/** SELECT by AID through the recorded card; the status word. */
export const selectSw = (ctx: StoryContext, aid: Uint8Array): number => {
  const r = decodeResponse(ctx.card.transmit(encodeCommand(selectCommand(aid))))
  return r.ok ? r.value.sw : -1
}

/** Keeps each wrapped command's plaintext under the index its exchange will have in the trace. */
const plainObserver = (ctx: StoryContext) => {
  const kept = ctx.plainCommands
  if (kept === null) return {}
  return {
    observePlain: (plain: CommandApdu) => kept.set(ctx.card.exchanges().length, encodeCommand(plain)),
  }
}

/** SELECT the domain and open its secure channel; the session replaces the context's. */
export const openDomain = (ctx: StoryContext, aid: Uint8Array, kvn: number, keys: StaticKeys): StepResult => {
  const sw = selectSw(ctx, aid)
  if (sw !== 0x9000) return { ok: false, detail: `SELECT ${toHex(aid)} answered ${hexSw(sw)}` }
  const session = openSession(ctx.crypto, ctx.card.transmit, {
    protocol: ctx.profile.scp.protocol,
    keys,
    kvn,
    level: SECURITY_LEVEL_MAC_ENC,
    hostChallenge: ctx.hostChallenge(8),
    ...plainObserver(ctx),
  })
  if (!session.ok) {
    ctx.session = null
    const e = session.error
    return { ok: false, detail: e.kind === "status" ? `${e.step} answered ${hexSw(e.sw)}` : e.kind }
  }
  ctx.session = session.value
  return {
    ok: true,
    detail: `${ctx.profile.scp.protocol} session on ${toHex(aid)} (KVN ${kvn.toString(16)})`,
  }
}

/** Sends the commands on the open session, stopping at the first that does not answer 9000. */
export const sendAll = (
  ctx: StoryContext,
  commands: ReadonlyArray<CommandApdu>,
  detail: string,
): StepResult => {
  const session = ctx.session
  if (session === null) return { ok: false, detail: "no secure channel session is open" }
  for (const c of commands) {
    const r = session.send(c)
    if (!r.ok) return { ok: false, detail: `INS ${c.ins.toString(16).toUpperCase()}: ${r.error.kind}` }
    if (r.value.sw !== 0x9000)
      return { ok: false, detail: `INS ${c.ins.toString(16).toUpperCase()} answered ${hexSw(r.value.sw)}` }
  }
  return { ok: true, detail }
}

export const openIsd = (ctx: StoryContext): StepResult =>
  openDomain(ctx, ctx.profile.isdAid, ISD_KVN, ctx.keys.isd)

export const createSsd = (ctx: StoryContext): StepResult =>
  sendAll(
    ctx,
    [
      installForInstall({
        loadFileAid: SECURITY_DOMAIN_LOAD_FILE_AID,
        moduleAid: SECURITY_DOMAIN_MODULE_AID,
        aid: BANK_SSD_AID,
        privileges: Privilege.SECURITY_DOMAIN | Privilege.AUTHORIZED_MANAGEMENT,
      }),
      installForPersonalization(BANK_SSD_AID),
    ],
    `SSD ${toHex(BANK_SSD_AID)} installed with Security Domain + Authorized Management`,
  )

/** PUT KEY through the ISD after INSTALL [for personalization] of the SSD (GP 2.3 §7.3.2). */
export const putSsdKeys = (ctx: StoryContext): StepResult => {
  const session = ctx.session
  if (session === null) return { ok: false, detail: "no secure channel session is open" }
  const command = putKey(ctx.crypto, session.channel.encryptData, keyTypeOf(ctx), 0x00, SSD_KVN, ctx.keys.ssd)
  return sendAll(
    ctx,
    [command],
    `key set ${SSD_KVN.toString(16)} (ENC, MAC, DEK) put, DEK-encrypted with KCVs`,
  )
}

export const loadPbocPackage = (ctx: StoryContext): StepResult => {
  const blocks = loadBlocks(loadFileBlock(STORY_CLASS_NAMES, PBOC_PACKAGE_AID))
  return sendAll(
    ctx,
    [installForLoad(PBOC_PACKAGE_AID), ...blocks],
    `load file ${toHex(PBOC_PACKAGE_AID)} loaded in ${blocks.length} LOAD block(s)`,
  )
}

const STORY_CLASS_NAMES = [PBOC_APPLET.name, PPSE_APPLET.name]

export const openSsd = (ctx: StoryContext): StepResult => openDomain(ctx, BANK_SSD_AID, SSD_KVN, ctx.keys.ssd)

export const installPayment = (ctx: StoryContext): StepResult =>
  sendAll(
    ctx,
    [
      [PPSE_APPLET.moduleAid, PPSE_NAME],
      [PBOC_APPLET.moduleAid, ctx.data.aid],
    ].map(([moduleAid, aid]) =>
      installForInstall({ loadFileAid: PBOC_PACKAGE_AID, moduleAid: moduleAid!, aid: aid!, privileges: 0 }),
    ),
    `PPSE and PBOC ${toHex(ctx.data.aid)} installed under the SSD`,
  )

/** The DGIs that travel DEK-encrypted: ICC master keys, the ODA private key and the offline PIN. */
export const isSecretDgi = (dgi: number): boolean =>
  dgi === DGI.keys || dgi === DGI.iccPrivateKey || dgi === DGI.iccPrivateKeyCrt || dgi === DGI.offlinePin

/**
 * The bank's data preparation turned into STORE DATA, with the ICC master keys (DGI 8000) and the
 * ODA private key (8101/8102) encrypted under the DEK.
 */
export const personalize = (ctx: StoryContext): StepResult => {
  const session = ctx.session
  if (session === null) return { ok: false, detail: "no secure channel session is open" }
  const ppse = preparePpseDgi([{ aid: ctx.data.aid, label: ctx.data.label, priority: 1 }])
  const dgis = preparePbocDgis(ctx.crypto, ctx.keys.imks, ctx.data)
  const stores = dgis.map((d, i) => {
    const encrypt = isSecretDgi(d.dgi) ? session.channel.encryptData : undefined
    return storeDataDgi(i, i === dgis.length - 1, d.dgi, d.value, encrypt)
  })
  return sendAll(
    ctx,
    [
      installForPersonalization(PPSE_NAME),
      storeDataDgi(0, true, ppse.dgi, ppse.value),
      installForPersonalization(ctx.data.aid),
      ...stores,
    ],
    `PPSE 1 DGI, PBOC ${dgis.length} DGIs (${dgis.map((d) => d.dgi.toString(16).toUpperCase().padStart(4, "0")).join(" ")}; ${dgis
      .filter((d) => isSecretDgi(d.dgi))
      .map((d) => d.dgi.toString(16).toUpperCase())
      .join(" ")} encrypted)`,
  )
}

/** DELETE of the PBOC instance by the SSD that owns it (GP 2.3 §11.2), then SELECT finds nothing. */
export const deleteInstance = (ctx: StoryContext): StepResult => {
  const opened = openSsd(ctx)
  if (!opened.ok) return opened
  const deleted = sendAll(ctx, [deleteAid(ctx.data.aid)], "")
  if (!deleted.ok) return deleted
  const sw = selectSw(ctx, ctx.data.aid)
  return sw === 0x6a82
    ? { ok: true, detail: `instance ${toHex(ctx.data.aid)} deleted; SELECT now answers 6A82` }
    : { ok: false, detail: `SELECT after DELETE answered ${hexSw(sw)}` }
}
