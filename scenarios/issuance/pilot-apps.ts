/**
 * The applications the run publishes and the SPs behind them: 贵阳银行's debit card (a local
 * bank, through the 贵州通 TSM and the wallet app) and CCB's debit card (a national bank, through
 * its own SP-TSM and MTPS). AIDs are twin AIDs under UnionPay's RID; issuer master keys come
 * from the seed (the banks' CMS/HSM would hold them).
 */

import { toHex } from "../../model/bytes/hex.ts"
import { PBOC_AID } from "../../model/card/applets/pboc/pboc-constants.ts"
import type { Crypto } from "../../model/crypto/crypto.ts"
import { seededBytes } from "../../model/host/card-story/seeded-bytes.ts"
import type { IssuerMasterKeys } from "../../model/host/issuer/issuer-keys.ts"
import type { PublishedApp } from "../../model/parties/tsm/order-request.ts"
import type { PlatformTsm } from "../../model/parties/tsm/platform-tsm.ts"

export const GYB_DEBIT: PublishedApp = {
  appId: "gyb-debit",
  spId: "gzt-tsm",
  label: "GYB DEBIT",
  appAid: toHex(PBOC_AID.debit),
  ssdAid: "A00000033353534401",
}

export const CCB_DEBIT: PublishedApp = {
  appId: "ccb-debit",
  spId: "ccb-sp-tsm",
  label: "CCB DEBIT",
  appAid: toHex(PBOC_AID.debit),
  ssdAid: "A00000033353534402",
}

export const BANKS = {
  /** The IMKs a TSM may use, keyed by the SP id it acts for. */
  issuerKeys: (crypto: Crypto, seed: number, tsmId: string): ReadonlyMap<string, IssuerMasterKeys> => {
    const draw = seededBytes(crypto, seed, `imk:${tsmId}`)
    return new Map([[tsmId, { imkAc: draw(16), imkSmi: draw(16), imkSmc: draw(16) }]])
  },
}

export const publishApps = (gzt: PlatformTsm, spTsm: PlatformTsm): void => {
  gzt.publish(GYB_DEBIT)
  spTsm.publish(CCB_DEBIT)
}
