// Proves the native layer's cached OpenSSL contexts stay exact: keys overwritten in place, equal keys in different arrays sharing a context (and its CBC chain), the cache's bound with evicted keys still right, interleaved IVs, outputs the caller may mutate, and the same programmer errors as the reference layer.
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import type { BlockCipherName } from "../../../model/crypto/crypto.ts"
import { cachedKeyCount, KEYS_MAX } from "../../../model/crypto/native-cipher-cache.ts"
import { nativeCrypto as native } from "../../../model/crypto/native-crypto.ts"
import { referenceCrypto as reference } from "../../../model/crypto/reference-crypto.ts"
import { CRYPTOS } from "./vector-files.ts"

const SM4_KEY = "0123456789ABCDEFFEDCBA9876543210"

describe("native context cache", () => {
  it("follows a key array that is overwritten in place", () => {
    const key = hex(SM4_KEY)
    const block = hex(SM4_KEY)
    expect(toHex(native.encryptEcb("SM4", key, block))).toBe("681EDF34D206965E86B3E94F536E4246")
    key.set(hex("2B7E151628AED2A6ABF7158809CF4F3C"))
    expect(toHex(native.encryptEcb("SM4", key, block))).toBe(toHex(reference.encryptEcb("SM4", key, block)))
  })

  it("shares one context between equal keys in different arrays, CBC chain included", () => {
    const iv = hex("000102030405060708090A0B0C0D0E0F")
    const data = hex(`${SM4_KEY}${SM4_KEY}`)
    const expected = toHex(reference.encryptCbc("SM4", hex(SM4_KEY), iv, data))
    // Each call's array is new; the shared context's chain after one call must not leak into the next.
    for (let i = 0; i < 3; i++) expect(toHex(native.encryptCbc("SM4", hex(SM4_KEY), iv, data))).toBe(expected)
    const before = cachedKeyCount()
    native.encryptEcb("SM4", hex(SM4_KEY), data)
    expect(cachedKeyCount()).toBe(before)
  })

  it("keeps at most KEYS_MAX keys and stays exact for keys it dropped", () => {
    const keyOf = (i: number) => Uint8Array.from({ length: 16 }, (_, j) => (i * 7 + j * 13 + (i >> 8)) & 0xff)
    const block = hex(SM4_KEY)
    for (let i = 0; i < KEYS_MAX + 40; i++) native.encryptEcb("AES", keyOf(i), block)
    expect(cachedKeyCount()).toBeLessThanOrEqual(KEYS_MAX)
    // Key 0 was dropped first; it gets a new context and the right answer.
    expect(toHex(native.encryptEcb("AES", keyOf(0), block))).toBe(
      toHex(reference.encryptEcb("AES", keyOf(0), block)),
    )
    expect(toHex(native.decryptEcb("AES", keyOf(1), block))).toBe(
      toHex(reference.decryptEcb("AES", keyOf(1), block)),
    )
  })

  it("gives each CBC call its own IV, whatever the context saw before", () => {
    const key = hex(SM4_KEY)
    const data = hex(`${SM4_KEY}${SM4_KEY}`)
    for (const ivHex of [
      "00000000000000000000000000000000",
      SM4_KEY,
      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
      SM4_KEY,
    ]) {
      const iv = hex(ivHex)
      const encrypted = native.encryptCbc("SM4", key, iv, data)
      expect(toHex(encrypted)).toBe(toHex(reference.encryptCbc("SM4", key, iv, data)))
      expect(toHex(native.decryptCbc("SM4", key, iv, encrypted))).toBe(toHex(data))
      expect(toHex(native.decryptCbc("SM4", key, iv, data))).toBe(
        toHex(reference.decryptCbc("SM4", key, iv, data)),
      )
    }
  })

  it("returns plain Uint8Arrays that the caller may change without affecting later results", () => {
    const key = hex("404142434445464748494A4B4C4D4E4F")
    const iv = new Uint8Array(8)
    const data = hex("0102030405060708090A0B0C0D0E0F10")
    const first = native.encryptCbc("TDES", key, iv, data)
    expect(Object.getPrototypeOf(first)).toBe(Uint8Array.prototype)
    const expected = toHex(first)
    first.fill(0)
    expect(toHex(native.encryptCbc("TDES", key, iv, data))).toBe(expected)
    // The context remembers the last ciphertext block by copy, so the caller may reuse its input array.
    const ciphertext = hex("00112233445566778899AABBCCDDEEFF")
    native.decryptCbc("TDES", key, iv, ciphertext)
    ciphertext.fill(0x5a)
    expect(toHex(native.decryptCbc("TDES", key, iv, data))).toBe(
      toHex(reference.decryptCbc("TDES", key, iv, data)),
    )
    expect(Object.getPrototypeOf(native.sm3(data))).toBe(Uint8Array.prototype)
    expect(Object.getPrototypeOf(native.hmacSm3(key, data))).toBe(Uint8Array.prototype)
  })
})

describe.each(CRYPTOS)("$name layer refuses programmer errors", (crypto) => {
  const cases: ReadonlyArray<readonly [BlockCipherName, number, number]> = [
    ["DES", 16, 8],
    ["TDES", 8, 8],
    ["AES", 20, 16],
    ["SM4", 32, 16],
  ]

  it.each(cases)("%s with a %i-byte key", (cipher, keyBytes, blockBytes) => {
    expect(() => crypto.encryptEcb(cipher, new Uint8Array(keyBytes), new Uint8Array(blockBytes))).toThrow(
      `a ${cipher} key has`,
    )
  })

  it("data that is not whole blocks, and an IV of the wrong size", () => {
    expect(() => crypto.encryptEcb("AES", new Uint8Array(16), new Uint8Array(15))).toThrow(
      "not a whole number",
    )
    expect(() => crypto.decryptCbc("SM4", new Uint8Array(16), new Uint8Array(8), new Uint8Array(16))).toThrow(
      "the IV has 8 bytes",
    )
  })

  it("treats empty data as zero blocks", () => {
    expect(crypto.encryptCbc("AES", new Uint8Array(16), new Uint8Array(16), new Uint8Array(0)).length).toBe(0)
    expect(crypto.decryptEcb("TDES", new Uint8Array(16), new Uint8Array(0)).length).toBe(0)
  })
})
