// Proves the PBOC applet's command handling on its own: the card-side cryptogram code reproduces
// the published ARQC vectors, personalization fits the state budget, and malformed or out-of-order
// commands get the documented status words without changing the balance or the ATC.
import { describe, expect, it } from "vitest"
import { encodeCommand } from "../../../../../model/apdu/command.ts"
import { hex, toHex } from "../../../../../model/bytes/hex.ts"
import { unwrap } from "../../../../../model/bytes/result.ts"
import { TDES_EMV, TDES_PBOC } from "../../../../../model/card/applets/pboc/algorithm-profile.ts"
import { cryptogramInput } from "../../../../../model/card/applets/pboc/cryptogram-input.ts"
import { PBOC_APPLET } from "../../../../../model/card/applets/pboc/pboc-applet.ts"
import { PBOC_STATE_BYTES_MAX } from "../../../../../model/card/applets/pboc/pboc-image.ts"
import { applicationCryptogram } from "../../../../../model/crypto/emv-keys.ts"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../../model/crypto/reference-crypto.ts"
import { PBOC_AIP, preparePbocDgis } from "../../../../../model/host/issuer/data-preparation.ts"
import { deriveIccMasterKeys } from "../../../../../model/host/issuer/issuer-keys.ts"
import { putAmountScript, smiSessionKey } from "../../../../../model/host/issuer/issuer-script.ts"
import { decodeTlv, findTag } from "../../../../../model/tlv/ber-tlv.ts"
import { arqcVectors, vectorAtc, vectorSessionKey } from "../../../host/issuer/pboc-vectors.ts"
import { HarnessCard } from "./applet-harness.ts"
import { cardData, personalizedCard, TEST_IMKS } from "./pboc-fixture.ts"

const crypto = nativeCrypto

const send = (card: HarnessCard, hexCommand: string): string => toHex(card.transmit(hex(hexCommand)))
const sw = (card: HarnessCard, hexCommand: string): string => send(card, hexCommand).slice(-4)

describe.each([nativeCrypto, referenceCrypto])("card-side cryptogram on $name", (layer) => {
  it.each(arqcVectors())(
    "$id: the card's profile gives the vector's session key and ARQC from its MK",
    (v) => {
      // The card stores the derived MK-AC (DGI 8000); R or the ATC and the input come from the vector.
      const sk = vectorSessionKey(layer, v, hex(v.icc_mk_hex))
      expect(toHex(sk)).toBe(v.session_key_hex)
      const ac = TDES_EMV.applicationCryptogram(
        layer,
        sk,
        hex(v.ac_input_hex),
        v.padding === "method1" ? 1 : 2,
      )
      expect(toHex(ac)).toBe(v.arqc_hex)
    },
  )
})

describe.each([nativeCrypto, referenceCrypto])("a TDES_PBOC card on $name", (layer) => {
  const pboc = arqcVectors().filter((v) => v.session_key_method === "pboc_atc" && vectorAtc(v) === 1)

  it.each(pboc)(
    "$id: personalized from the vector's IMK and PAN, it MACs with the vector's process key",
    (v) => {
      // The card starts at ATC 0, so its first GPO is the vector's ATC 0001; its CVR differs from the
      // vector's, so the expected ARQC is the vector's session key over the card's own input.
      const imk = hex(v.imk_hex)
      const data = cardData(TDES_PBOC, { account: { pan: v.pan, psn: v.psn } })
      const card = personalizedCard(layer, data, { imkAc: imk, imkSmi: imk, imkSmc: imk })
      const terminalPart = "000000001000000000000000015600000000000156161206009A0B0C0D"
      const pdolData = `00000000${terminalPart}00`
      expect(sw(card, `00A4040008${toHex(data.aid)}00`)).toBe("9000")
      expect(sw(card, `80A80000248322${pdolData}00`)).toBe("9000")
      const gac = card.transmit(hex(`80AE80001D${terminalPart}00`))
      const objects = unwrap(decodeTlv(gac.slice(0, -2)), "GAC response")
      const iad = findTag(objects, 0x9f10)!.value
      expect(toHex(findTag(objects, 0x9f36)!.value)).toBe(v.atc_hex)
      expect(iad[2]).toBe(TDES_PBOC.cvn)
      const terminal = new Map(objectsOf(terminalPart))
      const input = cryptogramInput(terminal, PBOC_AIP, 1, iad.slice(3, 7))
      const expected = applicationCryptogram(layer, hex(v.session_key_hex), input, 2)
      expect(toHex(findTag(objects, 0x9f26)!.value)).toBe(toHex(expected))
    },
  )
})

