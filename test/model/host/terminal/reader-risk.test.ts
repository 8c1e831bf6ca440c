// Proves the qPBOC reader's risk decisions through bytes, each visible in the outcome's TVR/TSI:
// e-cash over its single-transaction limit or balance goes online (and declines when the issuer
// cannot be reached, leaving the balance); a card on the terminal exception file is declined
// offline and sent online with the bit set when it asks for an ARQC; the floor limit forces
// online; at the contactless transaction limit the reader refuses before GPO.
import { describe, expect, it } from "vitest"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import type { KernelConfig } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { cardData, personalizedCard } from "../../card/applets/pboc/pboc-fixture.ts"
import { balanceOf, getData, issuer, purchase } from "./pboc-flows.ts"

const crypto = nativeCrypto
const data = cardData(TDES_PBOC)
const approve = issuer(crypto, TDES_PBOC, { approve: true, loadFen: null })
const risk = (exceptionFile: ReadonlyArray<string> = []): KernelConfig => ({
  crypto,
  risk: {
    contactlessTransactionLimitFen: 100_000,
    floorLimitFen: 30_000,
    exceptionFile: new Set(exceptionFile),
  },
})

describe("qPBOC reader risk management", () => {
  it("sends e-cash over its single-transaction limit or balance online, and declines it without an issuer", () => {
    const card = personalizedCard(crypto, data)
    // 25,000 fen: over 9F78 (20,000), under the floor limit — the card itself asks for an ARQC.
    expect(runTransaction(card, purchase(25_000, "qpboc"), approve, risk())).toMatchObject({
      kind: "approved-online",
      checks: { tvr: "0000000000", tsi: "0800" },
    })
    expect(runTransaction(card, purchase(25_000, "qpboc"), () => null, risk())).toMatchObject({
      kind: "declined",
      reason: "no-issuer-response",
    })
    expect(balanceOf(card, data.aid)).toBe(50_000)
  })

  it("declines an offline approval of a card on the exception file, and marks its ARQC", () => {
    const card = personalizedCard(crypto, data)
    const listed = risk([data.account.pan])
    expect(runTransaction(card, purchase(1_000, "qpboc"), approve, listed)).toMatchObject({
      kind: "declined",
      reason: "exception-file",
      checks: { tvr: "1000000000", tsi: "0800" },
    })
    expect(runTransaction(card, purchase(25_000, "qpboc"), approve, listed)).toMatchObject({
      kind: "approved-online",
      checks: { tvr: "1000000000" },
    })
    // Another card's PAN on the list changes nothing.
    expect(runTransaction(card, purchase(1_000, "qpboc"), approve, risk(["6230520000000099"]))).toMatchObject(
      {
        kind: "approved-offline",
      },
    )
  })

  it("forces online above the floor limit even when the e-cash limits would allow offline", () => {
    const card = personalizedCard(crypto, cardData(TDES_PBOC, { singleLimitFen: 60_000, balanceFen: 90_000 }))
    expect(runTransaction(card, purchase(35_000, "qpboc"), approve, risk())).toMatchObject({
      kind: "approved-online",
      checks: { tvr: "0000008000" },
    })
    expect(runTransaction(card, purchase(35_000, "qpboc"), approve)).toMatchObject({
      kind: "approved-offline",
    })
  })

  it("refuses at the contactless transaction limit before any GPO", () => {
    const card = personalizedCard(crypto, data)
    expect(runTransaction(card, purchase(100_000, "qpboc"), approve, risk())).toMatchObject({
      kind: "declined",
      reason: "over-contactless-limit",
      atc: null,
    })
    expect(getData(card, data.aid, 0x9f36).value).toEqual(new Uint8Array([0, 0]))
  })
})
