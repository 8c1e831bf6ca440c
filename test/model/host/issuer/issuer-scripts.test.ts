// Proves the PIN CHANGE/UNBLOCK issuer script through bytes: the VIS PIN block matches pyemv's
// documented example, its encipherment under SK-SMC matches OpenSSL's 3DES, and on a card with an
// offline PIN a change without and with the current PIN takes effect (VERIFY accepts the new PIN
// and refuses the old one), an unblock restores a spent try counter, and a tampered MAC or
// ciphertext is refused leaving the PIN as it was. A failed script shows in the terminal's issuer
// script results 9F5B with the TVR/TSI bits, and in the card's next CVR ("script failed on the last
// online transaction") until an online transaction with clean scripts.
import { execFileSync } from "node:child_process"
import { describe, expect, it } from "vitest"
import { command, encodeCommand } from "../../../../model/apdu/command.ts"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import {
  type AlgorithmProfile,
  SM4_PROFILE,
  TDES_PBOC,
} from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { scriptFailedInIad } from "../../../../model/card/applets/pboc/cryptogram-input.ts"
import { format2Block } from "../../../../model/card/applets/pboc/pboc-pin.ts"
import type { Card } from "../../../../model/card/card.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { deriveIccMasterKeys } from "../../../../model/host/issuer/issuer-keys.ts"
import { answerOnlineRequest } from "../../../../model/host/issuer/online-issuer.ts"
import {
  encipherScriptData,
  type PinScript,
  pinChangeUnblockScript,
  visPinBlock,
} from "../../../../model/host/issuer/pin-change-script.ts"
import type { OnlineRequest } from "../../../../model/host/terminal/online-authorizer.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { cardData, personalizedCard, TEST_IMKS } from "../../card/applets/pboc/pboc-fixture.ts"
import { getData, purchase } from "../terminal/pboc-flows.ts"

const crypto = nativeCrypto
const sw = (r: Uint8Array) => (r[r.length - 2]! << 8) | r[r.length - 1]!

const verify = (card: Card, aid: Uint8Array, pin: string): number => {
  card.transmit(encodeCommand(command(0x00, 0xa4, 0x04, 0x00, aid, 256)))
  return sw(card.transmit(encodeCommand(command(0x00, 0x20, 0x00, 0x80, format2Block(pin)))))
}

/** One online purchase whose issuer answer carries `script` (optionally spoiled on its way). */
const withScript = (
  card: Card,
  profile: AlgorithmProfile,
  script: PinScript | null,
  spoil: (bytes: Uint8Array) => Uint8Array = (b) => b,
) => {
  const requests: OnlineRequest[] = []
  const outcome = runTransaction(card, purchase(100, "pboc"), (request) => {
    requests.push(request)
    const keys = deriveIccMasterKeys(crypto, profile, TEST_IMKS, request)
    return answerOnlineRequest(crypto, profile, TEST_IMKS, request, {
      approve: true,
      loadFen: null,
      extraScripts: () => {
        if (script === null) return []
        const c = pinChangeUnblockScript(
          crypto,
          profile,
          keys,
          { atc: request.atc, arqc: request.arqc },
          script,
        )
        return [{ ...c, data: spoil(c.data) }]
      },
    })
  })
  return { outcome, request: requests[0]! }
}

describe("the VIS PIN block and its encipherment", () => {
  it("matches pyemv's documented VIS PIN block and OpenSSL's 3DES ECB", () => {
    expect(toHex(visPinBlock(hex("0123456789ABCDEFFEDCBA9876543210"), "1234"))).toBe("041234FF76543210")
    const sk = hex("0123456789ABCDEFFEDCBA9876543210")
    const block = hex("041234FF76543210")
    const framed = hex("08041234FF7654321080000000000000")
    const openssl = execFileSync("openssl", ["enc", "-des-ede", "-nopad", "-K", toHex(sk)], { input: framed })
    expect(toHex(encipherScriptData(crypto, TDES_PBOC, sk, block))).toBe(toHex(new Uint8Array(openssl)))
  })
})

