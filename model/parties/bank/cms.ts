/**
 * The bank's card management system (CMS): it prepares one card's personalization data (PAN,
 * PSN, e-cash limits, the bank's master keys → the card's ICC keys) and has it written onto a
 * fresh NFC-SIM through the same GP steps as the card story (ISD creates the bank SSD, loads and
 * installs PBOC, STORE DATA under the SSD's secure channel). The card's e-cash limits follow the
 * PBOC rule of at most 1,000 yuan on e-cash (CALIBRATION.md §2.3, zhaokaoti, M–H).
 */
import { TDES_PBOC } from "../../card/applets/pboc/algorithm-profile.ts"
import { PBOC_AID } from "../../card/applets/pboc/pboc-constants.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { STORY_STEPS } from "../../host/card-story/card-story.ts"
import type { RecordingCard } from "../../host/card-story/recording-card.ts"
import { newStoryContext, type StoryContext } from "../../host/card-story/story-context.ts"
import type { CardAccount, IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"

/** PBOC e-cash cap (9F77): 1,000 yuan. */
export const ECASH_LIMIT_FEN = 100_000
/** E-cash single-transaction limit (9F78) the twin's banks personalize: 200 yuan (assumption). */
export const ECASH_SINGLE_LIMIT_FEN = 20_000

export interface CardOrder {
  readonly seed: number
  readonly account: CardAccount
  readonly imks: IssuerMasterKeys
  readonly ecashFen: number
}

const LAST_STEP = STORY_STEPS.findIndex((s) => s.name === "personalize")

/** Personalizes a fresh card; a failed step is a programmer error (the steps are the twin's own). */
export const personalizeCard = (crypto: Crypto, order: CardOrder): RecordingCard => {
  const base = newStoryContext({ seed: order.seed, crypto, record: false })
  const ctx: StoryContext = {
    ...base,
    keys: { ...base.keys, imks: order.imks },
    data: {
      profile: TDES_PBOC,
      account: order.account,
      expiryYymm: "2012",
      label: "PBOC DEBIT",
      aid: PBOC_AID.debit,
      dki: 0x01,
      balanceFen: order.ecashFen,
      balanceLimitFen: ECASH_LIMIT_FEN,
      singleLimitFen: ECASH_SINGLE_LIMIT_FEN,
      resetThresholdFen: 0,
    },
  }
  for (const step of STORY_STEPS.slice(0, LAST_STEP + 1)) {
    const result = step.run(ctx)
    if (!result.ok) throw new Error(`personalization of ${order.account.pan}: ${step.name}: ${result.detail}`)
  }
  return ctx.card
}
