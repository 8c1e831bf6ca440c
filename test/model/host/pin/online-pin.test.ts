// Proves the online PIN path end to end through bytes: above the reader's CVM-required limit a
// qPBOC e-cash card is sent online, the reader encrypts an ISO 9564 format 0 PIN block under its
// TPK (checked against OpenSSL's 3DES), the acquirer HSM translates it to the ZPK, and the issuer
// verifies it with an IBM 3624 offset — approving the right PIN, declining a wrong one, counting
// tries down to the limit after which even the right PIN is declined, and declining a cancelled
// PIN entry; below the limit no PIN is asked.
import { execFileSync } from "node:child_process"
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { clearPinBlockFormat0, encryptPinBlock, pinOfClearBlock } from "../../../../model/crypto/pin-block.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"
import { onlinePinAuthorizer } from "../../../../model/host/issuer/online-pin-route.ts"
import { IssuerPinVerifier } from "../../../../model/host/issuer/pin-verifier.ts"
import { naturalPin, offsetFor, pinMatches } from "../../../../model/host/pin/ibm3624.ts"
import { translatePinBlock } from "../../../../model/host/pin/pin-translation.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { cardData, personalizedCard, TEST_IMKS } from "../../card/applets/pboc/pboc-fixture.ts"
import { purchase } from "../terminal/pboc-flows.ts"

const crypto = nativeCrypto
const TPK = hex("0123456789ABCDEF0123456789ABCDEF".replace("0123", "1A2B"))
const ZPK = hex("F0E1D2C3B4A5968778695A4B3C2D1E0F")
const PVK = hex("0246813579ACE0246813579ACE013579")
const PAN = "6230520000000001"
const PIN = "4711"

describe("PIN blocks and IBM 3624", () => {
  it("builds the ISO 9564 format 0 block and encrypts it as OpenSSL's 3DES does", () => {
    expect(toHex(clearPinBlockFormat0("1234", "4111111111111111"))).toBe("041225EEEEEEEEEE")
    const clear = clearPinBlockFormat0(PIN, PAN)
    const openssl = execFileSync("openssl", ["enc", "-des-ede", "-nopad", "-K", toHex(TPK)], { input: clear })
    expect(toHex(encryptPinBlock(crypto, TPK, PIN, PAN))).toBe(toHex(new Uint8Array(openssl)))
    expect(pinOfClearBlock(clear, PAN)).toBe(PIN)
    expect(pinOfClearBlock(clear, "6230520000000019")).toBeNull()
  })

  it("translates TPK → ZPK without changing the PIN, and refuses a garbled block", () => {
    const atZone = translatePinBlock(crypto, TPK, ZPK, encryptPinBlock(crypto, TPK, PIN, PAN), PAN)!
    expect(pinOfClearBlock(crypto.decryptEcb("TDES", ZPK, atZone), PAN)).toBe(PIN)
    expect(translatePinBlock(crypto, TPK, ZPK, hex("0011223344556677"), PAN)).toBeNull()
  })

  it("accepts exactly the PIN whose offset was stored, on both crypto layers", () => {
    for (const layer of [nativeCrypto, referenceCrypto]) {
      expect(naturalPin(layer, PVK, PAN, 4)).toBe(naturalPin(nativeCrypto, PVK, PAN, 4))
      for (const pin of ["0000", "4711", "9999", "123456"]) {
        const offset = offsetFor(layer, PVK, PAN, pin)
        expect(pinMatches(layer, PVK, PAN, offset, pin)).toBe(true)
        const wrong = pin.slice(0, -1) + String((Number(pin.at(-1)) + 1) % 10)
        expect(pinMatches(layer, PVK, PAN, offset, wrong)).toBe(false)
      }
    }
  })
})

const setup = (typed: Array<string | null>) => {
  const card = personalizedCard(crypto, cardData(TDES_PBOC))
  const verifier = new IssuerPinVerifier(crypto, ZPK, PVK, new Map([[PAN, offsetFor(crypto, PVK, PAN, PIN)]]))
  const checks: string[] = []
  const authorize = onlinePinAuthorizer(crypto, TDES_PBOC, TEST_IMKS, { tpk: TPK, zpk: ZPK }, verifier, (c) =>
    checks.push(c),
  )
  let asked = 0
  const config = {
    crypto,
    cvm: { cvmRequiredLimitFen: 10_000, pinKey: TPK, enterPin: () => typed[asked++] ?? null },
  }
  const pay = (amountFen: number) => runTransaction(card, purchase(amountFen, "qpboc"), authorize, config)
  return { pay, checks, verifier, asked: () => asked }
}

describe("online PIN above the reader CVM-required limit", () => {
  it("asks no PIN below the limit and approves the right PIN above it online", () => {
    const t = setup([PIN])
    expect(t.pay(1_000)).toMatchObject({ kind: "approved-offline" })
    expect(t.asked()).toBe(0)
    // 15,000 fen fits the e-cash limits, but the CVM limit sends it online with a PIN.
    const o = t.pay(15_000)
    expect(o).toMatchObject({ kind: "approved-online", checks: { tvr: "0000040000", tsi: "4000" } })
    expect(t.checks).toEqual(["ok"])
  })

  it("declines a wrong PIN, and once the try limit is spent declines the right PIN too", () => {
    const t = setup(["1234", PIN, "0000", "1111", "2222", PIN])
    expect(t.pay(15_000)).toMatchObject({ kind: "declined", reason: "issuer-declined" })
    expect(t.pay(15_000)).toMatchObject({ kind: "approved-online" })
    expect(t.verifier.triesLeftFor(PAN)).toBe(3)
    for (let i = 0; i < 3; i++) expect(t.pay(15_000)).toMatchObject({ kind: "declined" })
    expect(t.pay(15_000)).toMatchObject({ kind: "declined", reason: "issuer-declined" })
    expect(t.checks).toEqual([
      "wrong-pin",
      "ok",
      "wrong-pin",
      "wrong-pin",
      "pin-try-limit-exceeded",
      "pin-try-limit-exceeded",
    ])
  })

  it("declines a cancelled PIN entry, with CVM not successful in the TVR", () => {
    const t = setup([null])
    expect(t.pay(15_000)).toMatchObject({ kind: "declined", checks: { tvr: "0000800000", tsi: "4000" } })
    expect(t.checks).toEqual(["pin-missing"])
  })
})
