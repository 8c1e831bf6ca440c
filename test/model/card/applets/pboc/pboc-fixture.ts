/**
 * A personalized PBOC card (PPSE + debit instance) on the test harness, built through the
 * issuer's data preparation, plus the issuer keys that go with it.
 */
import { hex } from "../../../../../model/bytes/hex.ts"
import type { AlgorithmProfile } from "../../../../../model/card/applets/pboc/algorithm-profile.ts"
import { PBOC_APPLET } from "../../../../../model/card/applets/pboc/pboc-applet.ts"
import { PBOC_AID, PPSE_NAME } from "../../../../../model/card/applets/pboc/pboc-constants.ts"
import { PPSE_APPLET } from "../../../../../model/card/applets/pboc/ppse-applet.ts"
import type { Crypto } from "../../../../../model/crypto/crypto.ts"
import {
  type PbocCardData,
  preparePbocDgis,
  preparePpseDgi,
} from "../../../../../model/host/issuer/data-preparation.ts"
import type { IssuerMasterKeys } from "../../../../../model/host/issuer/issuer-keys.ts"
import { HarnessCard } from "./applet-harness.ts"

export const TEST_IMKS: IssuerMasterKeys = {
  imkAc: hex("0123456789ABCDEFFEDCBA9876543210"),
  imkSmi: hex("23456789ABCDEF0123456789ABCDEF01"),
  imkSmc: hex("456789ABCDEF0123456789ABCDEF0123"),
}

export const cardData = (profile: AlgorithmProfile, overrides: Partial<PbocCardData> = {}): PbocCardData => ({
  profile,
  account: { pan: "6230520000000001", psn: "01" },
  expiryYymm: "2012",
  label: "PBOC DEBIT",
  aid: PBOC_AID.debit,
  dki: 0x01,
  balanceFen: 50_000,
  balanceLimitFen: 100_000,
  singleLimitFen: 20_000,
  resetThresholdFen: 0,
  ...overrides,
})

export const personalizedCard = (
  crypto: Crypto,
  data: PbocCardData,
  imks: IssuerMasterKeys = TEST_IMKS,
): HarnessCard => {
  const card = new HarnessCard(crypto)
  card.install(PPSE_APPLET, PPSE_NAME)
  card.install(PBOC_APPLET, data.aid)
  const ppse = card.personalize(PPSE_NAME, [
    preparePpseDgi([{ aid: data.aid, label: data.label, priority: 1 }]),
  ])
  const app = card.personalize(data.aid, preparePbocDgis(crypto, imks, data))
  if ([...ppse, ...app].some((sw) => sw !== 0x9000))
    throw new Error(`personalization failed: ${[...ppse, ...app]}`)
  return card
}
