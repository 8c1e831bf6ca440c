/** Checkers for the hash, block-cipher and CMAC kinds (vectors/README.md: sm3, sm4, hmac_sm3, cmac). */
import { cmac, cmacSubkeys } from "../../../model/crypto/cmac.ts"
import { type KindChecker, Mismatches } from "../vector-check.ts"

export const sm3Checker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const message = f.hex("message_hex")
    const digest = f.hex("digest_hex", 32)
    if (f.problems.length === 0) m.bytes("digest_hex", digest, crypto.sm3(message))
    return m.list
  },
}

export const hmacSm3Checker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const key = f.hex("key_hex")
    const message = f.hex("message_hex")
    const mac = f.hex("mac_hex", 32)
    if (f.problems.length === 0) m.bytes("mac_hex", mac, crypto.hmacSm3(key, message))
    return m.list
  },
}

export const sm4Checker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const mode = f.oneOf("mode", ["ECB", "CBC"])
    const key = f.hex("key_hex", 16)
    const plaintext = f.hex("plaintext_hex")
    const expected = f.hex("ciphertext_hex")
    const iv = mode === "CBC" ? f.hex("iv_hex", 16) : undefined
    const iterations = f.has("iterations") ? f.integer("iterations") : 1
    if (plaintext.length % 16 !== 0) f.problems.push("plaintext_hex: expected a multiple of 16 bytes")
    if (iterations < 1 || (mode === "CBC" && iterations !== 1))
      f.problems.push("iterations: expected ≥ 1, and 1 for CBC")
    if (f.problems.length > 0) return m.list
    if (iv !== undefined) {
      m.bytes("ciphertext_hex", expected, crypto.encryptCbc("SM4", key, iv, plaintext))
      m.bytes("decrypt(ciphertext_hex)", plaintext, crypto.decryptCbc("SM4", key, iv, expected))
      return m.list
    }
    let block = plaintext
    for (let i = 0; i < iterations; i++) block = crypto.encryptEcb("SM4", key, block)
    m.bytes("ciphertext_hex", expected, block)
    if (iterations === 1)
      m.bytes("decrypt(ciphertext_hex)", plaintext, crypto.decryptEcb("SM4", key, expected))
    return m.list
  },
}

const CMAC_KEY_BYTES = { "AES-128": 16, "AES-192": 24, "AES-256": 32, SM4: 16 } as const

export const cmacChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const cipherName = f.oneOf("cipher", ["AES-128", "AES-192", "AES-256", "SM4"])
    const key = f.hex("key_hex", CMAC_KEY_BYTES[cipherName])
    const message = f.hex("message_hex")
    const mac = f.hex("mac_hex", 16)
    const k1 = f.optionalHex("subkey_k1_hex")
    const k2 = f.optionalHex("subkey_k2_hex")
    if (f.problems.length > 0) return m.list
    const cipher = cipherName === "SM4" ? "SM4" : "AES"
    m.bytes("mac_hex", mac, cmac(crypto, cipher, key, message))
    const subkeys = cmacSubkeys(crypto, cipher, key)
    if (k1 !== undefined) m.bytes("subkey_k1_hex", k1, subkeys.k1)
    if (k2 !== undefined) m.bytes("subkey_k2_hex", k2, subkeys.k2)
    return m.list
  },
}
