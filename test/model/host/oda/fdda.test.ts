// Proves fDDA end to end through bytes: an RSA and an SM2 card personalized by the issuer with
// scheme-CA-certified keys answer GPO with 9F4B, and the terminal kernel verifies the chain
// (CA key → issuer certificate → ICC certificate over the static data → signed dynamic data),
// setting TSI and TVR; a tampered ICC certificate, issuer certificate or signed record, or a
// missing CA key are caught, and the kernel declines the offline approval or goes online.
import { beforeAll, describe, expect, it } from "vitest"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { PBOC_APPLET } from "../../../../model/card/applets/pboc/pboc-applet.ts"
import { PPSE_NAME } from "../../../../model/card/applets/pboc/pboc-constants.ts"
import type { OdaAlgorithm } from "../../../../model/card/applets/pboc/pboc-oda.ts"
import { PPSE_APPLET } from "../../../../model/card/applets/pboc/ppse-applet.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"
import type { PbocCardData } from "../../../../model/host/issuer/data-preparation.ts"
import { preparePbocDgis, preparePpseDgi } from "../../../../model/host/issuer/data-preparation.ts"
import { type KernelConfig, runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import type { Dgi } from "../../../../model/tlv/dgi.ts"
import { HarnessCard } from "../../card/applets/pboc/applet-harness.ts"
import { cardData, personalizedCard, TEST_IMKS } from "../../card/applets/pboc/pboc-fixture.ts"
import { issuer, purchase } from "../terminal/pboc-flows.ts"
import { type OdaWorld, odaCardData, odaWorld } from "./oda-fixture.ts"

const crypto = nativeCrypto
let world: OdaWorld
let config: KernelConfig
beforeAll(() => {
  world = odaWorld(crypto)
  config = { crypto, caKeys: world.ca.publicKeys }
})

const approve = () => issuer(crypto, TDES_PBOC, { approve: true, loadFen: null })

/** Personalizes with one DGI changed by `tamper` (a planted defect). */
const cardWith = (data: PbocCardData, tamper: (dgi: Dgi) => Dgi): HarnessCard => {
  const card = new HarnessCard(crypto)
  card.install(PPSE_APPLET, PPSE_NAME)
  card.install(PBOC_APPLET, data.aid)
  card.personalize(PPSE_NAME, [preparePpseDgi([{ aid: data.aid, label: data.label, priority: 1 }])])
  const sws = card.personalize(data.aid, preparePbocDgis(crypto, TEST_IMKS, data).map(tamper))
  expect(sws.every((sw) => sw === 0x9000)).toBe(true)
  return card
}

/** Flips one byte `offset` bytes after the tag `tag` inside record DGI `dgi` (a planted defect). */
const flipInside =
  (dgi: number, tag: string, offset = 40) =>
  (d: Dgi): Dgi => {
    if (d.dgi !== dgi) return d
    const text = toHex(d.value)
    const at = text.indexOf(tag) / 2 + tag.length / 2 + offset
    if (text.indexOf(tag) < 0 || at >= d.value.length) throw new Error(`cannot tamper ${tag} in ${dgi}`)
    const value = d.value.slice()
    value[at]! ^= 0x01
    return { dgi: d.dgi, value }
  }

describe.each<OdaAlgorithm>(["rsa", "sm2"])("fDDA with %s keys", (algorithm) => {
  it("approves offline with ODA performed and a clean TVR; the card returns 9F4B", () => {
    const card = personalizedCard(crypto, odaCardData(world, algorithm))
    const outcome = runTransaction(card, purchase(1_000, "qpboc"), approve(), config)
    expect(outcome).toMatchObject({
      kind: "approved-offline",
      checks: { oda: "passed", tvr: "0000000000", tsi: "8000" },
    })
  })

  it("declines the offline approval when the ICC certificate 9F46 was tampered with", () => {
    const card = cardWith(odaCardData(world, algorithm), flipInside(0x0202, "9F46"))
    const outcome = runTransaction(card, purchase(1_000, "qpboc"), approve(), config)
    expect(outcome).toMatchObject({
      kind: "declined",
      reason: "oda-failed",
      checks: { oda: "icc-certificate", tvr: "0800000000", tsi: "8000" },
    })
  })

  it("goes online with DDA failed in the TVR when the card asks for an ARQC", () => {
    const card = cardWith(odaCardData(world, algorithm), flipInside(0x0202, "9F46"))
    // 30,000 fen exceeds the e-cash single limit (20,000), so the card answers with an ARQC.
    const outcome = runTransaction(card, purchase(30_000, "qpboc"), approve(), config)
    expect(outcome).toMatchObject({
      kind: "approved-online",
      checks: { oda: "icc-certificate", tvr: "0800000000" },
    })
  })

  it("catches a changed signed record (track 2) through the ICC certificate hash", () => {
    const card = cardWith(odaCardData(world, algorithm), flipInside(0x0101, "57", 4))
    const outcome = runTransaction(card, purchase(1_000, "qpboc"), approve(), config)
    expect(outcome).toMatchObject({
      kind: "declined",
      reason: "oda-failed",
      checks: { oda: "icc-certificate" },
    })
  })

  it("catches a tampered issuer certificate and a terminal without the CA key", () => {
    const tampered = cardWith(odaCardData(world, algorithm), flipInside(0x0201, "90"))
    expect(runTransaction(tampered, purchase(1_000, "qpboc"), approve(), config)).toMatchObject({
      checks: { oda: "issuer-certificate" },
    })
    const card = personalizedCard(crypto, odaCardData(world, algorithm))
    const without = { crypto, caKeys: world.ca.publicKeys.filter((k) => k.algorithm !== algorithm) }
    expect(runTransaction(card, purchase(1_000, "qpboc"), approve(), without)).toMatchObject({
      kind: "declined",
      checks: { oda: "ca-key-missing" },
    })
  })
})

describe("the ICC private key DGIs", () => {
  it("refuse 8102 before 8101 and malformed keys, and READ RECORD never returns the key record", () => {
    const data = odaCardData(world, "rsa")
    const card = new HarnessCard(crypto)
    card.install(PBOC_APPLET, data.aid)
    const dgis = preparePbocDgis(crypto, TEST_IMKS, data)
    const crt = dgis.find((d) => d.dgi === 0x8102)!
    const first = dgis.find((d) => d.dgi === 0x8101)!
    expect(card.personalize(data.aid, [crt])).toEqual([0x6a80])
    const badAlgorithm = first.value.slice()
    badAlgorithm[0] = 0x02
    expect(card.personalize(data.aid, [{ dgi: 0x8101, value: badAlgorithm }])).toEqual([0x6a80])
    const badPadding = first.value.slice()
    badPadding[badPadding.length - 1] = 0x01
    expect(card.personalize(data.aid, [{ dgi: 0x8101, value: badPadding }])).toEqual([0x6a80])
    const good = personalizedCard(crypto, data)
    const select = good.transmit(hex(`00A4040008${toHex(data.aid)}00`))
    expect(toHex(select.slice(-2))).toBe("9000")
    expect(toHex(good.transmit(hex("00B2010400")))).toBe("6A86")
    expect(toHex(good.transmit(hex("00B2011400")).slice(-2))).toBe("9000")
  })
})

describe("fDDA kernel rules", () => {
  it("declines an offline approval from a card without ODA data, and a non-checking reader does not", () => {
    const card = personalizedCard(crypto, odaCardData(world, "rsa"))
    const plain = personalizedCard(crypto, cardData(TDES_PBOC))
    expect(runTransaction(plain, purchase(1_000, "qpboc"), approve(), config)).toMatchObject({
      kind: "declined",
      reason: "oda-failed",
      checks: { oda: "not-performed", tvr: "8000000000", tsi: "0000" },
    })
    expect(runTransaction(card, purchase(1_000, "qpboc"), approve())).toMatchObject({
      kind: "approved-offline",
    })
  })

  it("verifies an SM2 card on the reference crypto layer too", () => {
    const card = personalizedCard(referenceCrypto, odaCardData(world, "sm2"))
    const outcome = runTransaction(card, purchase(1_000, "qpboc"), approve(), {
      crypto: referenceCrypto,
      caKeys: world.ca.publicKeys,
    })
    expect(outcome).toMatchObject({ kind: "approved-offline", checks: { oda: "passed" } })
  })

  it("keeps RSA and SM2 fDDA cards within the applet's state bound", () => {
    for (const algorithm of ["rsa", "sm2"] as const) {
      const data = odaCardData(world, algorithm)
      const bytes = personalizedCard(crypto, data).stateOf(data.aid).length
      console.log(`PBOC instance with ${algorithm} fDDA: ${bytes} bytes`)
      expect(bytes).toBeLessThanOrEqual(PBOC_APPLET.stateBytesMax)
    }
  })
})
