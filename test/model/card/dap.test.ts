// Proves DAP verification on LOAD (GP 2.2 §9.2, with the twin's SM2/SM3 profile): a domain with
// DAP Verification accepts a load file only with its own valid DAP block, a Mandated DAP domain
// (the controlling authority) gates every load on the card, and a wrong or missing DAP or a hash
// unlike the one INSTALL [for load] announced refuses the load and leaves no load file behind.
import { describe, expect, it } from "vitest"
import { concat } from "../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import { loadFileBlock } from "../../../model/card/applets/security-domain/sd-load.ts"
import type { SimulatedCard } from "../../../model/card/card.ts"
import { NFC_SIM } from "../../../model/card/profile.ts"
import {
  SECURITY_DOMAIN_LOAD_FILE_AID,
  SECURITY_DOMAIN_MODULE_AID,
} from "../../../model/card/runtime/issuance.ts"
import { Privilege } from "../../../model/card/runtime/registry.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { SM2P256V1 } from "../../../model/crypto/sm2/curve.ts"
import { dapBlock, loadFileHash, putDapKey } from "../../../model/host/gp/dap.ts"
import type { TokenSigner } from "../../../model/host/gp/delegated-management.ts"
import {
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
import { keysFor, keyTypeFor, newCard, open, SSD_AID, selectAid } from "./fixtures/gp-script.ts"

const crypto = nativeCrypto
const profile = NFC_SIM
const CA_AID = hex("A00000033343410001")
const PACKAGE_AID = hex("F00000000301")
const signer = (privateKey: bigint): TokenSigner => {
  let k = 0x3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3cn
  return { privateKey, nextK: () => (k += 0x10001n) }
}
const BANK = signer(0x2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfen)
const AUTHORITY = signer(0x6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51n)
const STRANGER = signer(0x30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710n)
const C4 = loadFileBlock([counterApplet])
const HASH = unwrap(loadFileHash(crypto, C4), "hash")

/** ISD session with one new SSD holding `privileges` and `dapKey`. */
const withDomain = (
  card: SimulatedCard,
  isd: GpSession,
  aid: Uint8Array,
  privileges: number,
  dapKey: TokenSigner,
) => {
  const steps = [
    installForInstall({
      loadFileAid: SECURITY_DOMAIN_LOAD_FILE_AID,
      moduleAid: SECURITY_DOMAIN_MODULE_AID,
      aid,
      privileges,
    }),
    installForPersonalization(aid),
    putKey(crypto, isd.channel.encryptData, keyTypeFor(profile), 0x00, 0x30, keysFor(profile, 2)),
    installForPersonalization(aid),
    putDapKey(0x31, crypto.sm2.publicKeyOf(SM2P256V1, dapKey.privateKey)),
  ]
  for (const step of steps) expect(unwrap(isd.send(step), `step ${step.ins.toString(16)}`).sw).toBe(0x9000)
  return card
}

const freshIsd = () => {
  const card = newCard(profile, crypto)
  selectAid(card, profile.isdAid)
  return { card, isd: open(card, profile, crypto, 1, 0x20, 0x03) }
}

/** Sends INSTALL [for load] and the file; answers the last LOAD's status word. */
const loadTo = (isd: GpSession, sdAid: Uint8Array, file: Uint8Array, hash: Uint8Array = HASH): number => {
  expect(unwrap(isd.send(installForLoad(PACKAGE_AID, sdAid, hash)), "for load").sw).toBe(0x9000)
  let sw = 0
  for (const block of loadBlocks(file, 40)) sw = unwrap(isd.send(block), "LOAD").sw
  return sw
}

const loadFiles = (isd: GpSession): string[] =>
  unwrap(parseGetStatus(unwrap(isd.send(getStatus(0x20)), "status").data), "parse").map((e) => toHex(e.aid))

describe("DAP verification", () => {
  it("a domain with DAP Verification loads a file carrying its valid DAP block", () => {
    const { card, isd } = freshIsd()
    withDomain(
      card,
      isd,
      SSD_AID,
      Privilege.SECURITY_DOMAIN | Privilege.AUTHORIZED_MANAGEMENT | Privilege.DAP_VERIFICATION,
      BANK,
    )
    expect(loadTo(isd, SSD_AID, concat(dapBlock(crypto, BANK, SSD_AID, HASH), C4))).toBe(0x9000)
    expect(loadFiles(isd)).toContain(toHex(PACKAGE_AID))
  })

  it("wrong DAP: a block signed by another key, for another domain, or none at all is refused with 6982", () => {
    const privileges =
      Privilege.SECURITY_DOMAIN | Privilege.AUTHORIZED_MANAGEMENT | Privilege.DAP_VERIFICATION
    const cases = [
      concat(dapBlock(crypto, STRANGER, SSD_AID, HASH), C4),
      concat(dapBlock(crypto, BANK, CA_AID, HASH), C4),
      concat(dapBlock(crypto, BANK, SSD_AID, crypto.sm3(HASH)), C4),
      C4,
    ]
    for (const file of cases) {
      const { card, isd } = freshIsd()
      withDomain(card, isd, SSD_AID, privileges, BANK)
      expect(loadTo(isd, SSD_AID, file).toString(16)).toBe("6982")
      expect(loadFiles(isd)).not.toContain(toHex(PACKAGE_AID))
    }
  })

  it("a hash unlike the one INSTALL [for load] announced is refused with 6A80", () => {
    const { card, isd } = freshIsd()
    withDomain(card, isd, SSD_AID, Privilege.SECURITY_DOMAIN | Privilege.DAP_VERIFICATION, BANK)
    const file = concat(dapBlock(crypto, BANK, SSD_AID, HASH), C4)
    expect(loadTo(isd, SSD_AID, file, crypto.sm3(HASH)).toString(16)).toBe("6a80")
    expect(loadFiles(isd)).not.toContain(toHex(PACKAGE_AID))
  })

  it("Mandated DAP: the controlling authority's block is needed for every load, even the ISD's own", () => {
    const { card, isd } = freshIsd()
    withDomain(card, isd, CA_AID, Privilege.SECURITY_DOMAIN | Privilege.MANDATED_DAP, AUTHORITY)
    expect(loadTo(isd, new Uint8Array(0), C4).toString(16)).toBe("6982")
    expect(loadFiles(isd)).not.toContain(toHex(PACKAGE_AID))
    const signed = concat(dapBlock(crypto, AUTHORITY, CA_AID, HASH), C4)
    expect(loadTo(isd, new Uint8Array(0), signed).toString(16)).toBe("9000")
    expect(loadFiles(isd)).toContain(toHex(PACKAGE_AID))
  })
})
