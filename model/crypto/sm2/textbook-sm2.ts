/**
 * SM2 as GB/T 32918.2-2016 (signatures) and 32918.4-2016 (encryption) write it, step by step on
 * affine points (textbook-curve-math.ts). `makeReferenceSm2` takes the SM3 to use, so the layer
 * decides where SM3 comes from (reference-sm2.ts plugs in sm-crypto).
 */
import { invertMod, mod } from "./modular.ts"
import type { Sm2, Sm2Curve, Sm2Point, Sm2Signature } from "./sm2.ts"
import { assertEphemeral, assertPrivateKey, assertPublicKey, verifiable } from "./sm2-arguments.ts"
import { openCiphertext, sealCiphertext, splitCiphertext } from "./sm2-ciphertext.ts"
import type { Sm3Function } from "./sm3-function.ts"
import { addPoints, basePointOf, multiplyPoint } from "./textbook-curve-math.ts"
import { computeZa, messageDigestOf } from "./za.ts"

export const makeReferenceSm2 = (sm3: Sm3Function): Sm2 => {
  /** GB/T 32918.1 §6.1: P = [d]G. */
  const publicKeyOf = (curve: Sm2Curve, privateKey: bigint): Sm2Point => {
    assertPrivateKey(curve, privateKey)
    const point = multiplyPoint(curve, privateKey, basePointOf(curve))
    if (point === null) throw new RangeError("d·G is the point at infinity: n is not G's order")
    return point
  }

  const za = (curve: Sm2Curve, userId: Uint8Array, publicKey: Sm2Point): Uint8Array =>
    computeZa(sm3, curve, userId, publicKey)

  /** GB/T 32918.2 §6.1, steps A1-A7. */
  const sign = (curve: Sm2Curve, d: bigint, userId: Uint8Array, message: Uint8Array, k: bigint) => {
    assertPrivateKey(curve, d)
    assertEphemeral(curve, k)
    const { n } = curve
    const e = messageDigestOf(sm3, za(curve, userId, publicKeyOf(curve, d)), message) // A1-A2
    const kG = multiplyPoint(curve, k, basePointOf(curve)) // A4
    if (kG === null) return null
    const r = mod(e + kG.x, n) // A5
    if (r === 0n || r + k === n) return null
    const s = mod(invertMod(1n + d, n) * (k - r * d), n) // A6
    if (s === 0n) return null
    return { r, s }
  }

  /** GB/T 32918.2 §7.1, steps B1-B7. */
  const verify = (
    curve: Sm2Curve,
    publicKey: Sm2Point,
    userId: Uint8Array,
    message: Uint8Array,
    signature: Sm2Signature,
  ): boolean => {
    if (!verifiable(curve, publicKey, userId, signature)) return false // B1-B2
    const { n } = curve
    const { r, s } = signature
    const e = messageDigestOf(sm3, za(curve, userId, publicKey), message) // B3-B4
    const t = mod(r + s, n) // B5
    if (t === 0n) return false
    const sG = multiplyPoint(curve, s, basePointOf(curve)) // B6
    const point = addPoints(curve, sG, multiplyPoint(curve, t, publicKey))
    if (point === null) return false
    return mod(e + point.x, n) === r // B7
  }

  /** GB/T 32918.4 §6.1, steps A1-A8 (cofactor h = 1, so A3's S = [h]PB ≠ O holds for valid keys). */
  const encrypt = (curve: Sm2Curve, publicKey: Sm2Point, plaintext: Uint8Array, k: bigint) => {
    assertPublicKey(curve, publicKey)
    assertEphemeral(curve, k)
    const c1 = multiplyPoint(curve, k, basePointOf(curve)) // A2
    const shared = multiplyPoint(curve, k, publicKey) // A4
    if (c1 === null || shared === null) return null
    return sealCiphertext(sm3, curve, c1, shared, plaintext) // A5-A8
  }

  /** GB/T 32918.4 §7.1, steps B1-B7. */
  const decrypt = (curve: Sm2Curve, privateKey: bigint, ciphertext: Uint8Array): Uint8Array | null => {
    assertPrivateKey(curve, privateKey)
    const parts = splitCiphertext(curve, ciphertext) // B1
    if (parts === null) return null
    const shared = multiplyPoint(curve, privateKey, parts.c1) // B3
    if (shared === null) return null
    return openCiphertext(sm3, curve, shared, parts) // B4-B7
  }

  return { publicKeyOf, za, sign, verify, encrypt, decrypt }
}
