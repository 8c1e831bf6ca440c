// Proves that both crypto layers reproduce the published SM3, SM4, HMAC-SM3 and CMAC vectors byte for byte.
import { describe, expect, it } from "vitest"
import { toHex } from "../../../model/bytes/hex.ts"
import { cmac, cmacSubkeys } from "../../../model/crypto/cmac.ts"
import { bytesField, CRYPTOS, loadVectors } from "./vector-files.ts"

describe.each(CRYPTOS)("$name layer", (crypto) => {
  it.each(loadVectors("sm3"))("sm3 $id", (v) => {
    expect(toHex(crypto.sm3(bytesField(v, "message_hex")))).toBe(v.digest_hex)
  })

  it.each(loadVectors("hmac_sm3"))("hmac_sm3 $id", (v) => {
    expect(toHex(crypto.hmacSm3(bytesField(v, "key_hex"), bytesField(v, "message_hex")))).toBe(v.mac_hex)
  })

  it.each(loadVectors("sm4"))("sm4 $id", (v) => {
    const key = bytesField(v, "key_hex")
    const plaintext = bytesField(v, "plaintext_hex")
    const ciphertext = bytesField(v, "ciphertext_hex")
    if (v.mode === "CBC") {
      const iv = bytesField(v, "iv_hex")
      expect(toHex(crypto.encryptCbc("SM4", key, iv, plaintext))).toBe(v.ciphertext_hex)
      expect(toHex(crypto.decryptCbc("SM4", key, iv, ciphertext))).toBe(v.plaintext_hex)
      return
    }
    const iterations = typeof v.iterations === "number" ? v.iterations : 1
    let block = plaintext
    for (let i = 0; i < iterations; i++) block = crypto.encryptEcb("SM4", key, block)
    expect(toHex(block)).toBe(v.ciphertext_hex)
    if (iterations === 1) expect(toHex(crypto.decryptEcb("SM4", key, ciphertext))).toBe(v.plaintext_hex)
  })

  it.each(loadVectors("cmac"))("cmac $id", (v) => {
    const cipher = v.cipher === "SM4" ? "SM4" : "AES"
    const key = bytesField(v, "key_hex")
    expect(toHex(cmac(crypto, cipher, key, bytesField(v, "message_hex")))).toBe(v.mac_hex)
    if (v.subkey_k1_hex !== undefined) {
      const { k1, k2 } = cmacSubkeys(crypto, cipher, key)
      expect(toHex(k1)).toBe(v.subkey_k1_hex)
      expect(toHex(k2)).toBe(v.subkey_k2_hex)
    }
  })
})
