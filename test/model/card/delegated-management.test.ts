// Proves Delegated Management end to end on a card (GP 2.2 §9.3, Annex C, with the twin's SM2
// token profile): an SSD holding only the Delegated Management privilege loads, installs and
// deletes with the card issuer's tokens and gets receipts the TSM verifies; a forged token, a
// replayed token and a missing token are refused with 6982 and change nothing; a wrong receipt is
// detected.
import { describe, expect, it } from "vitest"
import { hex } from "../../../model/bytes/hex.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import { loadFileBlock } from "../../../model/card/applets/security-domain/sd-load.ts"
import { createCard, issueCardImage, type SimulatedCard } from "../../../model/card/card.ts"
import { NFC_SIM } from "../../../model/card/profile.ts"
import {
  SECURITY_DOMAIN_LOAD_FILE_AID,
  SECURITY_DOMAIN_MODULE_AID,
} from "../../../model/card/runtime/issuance.ts"
import { Privilege } from "../../../model/card/runtime/registry.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { SM2P256V1 } from "../../../model/crypto/sm2/curve.ts"
import {
  type TokenSigner,
  verifyReceipt,
  withDeleteToken,
  withInstallToken,
} from "../../../model/host/gp/delegated-management.ts"
import {
  deleteAid,
  getStatus,
  installForInstall,
  installForLoad,
  installForPersonalization,
  loadBlocks,
  parseGetStatus,
  putKey,
} from "../../../model/host/gp/gp-commands.ts"
import type { GpSession } from "../../../model/host/gp/gp-session.ts"
import { counterApplet } from "./fixtures/counter-applet.ts"
import { entropyFrom, keysFor, keyTypeFor, open, SSD_AID, selectAid } from "./fixtures/gp-script.ts"

const crypto = nativeCrypto
const profile = NFC_SIM
const PACKAGE_AID = hex("F00000000201")
const APP_AID = hex("F0000000020101AA")
const RECEIPT_KEY = hex("0F1E2D3C4B5A69788796A5B4C3D2E1F0")
const ISSUER_KEY = 0x1f2e3d4c5b6a79880123456789abcdef0fedcba9876543210112233445566778n

const signerOf = (privateKey: bigint): TokenSigner => {
  let k = 0x5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5an
  return { privateKey, nextK: () => (k += 0x1234567n) }
}
const issuer = signerOf(ISSUER_KEY)
const forger = signerOf(ISSUER_KEY + 1n)

/** A card issued with the telco's Delegated Management keys, and a DM-only SSD with its keys. */
const setUp = (): { card: SimulatedCard; ssd: GpSession } => {
  const image = issueCardImage(profile, {
    serial: hex("0A0B0C0D"),
    isdKeys: { kvn: 0x20, ...keysFor(profile, 1) },
    delegatedManagement: { receiptKey: RECEIPT_KEY, tokenKey: crypto.sm2.publicKeyOf(SM2P256V1, ISSUER_KEY) },
  })
  const card = createCard({ profile, image, crypto, entropy: entropyFrom(3), appletClasses: [counterApplet] })
  card.reset()
  selectAid(card, profile.isdAid)
  const isd = open(card, profile, crypto, 1, 0x20, 0x03)
  const steps = [
    installForInstall({
      loadFileAid: SECURITY_DOMAIN_LOAD_FILE_AID,
      moduleAid: SECURITY_DOMAIN_MODULE_AID,
      aid: SSD_AID,
      privileges: Privilege.SECURITY_DOMAIN | Privilege.DELEGATED_MANAGEMENT,
    }),
    installForPersonalization(SSD_AID),
    putKey(crypto, isd.channel.encryptData, keyTypeFor(profile), 0x00, 0x30, keysFor(profile, 2)),
  ]
  for (const step of steps) expect(unwrap(isd.send(step), "ISD step").sw).toBe(0x9000)
  expect(selectAid(card, SSD_AID)).toBe(0x9000)
  return { card, ssd: open(card, profile, crypto, 2, 0x30, 0x03) }
}

const install = () =>
  installForInstall({
    loadFileAid: PACKAGE_AID,
    moduleAid: counterApplet.moduleAid,
    aid: APP_AID,
    privileges: 0,
  })

const aidsOn = (ssd: GpSession): string[] =>
  unwrap(parseGetStatus(unwrap(ssd.send(getStatus(0x40)), "status").data), "parse").map((e) =>
    Buffer.from(e.aid).toString("hex"),
  )

/** Loads PACKAGE_AID with token 1 and returns the last LOAD's response data (the receipt). */
const loadPackage = (ssd: GpSession): Uint8Array => {
  expect(
    unwrap(ssd.send(withInstallToken(crypto, issuer, installForLoad(PACKAGE_AID), 1)), "for load").sw,
  ).toBe(0x9000)
  let last: Uint8Array = new Uint8Array(0)
  for (const block of loadBlocks(loadFileBlock([counterApplet]), 8)) {
    const r = unwrap(ssd.send(block), "LOAD")
    expect(r.sw).toBe(0x9000)
    last = r.data
  }
  return last
}

