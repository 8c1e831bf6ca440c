// Proves that the issuer code reproduces every published emv_arqc and emv_issuer_script_mac vector
// (ICC master key, session key, ARQC, ARPC methods 1 and 2, script MAC) with both crypto layers.
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { TDES_EMV } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"
import { arpcMethod1, arpcMethod2, computeArqc } from "../../../../model/host/issuer/authorization.ts"
import { deriveIccMasterKeys } from "../../../../model/host/issuer/issuer-keys.ts"
import { smiSessionKey } from "../../../../model/host/issuer/issuer-script.ts"
import { arqcVectors, scriptMacVectors } from "./pboc-vectors.ts"

const LAYERS: ReadonlyArray<Crypto> = [nativeCrypto, referenceCrypto]

describe.each(LAYERS)("issuer crypto on the $name layer", (crypto) => {
  it.each(arqcVectors())("$id: ICC MK, session key, ARQC and ARPC", (v) => {
    const imk = hex(v.imk_hex)
    const keys = deriveIccMasterKeys(crypto, TDES_EMV, { imkAc: imk, imkSmi: imk, imkSmc: imk }, v)
    expect(toHex(keys.mkAc)).toBe(v.icc_mk_hex)
    const padding = v.padding === "method1" ? 1 : 2
    const { sessionKey, arqc } = computeArqc(
      crypto,
      TDES_EMV,
      keys.mkAc,
      hex(v.r_hex),
      hex(v.ac_input_hex),
      padding,
    )
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
    const sk = smiSessionKey(crypto, TDES_EMV, keys.mkSmi, hex("ABCDEF1234567890"))
    const v = scriptMacVectors().find((x) => x.id === "emv_issuer_script_mac-02")!
    expect(toHex(sk)).toBe(v.session_key_hex)
  })
})
