// Proves one PBOC card's life end to end through bytes only: personalization, a qPBOC offline
// e-cash purchase, an online purchase with ARPC, a 圈存 load by issuer script, GET DATA of the new
// balance, an issuer-script block, and SELECT answering 6283 — for both algorithm profiles and
// both crypto layers (the EMV common-key profile on one).
import { describe, expect, it } from "vitest"
import {
  type AlgorithmProfile,
  SM4_PROFILE,
  TDES_EMV,
  TDES_PBOC,
} from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"
import { blockScript } from "../../../../model/host/issuer/issuer-script.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { cardData, personalizedCard } from "../../card/applets/pboc/pboc-fixture.ts"
import { balanceOf, getData, issuer, load, purchase } from "./pboc-flows.ts"

const CASES: ReadonlyArray<[Crypto, AlgorithmProfile]> = [
  [nativeCrypto, TDES_PBOC],
  [referenceCrypto, TDES_PBOC],
  [nativeCrypto, TDES_EMV],
  [nativeCrypto, SM4_PROFILE],
  [referenceCrypto, SM4_PROFILE],
]

describe.each(CASES)("PBOC card end to end", (crypto, profile) => {
  it(`runs offline, online, load and block on ${crypto.name}/${profile.name}`, () => {
    const data = cardData(profile)
    const card = personalizedCard(crypto, data)
    const approve = issuer(crypto, profile, { approve: true, loadFen: null })

    const offline = runTransaction(card, purchase(1_234, "qpboc"), approve)
    expect(offline).toMatchObject({ kind: "approved-offline", atc: 1, balanceAfterFen: 50_000 - 1_234 })
    expect(balanceOf(card, data.aid)).toBe(50_000 - 1_234)

    const online = runTransaction(card, purchase(30_000, "pboc"), approve)
    expect(online).toMatchObject({ kind: "approved-online", atc: 2, scriptSws: [] })
    expect(balanceOf(card, data.aid)).toBe(50_000 - 1_234)

    const loaded = runTransaction(
      card,
      load(20_000),
      issuer(crypto, profile, { approve: true, loadFen: 20_000 }),
    )
    expect(loaded).toMatchObject({ kind: "approved-online", atc: 3, scriptSws: [0x9000] })
    expect(balanceOf(card, data.aid)).toBe(50_000 - 1_234 + 20_000)
    expect(getData(card, data.aid, 0x9f36).value).toEqual(new Uint8Array([0, 3]))

    const blocker = issuer(crypto, profile, {
      approve: true,
      loadFen: null,
      extraScripts: (sk) => [blockScript(crypto, profile, sk, { atc: 4, arqc: lastArqc })],
    })
    // The block script is bound to the ARQC of its own transaction, so the authorizer captures it.
    let lastArqc: Uint8Array = new Uint8Array(8)
    const blocked = runTransaction(card, purchase(100, "pboc"), (request) => {
      lastArqc = request.arqc
      return blocker(request)
    })
    expect(blocked).toMatchObject({ kind: "approved-online", atc: 4, scriptSws: [0x9000] })
    expect(getData(card, data.aid, 0x9f79).selectSw).toBe(0x6283)
    expect(runTransaction(card, purchase(100, "qpboc"), approve)).toEqual({
      kind: "card-blocked",
      sw: 0x6283,
    })
  })
})
