// Proves the table-driven DES/TDEA that the native layer uses for short (T)DES data equals both the bit-by-bit FIPS 46-3 code (des.ts) and OpenSSL called directly, for single, double- and triple-length keys, both directions, and that the native layer agrees with OpenSSL on either side of the short-data threshold.
import { createCipheriv, createDecipheriv } from "node:crypto"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { desCipher, tdesCipher } from "../../../model/crypto/des.ts"
import { tdesBlock, tdesSchedule } from "../../../model/crypto/fast-des.ts"
import { DES_TS_BYTES_MAX, SINGLE_DES_TS_BYTES_MAX } from "../../../model/crypto/native-cipher-cache.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"

const keyArb = fc.constantFrom(8, 16, 24).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
const blockArb = fc.uint8Array({ minLength: 8, maxLength: 8 })

/** OpenSSL itself, one context per call: DES as TDES with K1 = K2 = K3 (its default provider has no DES). */
const openssl = (key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, encrypt: boolean): Uint8Array => {
  const full = key.length === 8 ? Buffer.concat([key, key, key]) : key
  const name = `${full.length === 16 ? "des-ede" : "des-ede3"}-${iv === null ? "ecb" : "cbc"}`
  const c = encrypt ? createCipheriv(name, full, iv) : createDecipheriv(name, full, iv)
  c.setAutoPadding(false)
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]))
}

describe("table-driven DES/TDEA", () => {
  it("equals des.ts and OpenSSL on every key length, both ways", () => {
    fc.assert(
      fc.property(keyArb, blockArb, (key, block) => {
        const s = tdesSchedule(key)
        const out = new Uint8Array(8)
        tdesBlock(s, block, out, true)
        const reference = key.length === 8 ? desCipher(key) : tdesCipher(key)
        expect(out).toEqual(reference.encrypt(block))
        expect(out).toEqual(openssl(key, null, block, true))
        const back = new Uint8Array(8)
        tdesBlock(s, out, back, false)
        expect(back).toEqual(block)
        tdesBlock(s, block, back, false)
        expect(back).toEqual(reference.decrypt(block))
      }),
      { numRuns: 300 },
    )
  })

  it("FIPS 81 / SP 800-17 style known answer: DES of 'Now is t' under 0123456789ABCDEF", () => {
    const out = new Uint8Array(8)
    tdesBlock(
      tdesSchedule(Buffer.from("0123456789ABCDEF", "hex")),
      Buffer.from("4E6F772069732074", "hex"),
      out,
      true,
    )
    expect(Buffer.from(out).toString("hex").toUpperCase()).toBe("3FA40E8A984D4815")
  })

  it("lets the native layer agree with OpenSSL below and above the short-data thresholds (TDES, single DES)", () => {
    const dataArb = fc
      .integer({ min: 0, max: Math.max(DES_TS_BYTES_MAX, SINGLE_DES_TS_BYTES_MAX) / 8 + 3 })
      .chain((n) => fc.uint8Array({ minLength: n * 8, maxLength: n * 8 }))
    fc.assert(
      fc.property(keyArb, blockArb, dataArb, (key, iv, data) => {
        const cipher = key.length === 8 ? "DES" : "TDES"
        expect(nativeCrypto.encryptEcb(cipher, key, data)).toEqual(openssl(key, null, data, true))
        expect(nativeCrypto.decryptEcb(cipher, key, data)).toEqual(openssl(key, null, data, false))
        expect(nativeCrypto.encryptCbc(cipher, key, iv, data)).toEqual(openssl(key, iv, data, true))
        expect(nativeCrypto.decryptCbc(cipher, key, iv, data)).toEqual(openssl(key, iv, data, false))
      }),
      { numRuns: 200 },
    )
  })
})