describe.each([TDES_PBOC, SM4_PROFILE])("PIN CHANGE/UNBLOCK on %s", (profile) => {
  const data = cardData(profile, { offlinePin: "1234" })

  it("changes the PIN without and with the current PIN, and unblocks a spent try counter", () => {
    const card = personalizedCard(crypto, data)
    expect(verify(card, data.aid, "1234")).toBe(0x9000)
    expect(withScript(card, profile, { kind: "change", newPin: "987654" }).outcome).toMatchObject({
      kind: "approved-online",
      scriptSws: [0x9000],
      scriptResults: "2100000000",
      checks: { tvr: "0000000000", tsi: "0400" },
    })
    expect(verify(card, data.aid, "1234")).toBe(0x63c2)
    expect(verify(card, data.aid, "987654")).toBe(0x9000)
    expect(
      withScript(card, profile, { kind: "change", newPin: "5555", currentPin: "987654" }).outcome,
    ).toMatchObject({
      scriptSws: [0x9000],
    })
    expect(verify(card, data.aid, "5555")).toBe(0x9000)
    for (const left of [2, 1, 0]) expect(verify(card, data.aid, "0000")).toBe(0x63c0 | left)
    expect(verify(card, data.aid, "5555")).toBe(0x6983)
    expect(getData(card, data.aid, 0x9f17).value).toEqual(Uint8Array.of(0))
    expect(withScript(card, profile, { kind: "unblock" }).outcome).toMatchObject({ scriptSws: [0x9000] })
    expect(getData(card, data.aid, 0x9f17).value).toEqual(Uint8Array.of(3))
    expect(verify(card, data.aid, "5555")).toBe(0x9000)
  })

  it("refuses a tampered MAC or ciphertext, keeps the PIN, and reports the failure in 9F5B and the next CVR", () => {
    const card = personalizedCard(crypto, data)
    const flipLast = (b: Uint8Array) => Uint8Array.from(b, (x, i) => (i === b.length - 1 ? x ^ 1 : x))
    const failed = withScript(card, profile, { kind: "change", newPin: "4321" }, flipLast)
    expect(failed.outcome).toMatchObject({
      kind: "approved-online",
      scriptSws: [0x6988],
      scriptResults: "1100000000",
      checks: { tvr: "0000000010", tsi: "0400" },
    })
    expect(scriptFailedInIad(failed.request.iad)).toBe(false)
    expect(verify(card, data.aid, "1234")).toBe(0x9000)
    // The next online transaction's IAD tells the issuer; its own scripts succeed, so the one after is clean.
    const next = withScript(card, profile, { kind: "unblock" })
    expect(scriptFailedInIad(next.request.iad)).toBe(true)
    expect(scriptFailedInIad(withScript(card, profile, null).request.iad)).toBe(false)
  })

  it("refuses PIN data enciphered under the wrong key even with a good MAC", () => {
    const card = personalizedCard(crypto, data)
    const requests: OnlineRequest[] = []
    const outcome = runTransaction(card, purchase(100, "pboc"), (request) => {
      requests.push(request)
      const keys = deriveIccMasterKeys(crypto, profile, TEST_IMKS, request)
      // MK-SMI for both: the MAC is right, the encipherment key is not.
      const wrong = { ...keys, mkSmc: keys.mkSmi }
      return answerOnlineRequest(crypto, profile, TEST_IMKS, request, {
        approve: true,
        loadFen: null,
        extraScripts: () => [
          pinChangeUnblockScript(crypto, profile, wrong, request, { kind: "change", newPin: "4321" }),
        ],
      })
    })
    expect(outcome).toMatchObject({ scriptSws: [0x6a80], scriptResults: "1100000000" })
    expect(verify(card, data.aid, "1234")).toBe(0x9000)
    expect(verify(card, data.aid, "4321")).toBe(0x63c2)
  })
})
