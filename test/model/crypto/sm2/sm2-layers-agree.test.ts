// Proves the native and reference SM2 agree byte for byte (same signatures and ciphertexts for the same d, k, message and ID), that each verifies and decrypts the other's output, and that verify and decrypt answer false/null rather than throw on bad input.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import { nativeSm2 } from "../../../../model/crypto/sm2/native-sm2.ts"
import { referenceSm2 } from "../../../../model/crypto/sm2/reference-sm2.ts"
import { propertyRuns } from "../../../property-runs.ts"
import { ephemeralArb, messageArb, privateKeyArb, userIdArb } from "./sm2-arbitraries.ts"

// numRuns: the reference layer costs ~15-30 ms per signature or verification on this machine,
// so properties that run it take 250 cases (the file stays well under 60 s); native-only ones more.
const REFERENCE_RUNS = propertyRuns(250)
const curve = SM2P256V1

describe("native and reference SM2", () => {
  it("derive the same public key", () => {
    fc.assert(
      fc.property(privateKeyArb, (d) => {
        expect(nativeSm2.publicKeyOf(curve, d)).toEqual(referenceSm2.publicKeyOf(curve, d))
      }),
      { numRuns: REFERENCE_RUNS },
    )
  })

  it("make identical signatures, and each verifies under both", () => {
    fc.assert(
      fc.property(privateKeyArb, ephemeralArb, messageArb, userIdArb, (d, k, message, userId) => {
        const native = nativeSm2.sign(curve, d, userId, message, k)
        expect(native).toEqual(referenceSm2.sign(curve, d, userId, message, k))
        if (native === null) return
        const publicKey = nativeSm2.publicKeyOf(curve, d)
        expect(nativeSm2.verify(curve, publicKey, userId, message, native)).toBe(true)
        expect(referenceSm2.verify(curve, publicKey, userId, message, native)).toBe(true)
      }),
      { numRuns: REFERENCE_RUNS },
    )
  })

  it("make identical ciphertexts, and each decrypts both", () => {
    fc.assert(
      fc.property(privateKeyArb, ephemeralArb, messageArb, (d, k, plaintext) => {
        const publicKey = nativeSm2.publicKeyOf(curve, d)
        const native = nativeSm2.encrypt(curve, publicKey, plaintext, k)
        expect(native).toEqual(referenceSm2.encrypt(curve, publicKey, plaintext, k))
        if (native === null) return
        expect(native.length).toBe(97 + plaintext.length)
        expect(nativeSm2.decrypt(curve, d, native)).toEqual(plaintext)
        expect(referenceSm2.decrypt(curve, d, native)).toEqual(plaintext)
      }),
      { numRuns: REFERENCE_RUNS },
    )
  })

  it("sign → verify and encrypt → decrypt round-trip in the native layer", () => {
    fc.assert(
      fc.property(privateKeyArb, ephemeralArb, messageArb, userIdArb, (d, k, message, userId) => {
        const publicKey = nativeSm2.publicKeyOf(curve, d)
        const signature = nativeSm2.sign(curve, d, userId, message, k)
        if (signature !== null)
          expect(nativeSm2.verify(curve, publicKey, userId, message, signature)).toBe(true)
        const ciphertext = nativeSm2.encrypt(curve, publicKey, message, k)
        if (ciphertext !== null) expect(nativeSm2.decrypt(curve, d, ciphertext)).toEqual(message)
      }),
      { numRuns: 1000 },
    )
  })
})

describe.each([
  ["reference", referenceSm2],
  ["native", nativeSm2],
] as const)("%s SM2 on bad input", (_, sm2) => {
  const d = 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n
  const publicKey = sm2.publicKeyOf(curve, d)
  const message = new TextEncoder().encode("message digest")
  const userId = new TextEncoder().encode("1234567812345678")
  const good = sm2.sign(curve, d, userId, message, 0x1234n)!

  it("refuses r or s outside [1, n − 1] and r + s ≡ 0", () => {
    const { n } = curve
    for (const signature of [
      { r: 0n, s: good.s },
      { r: good.r, s: 0n },
      { r: n, s: good.s },
      { r: good.r, s: n },
      { r: -good.r, s: good.s },
      { r: good.r, s: n - good.r },
      { r: good.r + n, s: good.s },
    ]) {
      expect(sm2.verify(curve, publicKey, userId, message, signature)).toBe(false)
    }
    expect(sm2.verify(curve, publicKey, userId, message, good)).toBe(true)
  })

  it("refuses public keys off the curve, with coordinates ≥ p, and IDs too long for ENTL", () => {
    for (const key of [
      { x: publicKey.x, y: publicKey.y ^ 1n },
      { x: publicKey.x + curve.p, y: publicKey.y },
      { x: 0n, y: 0n },
    ]) {
      expect(sm2.verify(curve, key, userId, message, good)).toBe(false)
    }
    expect(sm2.verify(curve, publicKey, new Uint8Array(8192), message, good)).toBe(false)
  })

  it("answers null for short ciphertexts, a C1 off the curve, and a wrong C3", () => {
    const ciphertext = sm2.encrypt(curve, publicKey, message, 0x5678n)!
    const badC1 = ciphertext.slice()
    badC1[5]! ^= 1
    const badC3 = ciphertext.slice()
    badC3[70]! ^= 1
    const badC2 = ciphertext.slice()
    badC2[100]! ^= 1
    for (const bytes of [new Uint8Array(0), ciphertext.subarray(0, 96), badC1, badC3, badC2]) {
      expect(sm2.decrypt(curve, d, bytes)).toBeNull()
    }
  })

  it("throws on programmer errors: a private key or k out of range", () => {
    expect(() => sm2.sign(curve, 0n, userId, message, 1n)).toThrow(RangeError)
    expect(() => sm2.sign(curve, curve.n - 1n, userId, message, 1n)).toThrow(RangeError)
    expect(() => sm2.sign(curve, d, userId, message, 0n)).toThrow(RangeError)
    expect(() => sm2.encrypt(curve, publicKey, message, curve.n)).toThrow(RangeError)
  })
})
