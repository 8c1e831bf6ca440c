/**
 * The transit half of the story (issue 16 item 5): 贵州通 issues its transit application onto the
 * card beside the bank's, and a bus validator charges a fare, uploads its day and the operator
 * clears it with the bank.
 *
 * Issuance, as the pilot's 贵州通 TSM runs it for both service providers: through the telco's ISD
 * it creates 贵州通's own transit SSD with Authorized Management and puts its keys; on that SSD's
 * channel it installs a second instance of the PBOC applet (from the package already on the card)
 * under the transit AID and personalizes it; then, on the bank SSD's channel that owns the PPSE,
 * it rewrites the PPSE to list both applications with their priorities (bank 1, transit 2).
 */
import { toHex } from "../../bytes/hex.ts"
import { PBOC_APPLET } from "../../card/applets/pboc/pboc-applet.ts"
import { PPSE_NAME } from "../../card/applets/pboc/pboc-constants.ts"
import { SECURITY_DOMAIN_LOAD_FILE_AID, SECURITY_DOMAIN_MODULE_AID } from "../../card/runtime/issuance.ts"
import { Privilege } from "../../card/runtime/registry.ts"
import { installForInstall, installForPersonalization, putKey, storeDataDgi } from "../gp/gp-commands.ts"
import { verifyArqc } from "../issuer/authorization.ts"
import { preparePbocDgis, preparePpseDgi } from "../issuer/data-preparation.ts"
import { deriveIccMasterKeys } from "../issuer/issuer-keys.ts"
import { encodeTransitBatch, parseTransitBatch } from "../transit/transit-batch.ts"
import { ppseEntries } from "../transit/transit-card.ts"
import { TransitReader } from "../transit/transit-reader.ts"
import { evidenceOf, type TransitRecord } from "../transit/transit-record.ts"
import { isSecretDgi, openDomain, type StepResult, sendAll } from "./management-steps.ts"
import { BANK_SSD_AID, ISD_KVN, PBOC_PACKAGE_AID, SSD_KVN, type StoryContext } from "./story-context.ts"

/** 贵州通's transit SSD (pilot-apps.ts GZT_TRANSIT). */
export const TRANSIT_SSD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x33, 0x53, 0x53, 0x44, 0x03)
/** The story's bus: an air-conditioned line at 2 yuan (fare-table.ts). */
export const STORY_ROUTE = { id: "bus 2", kind: "bus-air-conditioned" } as const

const keyTypeOf = (ctx: StoryContext) =>
  ctx.profile.scp.protocol === "SCP02" ? 0x80 : ctx.profile.scp.protocol === "SCP03" ? 0x88 : 0x8a

/** Through the ISD: the transit SSD with Authorized Management, and its key set. */
const createTransitSsd = (ctx: StoryContext): StepResult => {
  const keys = ctx.keys.transitSsd
  if (keys === undefined) return { ok: false, detail: "no transit SSD keys in this context" }
  const opened = openDomain(ctx, ctx.profile.isdAid, ISD_KVN, ctx.keys.isd)
  if (!opened.ok || ctx.session === null) return opened
  const session = ctx.session
  return sendAll(
    ctx,
    [
      installForInstall({
        loadFileAid: SECURITY_DOMAIN_LOAD_FILE_AID,
        moduleAid: SECURITY_DOMAIN_MODULE_AID,
        aid: TRANSIT_SSD_AID,
        privileges: Privilege.SECURITY_DOMAIN | Privilege.AUTHORIZED_MANAGEMENT,
      }),
      installForPersonalization(TRANSIT_SSD_AID),
      putKey(ctx.crypto, session.channel.encryptData, keyTypeOf(ctx), 0x00, SSD_KVN, keys),
    ],
    "",
  )
}

