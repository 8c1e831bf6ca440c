// Proves interoperability with the sm-crypto library on sm2p256v1: it verifies our signatures and decrypts our ciphertexts, we verify its signatures and decrypt its ciphertexts (C1C3C2), and public keys agree.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bigintToBytes, bytesToBigint } from "../../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { encodePoint, SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import { nativeSm2 } from "../../../../model/crypto/sm2/native-sm2.ts"
import { referenceSm2 } from "../../../../model/crypto/sm2/reference-sm2.ts"
import { propertyRuns } from "../../../property-runs.ts"
import { C1C3C2, smCryptoSm2 } from "./sm-crypto-library.ts"
import { ephemeralArb, privateKeyArb } from "./sm2-arbitraries.ts"

// numRuns: sm-crypto takes ~15 ms per signature or verification and the reference layer as much
// again, so 80 cases per property (2-8 s each on this machine, about 30 s for the file under load).
const RUNS = propertyRuns(80)
const curve = SM2P256V1
const layers = [
  ["native", nativeSm2],
  ["reference", referenceSm2],
] as const

const scalarHex = (value: bigint): string => toHex(bigintToBytes(value, 32)).toLowerCase()
const publicKeyHex = (d: bigint): string =>
  toHex(encodePoint(curve, nativeSm2.publicKeyOf(curve, d))).toLowerCase()

/** sm-crypto takes the ID as text and UTF-8-encodes it; printable ASCII keeps both sides equal. */
const userIdTextArb = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 24,
})
const messageArb = fc.uint8Array({ maxLength: 80 })
/** At least 4 bytes: sm-crypto skips GB/T 32918.4's all-zero-t check, which we keep (a 2^-32 chance here). */
const plaintextArb = fc.uint8Array({ minLength: 4, maxLength: 80 })

describe.each(layers)("sm-crypto and our %s SM2", (_, sm2) => {
  it("derive the same public key", () => {
    fc.assert(
      fc.property(privateKeyArb, (d) => {
        expect(smCryptoSm2.getPublicKeyFromPrivateKey(scalarHex(d))).toBe(
          toHex(encodePoint(curve, sm2.publicKeyOf(curve, d))).toLowerCase(),
        )
      }),
      { numRuns: RUNS },
    )
  })

  it("verify each other's signatures", () => {
    fc.assert(
      fc.property(privateKeyArb, ephemeralArb, messageArb, userIdTextArb, (d, k, message, userIdText) => {
        const userId = new TextEncoder().encode(userIdText)
        const publicKey = publicKeyHex(d)
        const ours = sm2.sign(curve, d, userId, message, k)
        fc.pre(ours !== null)
        const oursHex = scalarHex(ours!.r) + scalarHex(ours!.s)
        const options = { hash: true as const, userId: userIdText }
        expect(smCryptoSm2.doVerifySignature(Array.from(message), oursHex, publicKey, options)).toBe(true)
        // The library does check: the same signature under another ID is refused.
        const otherId = { ...options, userId: `${userIdText}!` }
        expect(smCryptoSm2.doVerifySignature(Array.from(message), oursHex, publicKey, otherId)).toBe(false)
        const theirs = smCryptoSm2.doSignature(Array.from(message), scalarHex(d), { ...options, publicKey })
        const signature = {
          r: bytesToBigint(hex(theirs.slice(0, 64))),
          s: bytesToBigint(hex(theirs.slice(64))),
        }
        const ourKey = sm2.publicKeyOf(curve, d)
        expect(sm2.verify(curve, ourKey, userId, message, signature)).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  it("decrypt each other's C1 ‖ C3 ‖ C2 ciphertexts", () => {
    fc.assert(
      fc.property(privateKeyArb, ephemeralArb, plaintextArb, (d, k, plaintext) => {
        const publicKey = sm2.publicKeyOf(curve, d)
        const ours = sm2.encrypt(curve, publicKey, plaintext, k)
        fc.pre(ours !== null)
        // sm-crypto writes and reads C1 without its 04 prefix.
        const oursForThem = toHex(ours!.subarray(1)).toLowerCase()
        const opened = smCryptoSm2.doDecrypt(oursForThem, scalarHex(d), C1C3C2, { output: "array" })
        expect(Uint8Array.from(opened)).toEqual(plaintext)
        const theirs = smCryptoSm2.doEncrypt(Array.from(plaintext), publicKeyHex(d), C1C3C2)
        expect(sm2.decrypt(curve, d, hex(`04${theirs}`))).toEqual(plaintext)
      }),
      { numRuns: RUNS },
    )
  })
})
