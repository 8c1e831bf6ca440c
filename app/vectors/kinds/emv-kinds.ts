/**
 * Checkers for the EMV kinds (vectors/README.md: emv_arqc, emv_issuer_script_mac), computed with
 * the same key-derivation and MAC code the issuer hosts and cards of the twin use: the EMV common
 * session key for `session_key_method` emv_common (the default) and the TDES_PBOC profile's
 * process key for pboc_atc.
 */

import { TDES_PBOC } from "../../../model/card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../../model/crypto/crypto.ts"
import {
  applicationCryptogram,
  arpcMethod1,
  arpcMethod2,
  commonSessionKey,
  iccMasterKeyOptionA,
  issuerScriptMac,
} from "../../../model/crypto/emv-keys.ts"
import { type KindChecker, Mismatches } from "../vector-check.ts"
import type { VectorFields } from "../vector-fields.ts"

const SESSION_KEY_METHODS = ["emv_common", "pboc_atc"] as const

export const emvArqcChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const imk = f.hex("imk_hex", 16)
    const pan = f.string("pan")
    const psnRaw = f.raw("psn")
    const psn = psnRaw === null ? null : f.string("psn")
    const method = f.has("session_key_method")
      ? f.oneOf("session_key_method", SESSION_KEY_METHODS)
      : "emv_common"
    const diversifier = method === "pboc_atc" ? f.hex("atc_hex", 2) : f.hex("r_hex", 8)
    const padding = f.oneOf("padding", ["method1", "method2"])
    const input = f.hex("ac_input_hex")
    const expectedMk = f.hex("icc_mk_hex", 16)
    const expectedSk = f.hex("session_key_hex", 16)
    const expectedArqc = f.hex("arqc_hex", 8)
    if (!/^\d{1,19}$/.test(pan)) f.problems.push("pan: expected 1 to 19 decimal digits")
    if (psn !== null && !/^\d{2}$/.test(psn)) f.problems.push("psn: expected 2 decimal digits or null")
    if (f.problems.length > 0) return m.list
    const mk = iccMasterKeyOptionA(crypto, imk, pan, psn)
    const sk =
      method === "pboc_atc"
        ? TDES_PBOC.acSessionKey(crypto, mk, (diversifier[0]! << 8) | diversifier[1]!)
        : commonSessionKey(crypto, mk, diversifier)
    const arqc = applicationCryptogram(crypto, sk, input, padding === "method1" ? 1 : 2)
    m.bytes("icc_mk_hex", expectedMk, mk)
    m.bytes("session_key_hex", expectedSk, sk)
    m.bytes("arqc_hex", expectedArqc, arqc)
    if (f.has("arpc")) checkArpc(f.object("arpc"), m, crypto, { mk, sk, arqc: expectedArqc })
    return m.list
  },
}

const checkArpc = (
  f: VectorFields,
  m: Mismatches,
  crypto: Crypto,
  keys: { mk: Uint8Array; sk: Uint8Array; arqc: Uint8Array },
): void => {
  const method = f.integer("method")
  const key = f.oneOf("key", ["icc_mk", "session_key"]) === "icc_mk" ? keys.mk : keys.sk
  const expected = f.hex("arpc_hex")
  if (method === 1) {
    const arc = f.hex("arc_hex", 2)
    if (f.problems.length === 0) m.bytes("arpc.arpc_hex", expected, arpcMethod1(crypto, key, keys.arqc, arc))
  } else if (method === 2) {
    const csu = f.hex("csu_hex", 4)
    const proprietary = f.optionalHex("proprietary_auth_data_hex") ?? new Uint8Array(0)
    if (f.problems.length === 0) {
      m.bytes("arpc.arpc_hex", expected, arpcMethod2(crypto, key, keys.arqc, csu, proprietary))
    }
  } else {
    f.problems.push("method: expected 1 or 2")
  }
}

export const emvIssuerScriptMacChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const sk = f.hex("session_key_hex", 16)
    const input = f.hex("mac_input_hex")
    const mac = f.hex("mac_hex", 8)
    if (f.problems.length === 0) m.bytes("mac_hex", mac, issuerScriptMac(crypto, sk, input))
    return m.list
  },
}