/** On the transit SSD: install and personalize the transit instance. */
const installTransit = (ctx: StoryContext): StepResult => {
  const transit = ctx.transit!
  const opened = openDomain(ctx, TRANSIT_SSD_AID, SSD_KVN, ctx.keys.transitSsd!)
  if (!opened.ok || ctx.session === null) return opened
  const session = ctx.session
  const dgis = preparePbocDgis(ctx.crypto, ctx.keys.imks, transit)
  const stores = dgis.map((d, i) =>
    storeDataDgi(
      i,
      i === dgis.length - 1,
      d.dgi,
      d.value,
      isSecretDgi(d.dgi) ? session.channel.encryptData : undefined,
    ),
  )
  return sendAll(
    ctx,
    [
      installForInstall({
        loadFileAid: PBOC_PACKAGE_AID,
        moduleAid: PBOC_APPLET.moduleAid,
        aid: transit.aid,
        privileges: 0,
      }),
      installForPersonalization(transit.aid),
      ...stores,
    ],
    "",
  )
}

export const issueTransit = (ctx: StoryContext): StepResult => {
  const transit = ctx.transit
  if (transit === undefined) return { ok: false, detail: "no transit application in this context" }
  for (const part of [createTransitSsd, installTransit]) {
    const done = part(ctx)
    if (!done.ok) return done
  }
  const opened = openDomain(ctx, BANK_SSD_AID, SSD_KVN, ctx.keys.ssd)
  if (!opened.ok) return opened
  const ppse = preparePpseDgi(ppseEntries(ctx.data, transit))
  const updated = sendAll(
    ctx,
    [installForPersonalization(PPSE_NAME), storeDataDgi(0, true, ppse.dgi, ppse.value)],
    "",
  )
  if (!updated.ok) return updated
  return {
    ok: true,
    detail: `SSD ${toHex(TRANSIT_SSD_AID)} created, ${transit.label} ${toHex(transit.aid)} installed and personalized; PPSE lists ${toHex(ctx.data.aid)} (priority 1) and ${toHex(transit.aid)} (priority 2)`,
  }
}

/**
 * A boarding on the story's bus: the validator selects the transit application, charges the fare
 * offline (with fDDA when the story has ODA); at the end of the day it uploads its batch and the
 * operator clears it with the bank, which checks the TC with its own keys.
 */
export const transitFare = (ctx: StoryContext): StepResult => {
  const transit = ctx.transit
  if (transit === undefined) return { ok: false, detail: "no transit application in this context" }
  const reader = new TransitReader({
    readerId: "gzt-bus-2-07",
    route: STORY_ROUTE,
    crypto: ctx.crypto,
    ...(ctx.kernel?.caKeys === undefined ? {} : { caKeys: ctx.kernel.caKeys }),
    blacklist: new Set(),
  })
  const o = reader.tap(ctx.card, { dateYymmdd: "150801", unpredictableNumber: ctx.unpredictableNumber(4) })
  if (o.kind !== "paid") return { ok: false, detail: `fare refused (${o.reason}): ${o.detail}` }
  const batch = encodeTransitBatch(ctx.crypto, {
    readerId: "gzt-bus-2-07",
    dateYymmdd: "150801",
    records: reader.closeDay(),
  })
  // The operator reads the uploaded file back; the bank checks the TC of the fare it carries.
  const uploaded = parseTransitBatch(ctx.crypto, batch)
  const tcOk =
    uploaded.ok && uploaded.value.records.length === 1 && verifyTcOfBatch(ctx, uploaded.value.records[0]!)
  return {
    ok: tcOk && o.balanceAfterFen === transit.balanceFen - o.fareFen,
    detail: `fare ${o.fareFen} fen on ${STORY_ROUTE.id} paid offline from ${transit.label}, ATC ${o.record.atc}, transit balance ${o.balanceAfterFen} fen; batch of ${batch.split("\n").length - 2} fare(s) uploaded, TC ${tcOk ? "verified" : "NOT verified"} by the issuer in clearing`,
  }
}

/** The bank's check of the fare's TC as clearing runs it (tc-verifier.ts), from the batch record. */
const verifyTcOfBatch = (ctx: StoryContext, record: TransitRecord): boolean => {
  const evidence = evidenceOf(record)
  const keys = deriveIccMasterKeys(ctx.crypto, ctx.algorithm, ctx.keys.imks, evidence)
  return verifyArqc(ctx.crypto, ctx.algorithm, keys.mkAc, { ...evidence, arqc: evidence.tc }).ok
}
