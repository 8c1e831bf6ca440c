// Proves that the issuer code reproduces every published emv_arqc and emv_issuer_script_mac vector
// (ICC master key, session key — EMV common and PBOC process key —, ARQC, ARPC methods 1 and 2,
// script MAC) with both crypto layers, and that the host's own authorisation path (ARQC check from
// the forwarded data, ARC + ARPC) reproduces the PBOC worked examples.
import { describe, expect, it } from "vitest"
import { concat } from "../../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { TDES_EMV, TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { TABLE26_TERMINAL_DATA } from "../../../../model/card/applets/pboc/cryptogram-input.ts"
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import { applicationCryptogram } from "../../../../model/crypto/emv-keys.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"
import { arpcMethod1, arpcMethod2, respondToArqc } from "../../../../model/host/issuer/authorization.ts"
import { deriveIccMasterKeys } from "../../../../model/host/issuer/issuer-keys.ts"
import { smiSessionKey } from "../../../../model/host/issuer/issuer-script.ts"
import {
  type ArqcVector,
  arqcVectors,
  scriptMacVectors,
  vectorAtc,
  vectorSessionKey,
} from "./pboc-vectors.ts"

const LAYERS: ReadonlyArray<Crypto> = [nativeCrypto, referenceCrypto]

describe.each(LAYERS)("issuer crypto on the $name layer", (crypto) => {
  it.each(arqcVectors())("$id: ICC MK, session key, ARQC and ARPC", (v) => {
    const imk = hex(v.imk_hex)
    const keys = deriveIccMasterKeys(crypto, TDES_EMV, { imkAc: imk, imkSmi: imk, imkSmc: imk }, v)
    expect(toHex(keys.mkAc)).toBe(v.icc_mk_hex)
    const padding = v.padding === "method1" ? 1 : 2
    const sessionKey = vectorSessionKey(crypto, v, keys.mkAc)
    const arqc = applicationCryptogram(crypto, sessionKey, hex(v.ac_input_hex), padding)
    expect(toHex(sessionKey)).toBe(v.session_key_hex)
    expect(toHex(arqc)).toBe(v.arqc_hex)
    const a = v.arpc
    if (a === undefined) return
    const key = a.key === "icc_mk" ? keys.mkAc : sessionKey
    const arpc =
      a.method === 1
        ? arpcMethod1(crypto, TDES_EMV, key, arqc, hex(a.arc_hex ?? ""))
        : arpcMethod2(
            crypto,
            TDES_EMV,
            key,
            arqc,
            hex(a.csu_hex ?? ""),
            hex(a.proprietary_auth_data_hex ?? ""),
          )
    expect(toHex(arpc)).toBe(a.arpc_hex)
  })

  it.each(scriptMacVectors())("$id: issuer script MAC", (v) => {
    const mac = TDES_EMV.scriptMac(crypto, hex(v.session_key_hex), hex(v.mac_input_hex))
    expect(toHex(mac)).toBe(v.mac_hex)
  })

  it("derives the SK-SMI of emv_issuer_script_mac-02 from its stated ICC MK and R", () => {
    // The vector's note: IMK 0123..3210, PAN 1234567890123456, PSN 01, R = ABCDEF1234567890.
    const imk = hex("0123456789ABCDEFFEDCBA9876543210")
    const keys = deriveIccMasterKeys(
      crypto,
      TDES_EMV,
      { imkAc: imk, imkSmi: imk, imkSmc: imk },
      {
        pan: "1234567890123456",
        psn: "01",
      },
    )
    const sk = smiSessionKey(crypto, TDES_EMV, keys.mkSmi, { atc: 0, arqc: hex("ABCDEF1234567890") })
    const v = scriptMacVectors().find((x) => x.id === "emv_issuer_script_mac-02")!
    expect(toHex(sk)).toBe(v.session_key_hex)
  })

  it.each(pbocVectors())("$id: the host's authorisation path accepts the ARQC and answers the ARPC", (v) => {
    // The vector's input has the layout cryptogram-input.ts assembles (Table 26 data ‖ AIP ‖ ATC ‖
    // CVR), so the host can be handed the split fields exactly as a terminal forwards them.
    const input = hex(v.ac_input_hex)
    const terminal = new Map<number, Uint8Array>()
    let at = 0
    for (const { tag, length } of TABLE26_TERMINAL_DATA) {
      terminal.set(tag, input.slice(at, at + length))
      at += length
    }
    const aip = input.slice(at, at + 2)
    const atc = (input[at + 2]! << 8) | input[at + 3]!
    expect(atc).toBe(vectorAtc(v))
    const cvr = input.slice(at + 4, at + 8)
    expect(at + 8).toBe(input.length)
    const imk = hex(v.imk_hex)
    const keys = deriveIccMasterKeys(crypto, TDES_PBOC, { imkAc: imk, imkSmi: imk, imkSmc: imk }, v)
    const request = { terminal, aip, atc, iad: concat(hex("070101"), cvr), arqc: hex(v.arqc_hex) }
    const answer = respondToArqc(crypto, TDES_PBOC, keys.mkAc, request, v.arpc!.arc_hex === "3030")
    expect(answer.issuerAuthenticationData).not.toBeNull()
    expect(toHex(answer.issuerAuthenticationData!.subarray(0, 8))).toBe(v.arpc!.arpc_hex)
    expect(toHex(answer.arc)).toBe(v.arpc!.arc_hex)
    // The same request under the EMV common session key profile is refused: the CVN says PBOC,
    // and even with the CVN forged the cryptogram does not verify.
    expect(respondToArqc(crypto, TDES_EMV, keys.mkAc, request, true).issuerAuthenticationData).toBeNull()
    const forged = { ...request, iad: concat(hex("07010A"), cvr) }
    expect(respondToArqc(crypto, TDES_EMV, keys.mkAc, forged, true).issuerAuthenticationData).toBeNull()
  })
})

/**
 * The pboc_atc vectors whose input has exactly the twin's 37-byte layout (29 bytes of Table 26
 * data, AIP, ATC, CVR) with the vector's ATC in place. emv_arqc-pboc-02's input has 38 bytes (an
 * extra 00 before its ATC), so only its keys and MACs are checked, by the test above.
 */
const pbocVectors = (): ReadonlyArray<ArqcVector> => {
  const found = arqcVectors().filter((v) => {
    const input = hex(v.ac_input_hex)
    const atcInInput = input.length === 37 ? (input[31]! << 8) | input[32]! : -1
    return v.session_key_method === "pboc_atc" && atcInInput === vectorAtc(v)
  })
  if (found.length === 0) throw new Error("emv_arqc.json has no pboc_atc vectors")
  return found
}
