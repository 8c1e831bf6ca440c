// Proves the TypeScript SM4 (T-tables, derived S-box) and SM3 (32-bit words) that the native layer runs equal OpenSSL called directly and the standards' worked examples, and that the native layer agrees with OpenSSL on either side of the SM3 size threshold and for SM4 ECB/CBC of any length in both directions.
import { createCipheriv, createDecipheriv, hash } from "node:crypto"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { sm3Ts } from "../../../model/crypto/fast-sm3.ts"
import { SM4_SBOX, sm4Block, sm4Schedule } from "../../../model/crypto/fast-sm4.ts"
import { nativeCrypto, SM3_TS_BYTES_MAX } from "../../../model/crypto/native-crypto.ts"

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")
const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "hex"))
const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 })

/** OpenSSL itself, one context per call. */
const openssl = (key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, encrypt: boolean): Uint8Array => {
  const name = iv === null ? "sm4-ecb" : "sm4-cbc"
  const c = encrypt ? createCipheriv(name, key, iv) : createDecipheriv(name, key, iv)
  c.setAutoPadding(false)
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]))
}

describe("SM4 in TypeScript", () => {
  it("derives the S-box of GB/T 32907-2016 Table 1 (rows 0, 8 and 15 as printed; a permutation)", () => {
    expect(hex(SM4_SBOX.subarray(0, 16))).toBe("d690e9fecce13db716b614c228fb2c05")
    expect(hex(SM4_SBOX.subarray(128, 144))).toBe("eabf8ad240c738b5a3f7f2cef96115a1")
    expect(hex(SM4_SBOX.subarray(240, 256))).toBe("18f07dec3adc4d2079ee5f3ed7cb3948")
    expect(new Set(SM4_SBOX).size).toBe(256)
  })

  it("gives GB/T 32907-2016 Appendix A: one block, and the block encrypted 1,000,000 times", () => {
    const key = fromHex("0123456789abcdeffedcba9876543210")
    const schedule = sm4Schedule(key)
    const block = key.slice()
    sm4Block(schedule, block, block, true)
    expect(hex(block)).toBe("681edf34d206965e86b3e94f536e4246")
    const repeated = key.slice()
    for (let i = 0; i < 1_000_000; i++) sm4Block(schedule, repeated, repeated, true)
    expect(hex(repeated)).toBe("595298c7c6fd271f0402f804c33d3f66")
  })

  it("equals OpenSSL block by block, both ways", () => {
    fc.assert(
      fc.property(key16, fc.uint8Array({ minLength: 16, maxLength: 16 }), (key, block) => {
        const schedule = sm4Schedule(key)
        const out = new Uint8Array(16)
        sm4Block(schedule, block, out, true)
        expect(out).toEqual(openssl(key, null, block, true))
        const back = new Uint8Array(16)
        sm4Block(schedule, out, back, false)
        expect(back).toEqual(block)
      }),
      { numRuns: 500 },
    )
  })

  it("lets the native layer's SM4 ECB and CBC equal OpenSSL for 0 to 40 blocks", () => {
    const dataArb = fc
      .integer({ min: 0, max: 40 })
      .chain((n) => fc.uint8Array({ minLength: n * 16, maxLength: n * 16 }))
    fc.assert(
      fc.property(key16, key16, dataArb, (key, iv, data) => {
        expect(nativeCrypto.encryptEcb("SM4", key, data)).toEqual(openssl(key, null, data, true))
        expect(nativeCrypto.decryptEcb("SM4", key, data)).toEqual(openssl(key, null, data, false))
        expect(nativeCrypto.encryptCbc("SM4", key, iv, data)).toEqual(openssl(key, iv, data, true))
        expect(nativeCrypto.decryptCbc("SM4", key, iv, data)).toEqual(openssl(key, iv, data, false))
      }),
      { numRuns: 200 },
    )
  })
})

describe("SM3 in TypeScript", () => {
  it("gives GB/T 32905-2016 Appendix A's examples", () => {
    expect(hex(sm3Ts(new TextEncoder().encode("abc")))).toBe(
      "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    )
    expect(hex(sm3Ts(new TextEncoder().encode("abcd".repeat(16))))).toBe(
      "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
    )
  })

  it("equals OpenSSL for every length from 0 to 300 bytes (every padding case) and random longer ones", () => {
    for (let length = 0; length <= 300; length++) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff)
      expect(hex(sm3Ts(data))).toBe(hash("sm3", data))
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), (data) => {
        expect(hex(sm3Ts(data))).toBe(hash("sm3", data))
      }),
      { numRuns: 200 },
    )
  })

  it("lets the native layer's SM3 equal OpenSSL on either side of its threshold", () => {
    for (const length of [SM3_TS_BYTES_MAX - 1, SM3_TS_BYTES_MAX, SM3_TS_BYTES_MAX + 1, 4096]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 11) & 0xff)
      expect(hex(nativeCrypto.sm3(data))).toBe(hash("sm3", data))
    }
  })
})