/** The CDOL1 data above split into its Table 26 tags. */
const objectsOf = (terminalPart: string): Array<[number, Uint8Array]> => {
  const bytes = hex(terminalPart)
  const tags: Array<[number, number]> = [
    [0x9f02, 6],
    [0x9f03, 6],
    [0x9f1a, 2],
    [0x95, 5],
    [0x5f2a, 2],
    [0x9a, 3],
    [0x9c, 1],
    [0x9f37, 4],
  ]
  let at = 0
  return tags.map(([tag, length]) => {
    const value = bytes.slice(at, at + length)
    at += length
    return [tag, value]
  })
}

describe("PBOC applet commands", () => {
  const data = cardData(TDES_EMV)
  const aid = toHex(data.aid)
  const selectApp = `00A4040008${aid}00`

  it("keeps a personalized instance within its state budget", () => {
    const card = personalizedCard(crypto, data)
    const bytes = card.stateOf(data.aid).length
    console.log(`PBOC instance state: ${bytes} bytes (max ${PBOC_STATE_BYTES_MAX})`)
    expect(bytes).toBeLessThanOrEqual(PBOC_STATE_BYTES_MAX)
    expect(bytes).toBeLessThanOrEqual(400)
  })

  it("refuses GPO before personalization and unknown DGIs", () => {
    const card = new HarnessCard(crypto)
    card.install(PBOC_APPLET, data.aid)
    expect(sw(card, selectApp)).toBe("9000")
    expect(sw(card, "80A8000002830000")).toBe("6985")
    expect(card.personalize(data.aid, [{ dgi: 0x9999, value: hex("00") }])).toEqual([0x6a88])
    const dgis = preparePbocDgis(crypto, TEST_IMKS, data)
    const badEcash = dgis.map((d) =>
      d.dgi === 0x0d01 ? { dgi: d.dgi, value: hex("9F7906AA0000000000") } : d,
    )
    expect(card.personalize(data.aid, badEcash)).toContain(0x6a80)
  })

  it("answers wrong lengths, order errors and missing records with their status words", () => {
    const card = personalizedCard(crypto, data)
    const atcBefore = card.stateOf(data.aid).slice(4, 6)
    expect(sw(card, selectApp)).toBe("9000")
    expect(sw(card, "80A80000028300")).toBe("6700")
    expect(sw(card, "80A8000003830100")).toBe("6700")
    expect(card.stateOf(data.aid).slice(4, 6)).toEqual(atcBefore)
    expect(sw(card, "00B2050C00")).toBe("6A83")
    expect(sw(card, `80AE80001D${"00".repeat(29)}00`)).toBe("6985")
    expect(sw(card, `0082000008${"00".repeat(8)}`)).toBe("6700")
    expect(sw(card, "04DA9F790A0000000100001122334400")).toBe("6985")
    expect(sw(card, "80CA9F5000")).toBe("6A88")
    expect(sw(card, "B0CA9F7900")).toBe("6E00")
  })

  it("refuses a correctly MACed load without issuer authentication, and accepts nothing else", () => {
    const card = personalizedCard(crypto, data)
    expect(sw(card, selectApp)).toBe("9000")
    const terminalPart =
      "000000000100" + "000000000000" + "0156" + "0000000000" + "0156" + "150801" + "00" + "01020304"
    const pdolData = `00000000${terminalPart}00`
    const lc = (n: string) => (n.length / 2 + 2).toString(16).padStart(2, "0")
    expect(
      sw(
        card,
        `80A80000${lc(pdolData)}83${(pdolData.length / 2).toString(16).padStart(2, "0")}${pdolData}00`,
      ),
    ).toBe("9000")
    const gac = card.transmit(hex(`80AE80001D${terminalPart}00`))
    const objects = unwrap(decodeTlv(gac.slice(0, -2)), "GAC response")
    const arqc = findTag(objects, 0x9f26)!.value
    const keys = deriveIccMasterKeys(crypto, TDES_EMV, TEST_IMKS, data.account)
    const skSmi = smiSessionKey(crypto, TDES_EMV, keys.mkSmi, { atc: 1, arqc })
    const loadCommand = putAmountScript(crypto, TDES_EMV, skSmi, { atc: 1, arqc }, 0x9f79, 60_000)
    expect(sw(card, toHex(encodeCommand(loadCommand)))).toBe("6985")
    expect(card.stateOf(data.aid).slice(8, 14)).toEqual(hex("000000050000"))
    // A script MACed for another ARQC is refused as bad secure messaging.
    const stale = putAmountScript(crypto, TDES_EMV, skSmi, { atc: 1, arqc: new Uint8Array(8) }, 0x9f78, 100)
    expect(sw(card, toHex(encodeCommand(stale)))).toBe("6988")
    // A correctly MACed limit update is accepted without issuer authentication.
    const limit = putAmountScript(crypto, TDES_EMV, skSmi, { atc: 1, arqc }, 0x9f78, 100)
    expect(sw(card, toHex(encodeCommand(limit)))).toBe("9000")
    expect(card.stateOf(data.aid).slice(20, 26)).toEqual(hex("000000000100"))
  })
})
