// Proves SDA and DDA on the standard (contact-style) path through bytes (EMV Book 2 §5, §6; Book 3
// §10.3): a DDA card answers INTERNAL AUTHENTICATE with signed dynamic data over the DDOL data
// that the kernel verifies (CA → issuer → ICC → 9F4B) and OpenSSL recovers with the same hash; an
// SDA card's 93 verifies, and OpenSSL recovers it too; a tampered ICC certificate (DDA) or changed
// static data (SDA) sets "DDA failed" / "SDA failed" in the TVR, and the transaction goes online
// with that TVR in the ARQC's data, as the kernel rule for this path says.
import { beforeAll, describe, expect, it } from "vitest"
import { concat } from "../../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { PBOC_APPLET } from "../../../../model/card/applets/pboc/pboc-applet.ts"
import { PPSE_NAME } from "../../../../model/card/applets/pboc/pboc-constants.ts"
import { PPSE_APPLET } from "../../../../model/card/applets/pboc/ppse-applet.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import {
  type PbocCardData,
  preparePbocDgis,
  preparePpseDgi,
} from "../../../../model/host/issuer/data-preparation.ts"
import type { OnlineRequest } from "../../../../model/host/terminal/online-authorizer.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import type { Dgi } from "../../../../model/tlv/dgi.ts"
import { HarnessCard } from "../../card/applets/pboc/applet-harness.ts"
import { TEST_IMKS } from "../../card/applets/pboc/pboc-fixture.ts"
import { issuer, purchase } from "../terminal/pboc-flows.ts"
import { type OdaWorld, odaCardData, odaWorld } from "./oda-fixture.ts"
import { checkRecovered } from "./openssl-rsa.ts"

const crypto = nativeCrypto
let world: OdaWorld
beforeAll(() => {
  world = odaWorld(crypto)
})

const card = (data: PbocCardData, tamper: (dgis: Dgi[]) => Dgi[] = (d) => d) => {
  const c = new HarnessCard(crypto)
  c.install(PPSE_APPLET, PPSE_NAME)
  c.install(PBOC_APPLET, data.aid)
  const sws = [
    ...c.personalize(PPSE_NAME, [preparePpseDgi([{ aid: data.aid, label: data.label, priority: 1 }])]),
    ...c.personalize(data.aid, tamper(preparePbocDgis(crypto, TEST_IMKS, data))),
  ]
  if (sws.some((sw) => sw !== 0x9000)) throw new Error(`personalization failed: ${sws}`)
  return c
}

const pay = (c: HarnessCard) => {
  const seen: OnlineRequest[] = []
  const outcome = runTransaction(
    c,
    purchase(30_000, "pboc"),
    (r) => {
      seen.push(r)
      return issuer(crypto, TDES_PBOC, { approve: true, loadFen: null })(r)
    },
    { crypto, caKeys: world.ca.publicKeys },
  )
  return { outcome, tvrSentOnline: toHex(seen[0]?.terminal.get(0x95) ?? new Uint8Array(0)) }
}

/** Flips a byte inside the value of the DGI's record template at `offset` from its end. */
const flipIn = (dgi: number, fromEnd: number) => (dgis: Dgi[]) =>
  dgis.map((d) =>
    d.dgi === dgi
      ? { ...d, value: Uint8Array.from(d.value, (b, i) => (i === d.value.length - fromEnd ? b ^ 0x01 : b)) }
      : d,
  )

describe("DDA on the standard path", () => {
  it("verifies INTERNAL AUTHENTICATE's signed dynamic data, RSA and SM2", () => {
    for (const algorithm of ["rsa", "sm2"] as const) {
      const { outcome, tvrSentOnline } = pay(card(odaCardData(world, algorithm)))
      expect(outcome).toMatchObject({
        kind: "approved-online",
        checks: { oda: "passed", tvr: "0000000000", tsi: "8000" },
      })
      expect(tvrSentOnline).toBe("0000000000")
    }
  })

  it("recovers the card's INTERNAL AUTHENTICATE answer with OpenSSL and checks its SHA-1 over the DDOL data", () => {
    const data = odaCardData(world, "rsa")
    const c = card(data)
    const select = c.transmit(hex(`00A4040008${toHex(data.aid)}00`))
    expect(toHex(select.slice(-2))).toBe("9000")
    const un = hex("CAFEBABE")
    const answer = c.transmit(concat(hex("0088000004"), un, hex("00")))
    expect(toHex(answer.slice(-2))).toBe("9000")
    expect(answer[0]).toBe(0x80)
    const sdad = answer.subarray(2, answer.length - 2)
    const iccKey = iccPublicKeyOf(data)
    const recovered = checkRecovered(iccKey, sdad, un)
    expect(toHex(recovered.subarray(1, 4))).toBe("050109")
  })

  it("goes online with DDA failed in the TVR when the ICC certificate was tampered with", () => {
    // SFI 2 record 2 ends with 9F4A 01 82; 40 bytes before the end sits inside 9F46.
    const { outcome, tvrSentOnline } = pay(card(odaCardData(world, "rsa"), flipIn(0x0202, 40)))
    expect(outcome).toMatchObject({
      kind: "approved-online",
      checks: { oda: "icc-certificate", tvr: "0800000000" },
    })
    expect(tvrSentOnline).toBe("0800000000")
  })
})

describe("SDA on the standard path", () => {
  const sdaData = () => odaCardData(world, "rsa", 1, "sda")

  it("verifies the signed static application data 93, and OpenSSL recovers it with the same hash", () => {
    const data = sdaData()
    const { outcome } = pay(card(data))
    expect(outcome).toMatchObject({
      kind: "approved-online",
      checks: { oda: "passed", tvr: "0000000000", tsi: "8000" },
    })
    const dgis = preparePbocDgis(crypto, TEST_IMKS, data)
    const record = dgis.find((d) => d.dgi === 0x0202)!.value
    const at = toHex(record).indexOf("938180")
    const ssad = record.subarray(at / 2 + 3, at / 2 + 3 + 128)
    const track2Record = dgis.find((d) => d.dgi === 0x0101)!.value
    const issuerKey = world.issuers.rsa
    if (issuerKey.algorithm !== "rsa") throw new Error("rsa fixture")
    // Static data: SFI 1 record 1's value inside 70, then the AIP (9F4A = 82).
    const recovered = checkRecovered(issuerKey.key, ssad, concat(track2Record.subarray(2), hex("5C00")))
    expect(toHex(recovered.subarray(1, 5))).toBe("0301DAC1")
  })

  it("sets SDA failed when the signed static data changed after signing, and goes online", () => {
    // The last byte of track 2 in SFI 1 record 1 (signed), changed after 93 was computed.
    const { outcome, tvrSentOnline } = pay(card(sdaData(), flipIn(0x0101, 1)))
    expect(outcome).toMatchObject({
      kind: "approved-online",
      checks: { oda: "signed-data", tvr: "4000000000" },
    })
    expect(tvrSentOnline).toBe("4000000000")
  })
})

/** The card's RSA ICC public key: p·q and e = 3 from the key DGI 8101 data preparation made for it. */
const iccPublicKeyOf = (data: PbocCardData) => {
  const dgis = preparePbocDgis(crypto, TEST_IMKS, data)
  const record1 = dgis.find((d) => d.dgi === 0x8101)!.value
  const part = record1[1]!
  const p = BigInt(`0x${toHex(record1.subarray(2, 2 + part))}`)
  const q = BigInt(`0x${toHex(record1.subarray(2 + part, 2 + 2 * part))}`)
  return { modulus: hex((p * q).toString(16).padStart(4 * part, "0")), exponent: hex("03") }
}
