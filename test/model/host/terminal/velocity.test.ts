// Proves velocity checking of consecutive offline transactions through bytes: the reader reads
// LCOL/UCOL and the counters by GET DATA before GPO, marks a new card and LCOL/UCOL in the TVR and
// demands online past LCOL (an offline-only reader is refused past UCOL); the card's own check
// goes online at UCOL with CVR byte 3 b6 even at a reader that does not check; an
// issuer-authenticated online transaction resets the count; a card without limits is not checked.
import { describe, expect, it } from "vitest"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { cvrOfIad } from "../../../../model/card/applets/pboc/cryptogram-input.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import type { OnlineRequest } from "../../../../model/host/terminal/online-authorizer.ts"
import { type KernelConfig, runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { cardData, personalizedCard } from "../../card/applets/pboc/pboc-fixture.ts"
import { issuer, purchase } from "./pboc-flows.ts"

const crypto = nativeCrypto
const data = cardData(TDES_PBOC, { velocity: { lcol: 2, ucol: 4 } })
const checking: KernelConfig = {
  crypto,
  risk: {
    contactlessTransactionLimitFen: 100_000,
    floorLimitFen: 90_000,
    exceptionFile: new Set(),
    checkVelocity: true,
  },
}
const seen: OnlineRequest[] = []
const approve = (request: OnlineRequest) => {
  seen.push(request)
  return issuer(crypto, TDES_PBOC, { approve: true, loadFen: null })(request)
}
const velocityBitInCvr = () => ((cvrOfIad(seen.at(-1)!.iad)?.[2] ?? 0) & 0x20) !== 0

describe("velocity checking (LCOL/UCOL)", () => {
  it("marks a new card, then LCOL, and sends the card online past LCOL at a checking reader", () => {
    const card = personalizedCard(crypto, data)
    for (let i = 0; i < 3; i++)
      expect(runTransaction(card, purchase(100, "qpboc"), approve, checking)).toMatchObject({
        kind: "approved-offline",
        checks: { tvr: "0008000000" },
      })
    // ATC 3 − last online 0 = 3 > LCOL 2: online demanded, the card answers an ARQC.
    expect(runTransaction(card, purchase(100, "qpboc"), approve, checking)).toMatchObject({
      kind: "approved-online",
      checks: { tvr: "0008004000" },
    })
    expect(velocityBitInCvr()).toBe(false)
  })

  it("lets the card itself go online at UCOL, with the CVR bit, at a reader that does not check", () => {
    const card = personalizedCard(crypto, data)
    for (let i = 0; i < 4; i++)
      expect(runTransaction(card, purchase(100, "qpboc"), approve).kind).toBe("approved-offline")
    expect(runTransaction(card, purchase(100, "qpboc"), approve)).toMatchObject({ kind: "approved-online" })
    expect(velocityBitInCvr()).toBe(true)
  })

  it("refuses past UCOL at an offline-only reader, and an issuer-authenticated online transaction resets the count", () => {
    const card = personalizedCard(crypto, data)
    // Four offline, then the card's own UCOL check sends the fifth online (no issuer authentication on qPBOC).
    for (let i = 0; i < 5; i++) runTransaction(card, purchase(100, "qpboc"), approve)
    // ATC 5 − 0 > UCOL 4: the terminal marks both limits; the card answers AAC at an offline-only reader.
    const offlineOnly = { ...purchase(100, "qpboc"), offlineOnly: true }
    expect(runTransaction(card, offlineOnly, approve, checking)).toMatchObject({
      kind: "declined",
      reason: "card-aac",
      checks: { tvr: "0008006000" },
    })
    // The standard path: ARPC checked by the card, 9F13 = this ATC.
    expect(runTransaction(card, purchase(100, "pboc"), approve)).toMatchObject({ kind: "approved-online" })
    expect(runTransaction(card, purchase(100, "qpboc"), approve, checking)).toMatchObject({
      kind: "approved-offline",
      checks: { tvr: "0000000000" },
    })
  })

  it("does not check a card personalized without limits (GET DATA 9F14 answers 6A88)", () => {
    const card = personalizedCard(crypto, cardData(TDES_PBOC))
    for (let i = 0; i < 8; i++)
      expect(runTransaction(card, purchase(100, "qpboc"), approve, checking)).toMatchObject({
        kind: "approved-offline",
        checks: { tvr: "0000000000" },
      })
  })
})
