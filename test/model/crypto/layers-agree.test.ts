// Proves that the native and reference crypto layers agree byte for byte on random inputs, for every primitive and for the constructions built on them.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { toHex } from "../../../model/bytes/hex.ts"
import { cmac } from "../../../model/crypto/cmac.ts"
import { BLOCK_BYTES } from "../../../model/crypto/crypto.ts"
import { scp03Kdf } from "../../../model/crypto/kdf-scp03.ts"
import { mac9797Alg1, retailMac } from "../../../model/crypto/mac.ts"
import { nativeCrypto as native } from "../../../model/crypto/native-crypto.ts"
import { referenceCrypto as reference } from "../../../model/crypto/reference-crypto.ts"
import { blocks, bytes, CIPHERS, key, message } from "./arbitraries.ts"

const RUNS = 1000

describe("native and reference agree", () => {
  it("SM3", () => {
    fc.assert(
      fc.property(message(300), (m) => toHex(native.sm3(m)) === toHex(reference.sm3(m))),
      { numRuns: RUNS },
    )
  })

  it("HMAC-SM3, including keys longer than the 64-byte block", () => {
    fc.assert(
      fc.property(
        message(100),
        message(200),
        (k, m) => toHex(native.hmacSm3(k, m)) === toHex(reference.hmacSm3(k, m)),
      ),
      { numRuns: RUNS },
    )
  })

  it.each(CIPHERS)("$cipher ECB with $keyBytes-byte keys, both directions", ({ cipher, keyBytes }) => {
    fc.assert(
      fc.property(key(keyBytes), blocks(BLOCK_BYTES[cipher], 4), (k, data) => {
        expect(toHex(native.encryptEcb(cipher, k, data))).toBe(toHex(reference.encryptEcb(cipher, k, data)))
        expect(toHex(native.decryptEcb(cipher, k, data))).toBe(toHex(reference.decryptEcb(cipher, k, data)))
      }),
      { numRuns: RUNS },
    )
  })

  it.each(CIPHERS)("$cipher CBC with $keyBytes-byte keys, both directions", ({ cipher, keyBytes }) => {
    const blockBytes = BLOCK_BYTES[cipher]
    fc.assert(
      fc.property(key(keyBytes), bytes(blockBytes), blocks(blockBytes, 4), (k, iv, data) => {
        expect(toHex(native.encryptCbc(cipher, k, iv, data))).toBe(
          toHex(reference.encryptCbc(cipher, k, iv, data)),
        )
        expect(toHex(native.decryptCbc(cipher, k, iv, data))).toBe(
          toHex(reference.decryptCbc(cipher, k, iv, data)),
        )
      }),
      { numRuns: RUNS },
    )
  })

  it.each(["AES", "SM4"] as const)("CMAC-%s", (cipher) => {
    fc.assert(
      fc.property(
        key(16),
        message(80),
        (k, m) => toHex(cmac(native, cipher, k, m)) === toHex(cmac(reference, cipher, k, m)),
      ),
      { numRuns: RUNS },
    )
  })

  it("retail MAC (ISO 9797-1 algorithm 3), both paddings, with and without an IV", () => {
    const arbitrary = fc.tuple(
      fc.oneof(key(16), key(24)),
      message(64),
      fc.constantFrom(1 as const, 2 as const),
      fc.option(bytes(8), { nil: undefined }),
    )
    fc.assert(
      fc.property(arbitrary, ([k, m, padding, iv]) => {
        expect(toHex(retailMac(native, k, m, padding, iv))).toBe(
          toHex(retailMac(reference, k, m, padding, iv)),
        )
      }),
      { numRuns: RUNS },
    )
  })

  it("ISO 9797-1 algorithm 1 (CBC-MAC) with TDES and SM4", () => {
    const arbitrary = fc.tuple(
      fc.constantFrom("TDES" as const, "SM4" as const),
      message(64),
      fc.constantFrom(1 as const, 2 as const),
    )
    fc.assert(
      fc.property(arbitrary, key(16), ([cipher, m, padding], k) => {
        expect(toHex(mac9797Alg1(native, cipher, k, m, padding))).toBe(
          toHex(mac9797Alg1(reference, cipher, k, m, padding)),
        )
      }),
      { numRuns: RUNS },
    )
  })

  it("SCP03 KDF over AES and SM4, any context, 64 to 256 output bits", () => {
    const arbitrary = fc.tuple(
      fc.constantFrom("AES" as const, "SM4" as const),
      fc.integer({ min: 0, max: 255 }),
      message(40),
      fc.constantFrom(64, 128, 192, 256),
    )
    fc.assert(
      fc.property(arbitrary, key(16), ([cipher, constant, context, bits], k) => {
        const a = scp03Kdf(native, cipher, k, constant, context, bits)
        expect(a.length).toBe(bits / 8)
        expect(toHex(a)).toBe(toHex(scp03Kdf(reference, cipher, k, constant, context, bits)))
      }),
      { numRuns: RUNS },
    )
  })
})
