// Proves that both crypto layers reproduce the published EMV ICC master keys, session keys (EMV common and
// PBOC process key), ARQCs, ARPCs and script MACs.
import { describe, expect, it } from "vitest"
import { toHex } from "../../../model/bytes/hex.ts"
import {
  applicationCryptogram,
  arpcMethod1,
  arpcMethod2,
  commonSessionKey,
  iccMasterKeyOptionA,
  issuerScriptMac,
  pbocProcessKey,
} from "../../../model/crypto/emv-keys.ts"
import { bytesField, CRYPTOS, loadVectors } from "./vector-files.ts"

describe.each(CRYPTOS)("$name layer", (crypto) => {
  it.each(loadVectors("emv_arqc"))("emv_arqc $id", (v) => {
    const mk = iccMasterKeyOptionA(crypto, bytesField(v, "imk_hex"), v.pan as string, v.psn as string | null)
    expect(toHex(mk)).toBe(v.icc_mk_hex)
    // ../shared/vectors/README.md: session_key_method emv_common (R) or pboc_atc (the PBOC process key from the ATC).
    const sk =
      v.session_key_method === "pboc_atc"
        ? pbocProcessKey(crypto, mk, Number.parseInt(v.atc_hex as string, 16))
        : commonSessionKey(crypto, mk, bytesField(v, "r_hex"))
    expect(toHex(sk)).toBe(v.session_key_hex)
    const padding = v.padding === "method1" ? 1 : 2
    const arqc = applicationCryptogram(crypto, sk, bytesField(v, "ac_input_hex"), padding)
    expect(toHex(arqc)).toBe(v.arqc_hex)
    const arpc = v.arpc as Record<string, unknown> | undefined
    if (arpc === undefined) return
    const key = arpc.key === "icc_mk" ? mk : sk
    const computed =
      arpc.method === 1
        ? arpcMethod1(crypto, key, arqc, bytesField(arpc, "arc_hex"))
        : arpcMethod2(
            crypto,
            key,
            arqc,
            bytesField(arpc, "csu_hex"),
            arpc.proprietary_auth_data_hex === undefined
              ? new Uint8Array(0)
              : bytesField(arpc, "proprietary_auth_data_hex"),
          )
    expect(toHex(computed)).toBe(arpc.arpc_hex)
  })

  it.each(loadVectors("emv_issuer_script_mac"))("emv_issuer_script_mac $id", (v) => {
    const mac = issuerScriptMac(crypto, bytesField(v, "session_key_hex"), bytesField(v, "mac_input_hex"))
    expect(toHex(mac)).toBe(v.mac_hex)
  })

  it("derives the script session key of emv_issuer_script_mac-02 from the IMK, as its note says", () => {
    // Note of emv_issuer_script_mac-02: option A from PAN 1234567890123456, PSN 01, then R = ABCDEF1234567890.
    const imk = bytesField({ k: "0123456789ABCDEFFEDCBA9876543210" }, "k")
    const mk = iccMasterKeyOptionA(crypto, imk, "1234567890123456", "01")
    const sk = commonSessionKey(crypto, mk, bytesField({ r: "ABCDEF1234567890" }, "r"))
    expect(toHex(sk)).toBe("38758097AE8C9410581945610D85986B")
  })
})
