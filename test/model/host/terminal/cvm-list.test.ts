// Proves the kernel's CVM processing from the card's CVM list 8E on the standard path (EMV Book 3
// §10.5) through bytes: no CVM at or below amount X; online PIN above X (the PIN block reaches the
// issuer, which approves the right PIN and declines a wrong one); a cancelled PIN falls back to
// signature; a plaintext offline PIN verified by the card with VERIFY, a wrong one failing CVM and
// spending tries until "PIN try limit exceeded"; an unrecognised method failing CVM — each visible
// in the CVM Results 9F34 and the TVR the ARQC covers.
import { describe, expect, it } from "vitest"
import { hex } from "../../../../model/bytes/hex.ts"
import { TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { onlinePinAuthorizer } from "../../../../model/host/issuer/online-pin-route.ts"
import { IssuerPinVerifier } from "../../../../model/host/issuer/pin-verifier.ts"
import { offsetFor } from "../../../../model/host/pin/ibm3624.ts"
import {
  CVM,
  CVM_CONDITION,
  type CvmList,
  decodeCvmList,
  defaultCvmList,
  encodeCvmList,
} from "../../../../model/host/terminal/cvm-list.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { cardData, personalizedCard, TEST_IMKS } from "../../card/applets/pboc/pboc-fixture.ts"
import { purchase } from "./pboc-flows.ts"

const crypto = nativeCrypto
const TPK = hex("1A2B456789ABCDEF0123456789ABCDEF")
const ZPK = hex("F0E1D2C3B4A5968778695A4B3C2D1E0F")
const PVK = hex("0246813579ACE0246813579ACE013579")
const PAN = "6230520000000001"
const ONLINE_PIN = "4711"

const terminal = (list: CvmList, offlinePin?: string) => {
  const card = personalizedCard(
    crypto,
    cardData(TDES_PBOC, { cvmList: list, ...(offlinePin ? { offlinePin } : {}) }),
  )
  const verifier = new IssuerPinVerifier(
    crypto,
    ZPK,
    PVK,
    new Map([[PAN, offsetFor(crypto, PVK, PAN, ONLINE_PIN)]]),
  )
  const authorize = onlinePinAuthorizer(crypto, TDES_PBOC, TEST_IMKS, { tpk: TPK, zpk: ZPK }, verifier)
  return (amountFen: number, typed: string | null) =>
    runTransaction(card, purchase(amountFen, "pboc"), authorize, {
      crypto,
      cvm: { cvmRequiredLimitFen: 1_000_000, pinKey: TPK, enterPin: () => typed },
    })
}

describe("the CVM list and the kernel's CVM processing", () => {
  it("encodes and decodes the list, and refuses a malformed one", () => {
    const list = defaultCvmList(30_000)
    expect(decodeCvmList(encodeCvmList(list))).toEqual(list)
    expect(encodeCvmList(list).length).toBe(14)
    expect(decodeCvmList(hex("0000753000000000"))).toBeUndefined()
  })

  it("asks no CVM at or below X, and an online PIN above it that the issuer checks", () => {
    const pay = terminal(defaultCvmList(30_000))
    expect(pay(30_000, null)).toMatchObject({
      kind: "approved-online",
      checks: { cvmResults: "1F0002", tvr: "0000000000", tsi: "4000" },
    })
    expect(pay(30_001, ONLINE_PIN)).toMatchObject({
      kind: "approved-online",
      checks: { cvmResults: "420700", tvr: "0000040000" },
    })
    expect(pay(30_001, "1234")).toMatchObject({ kind: "declined", reason: "issuer-declined" })
  })

  it("falls back to signature when the cardholder does not enter the PIN", () => {
    expect(terminal(defaultCvmList(30_000))(50_000, null)).toMatchObject({
      kind: "approved-online",
      checks: { cvmResults: "1E0700", tvr: "0000080000" },
    })
  })

  it("verifies a plaintext PIN on the card, fails CVM on a wrong one and reports the spent try limit", () => {
    const list = {
      xFen: 0,
      yFen: 0,
      rules: [{ method: CVM.offlinePlaintextPin, condition: CVM_CONDITION.always, applyNext: false }],
    }
    const pay = terminal(list, "2468")
    expect(pay(100, "2468")).toMatchObject({ checks: { cvmResults: "010002", tvr: "0000000000" } })
    expect(pay(100, "1111")).toMatchObject({ checks: { cvmResults: "010001", tvr: "0000800000" } })
    expect(pay(100, "1111")).toMatchObject({ checks: { tvr: "0000800000" } })
    expect(pay(100, "1111")).toMatchObject({ checks: { tvr: "0000A00000" } })
    expect(pay(100, "2468")).toMatchObject({ checks: { cvmResults: "010001", tvr: "0000A00000" } })
  })

  it("fails CVM on an unrecognised method, and when no rule applies", () => {
    const unknown = {
      xFen: 0,
      yFen: 0,
      rules: [{ method: 0x05, condition: CVM_CONDITION.always, applyNext: false }],
    }
    expect(terminal(unknown)(100, null)).toMatchObject({
      checks: { cvmResults: "050001", tvr: "0000C00000" },
    })
    const none = {
      xFen: 100,
      yFen: 0,
      rules: [{ method: CVM.noCvm, condition: CVM_CONDITION.overX, applyNext: false }],
    }
    expect(terminal(none)(50, null)).toMatchObject({ checks: { cvmResults: "3F0001", tvr: "0000800000" } })
  })
})