describe("Delegated Management", () => {
  it("loads, installs and deletes with issuer tokens; the TSM verifies every receipt, counters rising", () => {
    const { ssd } = setUp()
    const loadReceipt = unwrap(
      verifyReceipt(crypto, RECEIPT_KEY, loadPackage(ssd), [PACKAGE_AID, SSD_AID]),
      "load",
    )
    const installed = unwrap(ssd.send(withInstallToken(crypto, issuer, install(), 2)), "install")
    expect(installed.sw).toBe(0x9000)
    const installReceipt = unwrap(
      verifyReceipt(crypto, RECEIPT_KEY, installed.data, [PACKAGE_AID, APP_AID]),
      "ir",
    )
    expect(aidsOn(ssd)).toContain(Buffer.from(APP_AID).toString("hex"))
    const deleted = unwrap(ssd.send(withDeleteToken(crypto, issuer, deleteAid(APP_AID), 3)), "delete")
    expect(deleted.sw).toBe(0x9000)
    const deleteReceipt = unwrap(verifyReceipt(crypto, RECEIPT_KEY, deleted.data, [APP_AID]), "dr")
    expect([loadReceipt, installReceipt, deleteReceipt].map((c) => c.confirmationCounter)).toEqual([1, 2, 3])
    expect(Buffer.from(deleteReceipt.cardUniqueData).toString("hex")).toBe("479040600a0b0c0d")
    expect(aidsOn(ssd)).not.toContain(Buffer.from(APP_AID).toString("hex"))
  })

  it("forged token: an INSTALL signed with another key is refused with 6982 and installs nothing", () => {
    const { ssd } = setUp()
    loadPackage(ssd)
    expect(unwrap(ssd.send(withInstallToken(crypto, forger, install(), 2)), "forged").sw).toBe(0x6982)
    const { ssd: again } = setUp()
    loadPackage(again)
    const honest = withInstallToken(crypto, issuer, install(), 2)
    const tampered = {
      ...honest,
      data: honest.data.map((b, i) => (i === honest.data.length - 1 ? b ^ 1 : b)),
    }
    expect(unwrap(again.send(tampered), "tampered").sw).toBe(0x6982)
    expect(aidsOn(again)).not.toContain(Buffer.from(APP_AID).toString("hex"))
  })

  it("replayed token: the same signed DELETE, or any token whose identifier is not above the last, gets 6982", () => {
    const { ssd } = setUp()
    loadPackage(ssd)
    expect(unwrap(ssd.send(withInstallToken(crypto, issuer, install(), 2)), "install").sw).toBe(0x9000)
    const signedDelete = withDeleteToken(crypto, issuer, deleteAid(APP_AID), 3)
    expect(unwrap(ssd.send(signedDelete), "delete").sw).toBe(0x9000)
    expect(unwrap(ssd.send(withInstallToken(crypto, issuer, install(), 4)), "reinstall").sw).toBe(0x9000)
    expect(unwrap(ssd.send(signedDelete), "replayed delete").sw).toBe(0x6982)
    expect(unwrap(ssd.send(withDeleteToken(crypto, issuer, deleteAid(APP_AID), 2)), "old id").sw).toBe(0x6982)
    expect(aidsOn(ssd)).toContain(Buffer.from(APP_AID).toString("hex"))
  })

  it("a Delegated Management SSD without a token is refused with 6982", () => {
    const { ssd } = setUp()
    expect(unwrap(ssd.send(installForLoad(PACKAGE_AID)), "no token").sw).toBe(0x6982)
    expect(unwrap(ssd.send(deleteAid(SSD_AID)), "no token").sw).toBe(0x6982)
  })

  it("wrong receipt: another receipt key, another AID or a flipped receipt byte is detected", () => {
    const { ssd } = setUp()
    loadPackage(ssd)
    const r = unwrap(ssd.send(withInstallToken(crypto, issuer, install(), 2)), "install").data
    expect(verifyReceipt(crypto, RECEIPT_KEY, r, [PACKAGE_AID, APP_AID]).ok).toBe(true)
    const otherKey = RECEIPT_KEY.map((b) => b ^ 0x10)
    expect(verifyReceipt(crypto, otherKey, r, [PACKAGE_AID, APP_AID])).toEqual({
      ok: false,
      error: "wrong-receipt",
    })
    expect(verifyReceipt(crypto, RECEIPT_KEY, r, [PACKAGE_AID, SSD_AID])).toEqual({
      ok: false,
      error: "wrong-receipt",
    })
    const flipped = r.map((b, i) => (i === 3 ? b ^ 0x80 : b))
    expect(verifyReceipt(crypto, RECEIPT_KEY, flipped, [PACKAGE_AID, APP_AID])).toEqual({
      ok: false,
      error: "wrong-receipt",
    })
    expect(verifyReceipt(crypto, RECEIPT_KEY, Uint8Array.of(0), [APP_AID])).toEqual({
      ok: false,
      error: "no-receipt",
    })
  })
})
