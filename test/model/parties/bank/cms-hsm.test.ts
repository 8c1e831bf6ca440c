// Proves the CMS's HSM capacity bounds personalization: a burst of card orders drains at the HSM
// count's rate, so doubling the HSMs halves the backlog (exactly, with fixed command times), for
// any burst size and HSM count; and in the money world the cards wait for their data.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import {
  CMS_HSM_COMMANDS_PER_CARD,
  CMS_HSM_SYMMETRIC_US,
  CmsHsm,
} from "../../../../model/parties/bank/cms-hsm.ts"
import { runMoney } from "../../../../model/world/money/money-run.ts"
import { ServerPool } from "../../../../model/world/pilot/server-pool.ts"

const backlogUs = (hsms: number, cards: number): number => {
  const cms = new CmsHsm("GYB", new ServerPool("GYB.cms-hsm", hsms))
  for (let i = 0; i < cards; i++) expect(cms.order(0)).toBeGreaterThan(0)
  expect(cms.cards).toBe(cards)
  return cms.lastReadyUs
}

describe("CMS HSM capacity", () => {
  it("doubling HSMs halves the personalization backlog time for a burst", () => {
    const cardUs = CMS_HSM_COMMANDS_PER_CARD * CMS_HSM_SYMMETRIC_US
    // 10,000 cards on one HSM: 10,000 card-times; on two, half; on four, a quarter.
    expect(backlogUs(1, 10_000)).toBe(10_000 * cardUs)
    expect(backlogUs(2, 10_000)).toBe(backlogUs(1, 10_000) / 2)
    expect(backlogUs(4, 10_000)).toBe(backlogUs(2, 10_000) / 2)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40 }), (hsms, batches) => {
        const cards = 2 * hsms * batches
        expect(backlogUs(2 * hsms, cards) * 2).toBe(backlogUs(hsms, cards))
      }),
      { numRuns: 50 },
    )
  })

  it("in the money world, the issuance burst's backlog halves with twice the CMS HSMs", () => {
    const go = (cmsHsmCount: number) =>
      runMoney({ seed: 3, crypto: nativeCrypto, transactions: 10, cardsPerBank: 4, days: 1, cmsHsmCount })
    const one = go(1)
    const two = go(2)
    expect(one.personalizationBacklogUs).toBe(4 * CMS_HSM_COMMANDS_PER_CARD * CMS_HSM_SYMMETRIC_US)
    expect(two.personalizationBacklogUs * 2).toBe(one.personalizationBacklogUs)
    expect(one.audit.violations).toEqual([])
  })
})
