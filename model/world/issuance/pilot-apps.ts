/**
 * The applications the run publishes and the SPs behind them: 贵阳银行's debit card (a local
 * bank, through the 贵州通 TSM and the wallet app), CCB's debit card (a national bank, through
 * its own SP-TSM and MTPS), 贵州通's transit card and the wallet's "7+N" cloud apps. AIDs are twin
 * AIDs under UnionPay's RID; issuer master keys come from the seed (the banks' CMS/HSM would hold
 * them).
 */

import { toHex } from "../../bytes/hex.ts"
import { PBOC_AID } from "../../card/applets/pboc/pboc-constants.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { seededBytes } from "../../host/card-story/seeded-bytes.ts"
import type { IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"
import type { PublishedApp } from "../../parties/tsm/order-request.ts"
import type { PlatformTsm } from "../../parties/tsm/platform-tsm.ts"

export const GYB_DEBIT: PublishedApp = {
  appId: "gyb-debit",
  spId: "gzt-tsm",
  category: "bank-card",
  bankId: "gyb",
  label: "GYB DEBIT",
  appAid: toHex(PBOC_AID.debit),
  ssdAid: "A00000033353534401",
}

export const CCB_DEBIT: PublishedApp = {
  appId: "ccb-debit",
  spId: "ccb-sp-tsm",
  category: "bank-card",
  bankId: "ccb",
  label: "CCB DEBIT",
  appAid: toHex(PBOC_AID.debit),
  ssdAid: "A00000033353534402",
}

/**
 * The transit card: PBOC pure e-cash (纯电子现金, AID A000000333010106), which transit terminals
 * read offline with qPBOC, under 贵州通's own transit SSD (its operator runs the card scheme).
 */
export const GZT_TRANSIT: PublishedApp = {
  appId: "gzt-transit",
  spId: "gzt-transit",
  category: "transit",
  bankId: "",
  label: "GUIZHOUTONG",
  appAid: "A000000333010106",
  ssdAid: "A00000033353534403",
}

/**
 * The "7+N" cloud apps of the wallet: seven base services and N further ones. The pilot documents
 * list the services (DESIGN.md §1 "Use"), not which seven are the base; this split is the twin's
 * assumption: the seven utilities and self-service finance, then the e-commerce services.
 */
const cloud = (appId: string, spId: string, label: string): PublishedApp => ({
  appId,
  spId,
  category: "cloud",
  bankId: "",
  label,
  appAid: "",
  ssdAid: "",
})

export const SEVEN_PLUS_N: ReadonlyArray<PublishedApp> = [
  cloud("gz-electricity", "gz-power-grid", "省电费"),
  cloud("gy-water", "gy-water", "贵阳水费"),
  cloud("gy-gas", "gy-gas", "贵阳燃气"),
  cloud("gy-digital-tv", "gy-broadcast", "数字电视"),
  cloud("traffic-fines", "gz-traffic-police", "交通罚没"),
  cloud("phone-top-up", "gzt-tsm", "话费充值"),
  cloud("self-service-finance", "gyb", "自助金融"),
  cloud("flights", "gzt-ecommerce", "机票"),
  cloud("lottery", "gz-lottery", "彩票"),
  cloud("cinema", "gzt-ecommerce", "电影"),
  cloud("hotels", "gzt-ecommerce", "酒店"),
  cloud("dining", "gzt-ecommerce", "餐饮"),
  cloud("goods", "gzt-ecommerce", "商品"),
]

/** The SPs each TSM has a contract with: who may publish there. */
export const CONTRACTED_SPS: Readonly<Record<string, ReadonlySet<string>>> = {
  "gzt-tsm": new Set(["gzt-tsm", "gzt-transit", "gyb", ...SEVEN_PLUS_N.map((app) => app.spId)]),
  "ccb-sp-tsm": new Set(["ccb-sp-tsm"]),
}

export const BANKS = {
  /** The IMKs a TSM may use, keyed by the SP id it acts for. */
  issuerKeys: (crypto: Crypto, seed: number, tsmId: string): ReadonlyMap<string, IssuerMasterKeys> => {
    const draw = seededBytes(crypto, seed, `imk:${tsmId}`)
    return new Map([[tsmId, { imkAc: draw(16), imkSmi: draw(16), imkSmc: draw(16) }]])
  },
}

/** Publishes the pilot's catalogue; a refused publication is a bug in this list, not an outcome. */
export const publishApps = (gzt: PlatformTsm, spTsm: PlatformTsm): void => {
  for (const app of [GYB_DEBIT, GZT_TRANSIT, ...SEVEN_PLUS_N])
    if (!gzt.publish(app)) throw new Error(`the pilot catalogue's ${app.appId} was refused`)
  if (!spTsm.publish(CCB_DEBIT)) throw new Error("CCB's debit card was refused")
}
