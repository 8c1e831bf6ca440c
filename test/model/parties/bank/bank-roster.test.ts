// Proves the money banks link to the issuance world's TSMs instead of a second SP-TSM: every bank's
// issuance TSM is an institution of the pilot PKI, local banks issue through the 贵州通 TSM, each
// national bank through its own SP-TSM, and CCB's is the SP-TSM the issuance world runs; BINs are
// distinct and PANs carry a valid Luhn digit.
import { describe, expect, it } from "vitest"
import { PILOT_INSTITUTIONS } from "../../../../model/host/pki/pilot-roster.ts"
import { luhnDigit, PILOT_BANKS, panOf } from "../../../../model/parties/bank/bank-roster.ts"
import { CCB_DEBIT } from "../../../../model/world/issuance/pilot-apps.ts"
import { SP_TSM_ID } from "../../../../model/world/issuance/world.ts"

describe("bank roster", () => {
  it("links each bank to a pilot TSM institution: 贵州通 for local banks, an own SP-TSM for national ones", () => {
    const institutions = new Set(PILOT_INSTITUTIONS.map((i) => i.id))
    const national = PILOT_BANKS.filter((b) => b.scope === "national")
    for (const b of PILOT_BANKS) expect(institutions.has(b.issuanceTsm)).toBe(true)
    for (const b of PILOT_BANKS.filter((b) => b.scope === "local")) expect(b.issuanceTsm).toBe("gzt-tsm")
    expect(new Set(national.map((b) => b.issuanceTsm)).size).toBe(national.length)
    for (const b of national) expect(b.issuanceTsm).toMatch(/-sp-tsm$/)
    const ccb = PILOT_BANKS.find((b) => b.id === "CCB")!
    expect(ccb.issuanceTsm).toBe(SP_TSM_ID)
    expect(ccb.issuanceTsm).toBe(CCB_DEBIT.spId)
  })

  it("gives distinct BINs and Luhn-valid PANs", () => {
    expect(new Set(PILOT_BANKS.map((b) => b.bin)).size).toBe(PILOT_BANKS.length)
    for (const b of PILOT_BANKS) {
      const pan = panOf(b.bin, 12_345)
      expect(pan.startsWith(b.bin)).toBe(true)
      expect(luhnDigit(pan.slice(0, -1))).toBe(Number(pan.slice(-1)))
    }
  })
})
