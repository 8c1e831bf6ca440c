/**
 * SM2 (GB/T 32918.2 §6-7 and 32918.4 §6-7, the same steps as textbook-sm2.ts) on Jacobian
 * points with a fixed-base table for G, fixed-base tables for public keys verified more than
 * once (public-key-tables.ts) and width-5 NAF for other points; verification checks x1 without
 * a field inversion. `makeNativeSm2` takes
 * the SM3 to use; native-sm2.ts plugs in node:crypto.
 */

import {
  type FastCurve,
  fastCurveOf,
  SIGNING_KEYS_MAX,
  type SigningKey,
  tableOf,
} from "./fast-curve-context.ts"
import { multiplyBase } from "./fixed-base-table.ts"
import { add, affineXCongruent, affineXOf, type JacobianPoint, toAffine } from "./jacobian-arithmetic.ts"
import { invertMod, mod } from "./modular.ts"
import { publicKeyTableOf } from "./public-key-tables.ts"
import type { Sm2, Sm2Curve, Sm2Point, Sm2Signature } from "./sm2.ts"
import { assertEphemeral, assertPrivateKey, assertPublicKey, verifiable } from "./sm2-arguments.ts"
import { openCiphertext, sealCiphertext, splitCiphertext } from "./sm2-ciphertext.ts"
import type { Sm3Function } from "./sm3-function.ts"
import { multiplyVariable } from "./variable-base-multiply.ts"
import { computeZa, messageDigestOf, rememberedZa } from "./za.ts"

const baseMultiple = (context: FastCurve, k: bigint): Sm2Point | null =>
  toAffine(context.field, multiplyBase(context.field, tableOf(context), k))

const signingKeyOf = (context: FastCurve, d: bigint): SigningKey => {
  const known = context.signingKeys.get(d)
  if (known !== undefined) return known
  const publicKey = baseMultiple(context, d)
  if (publicKey === null) throw new RangeError("d·G is the point at infinity: n is not G's order")
  const key = { publicKey, inverseOnePlusD: invertMod(1n + d, context.curve.n) }
  if (context.signingKeys.size >= SIGNING_KEYS_MAX) context.signingKeys.clear()
  context.signingKeys.set(d, key)
  return key
}

/**
 * acc + t·P for a validated public key: from its fixed-base table once the key has been seen
 * before, else by wNAF.
 */
const addPublicKeyMultiple = (
  context: FastCurve,
  publicKey: Sm2Point,
  t: bigint,
  acc: JacobianPoint,
): JacobianPoint => {
  const table = publicKeyTableOf(context.publicKeyTables, context.field, context.orderBits, publicKey)
  return table === null
    ? add(context.field, acc, multiplyVariable(context.field, publicKey, t))
    : multiplyBase(context.field, table, t, acc)
}

export const makeNativeSm2 = (sm3: Sm3Function): Sm2 => {
  const publicKeyOf = (curve: Sm2Curve, privateKey: bigint): Sm2Point => {
    assertPrivateKey(curve, privateKey)
    return signingKeyOf(fastCurveOf(curve), privateKey).publicKey
  }

  const za = (curve: Sm2Curve, userId: Uint8Array, publicKey: Sm2Point): Uint8Array =>
    computeZa(sm3, curve, userId, publicKey)

  const sign = (curve: Sm2Curve, d: bigint, userId: Uint8Array, message: Uint8Array, k: bigint) => {
    assertPrivateKey(curve, d)
    assertEphemeral(curve, k)
    const context = fastCurveOf(curve)
    const { n } = context.curve
    const key = signingKeyOf(context, d)
    const e = messageDigestOf(sm3, rememberedZa(sm3, curve, userId, key.publicKey), message)
    const x1 = affineXOf(context.field, multiplyBase(context.field, tableOf(context), k))
    if (x1 === null) return null
    const r = (e + x1) % n
    if (r === 0n || r + k === n) return null
    let s = (key.inverseOnePlusD * ((k - r * d) % n)) % n
    if (s < 0n) s += n
    if (s === 0n) return null
    return { r, s }
  }

  const verify = (
    curve: Sm2Curve,
    publicKey: Sm2Point,
    userId: Uint8Array,
    message: Uint8Array,
    signature: Sm2Signature,
  ): boolean => {
    if (!verifiable(curve, publicKey, userId, signature)) return false
    const context = fastCurveOf(curve)
    const { n } = context.curve
    const { r, s } = signature
    const t = (r + s) % n
    if (t === 0n) return false
    const e = messageDigestOf(sm3, rememberedZa(sm3, curve, userId, publicKey), message)
    const sG = multiplyBase(context.field, tableOf(context), s)
    const point = addPublicKeyMultiple(context, publicKey, t, sG)
    // B7: (e + x1) mod n = r ⇔ x1 ≡ r − e (mod n), checked on X/Z² without inverting Z.
    return affineXCongruent(context.field, point, mod(r - e, n), n)
  }

  const encrypt = (curve: Sm2Curve, publicKey: Sm2Point, plaintext: Uint8Array, k: bigint) => {
    assertPublicKey(curve, publicKey)
    assertEphemeral(curve, k)
    const context = fastCurveOf(curve)
    const c1 = baseMultiple(context, k)
    const shared = toAffine(context.field, multiplyVariable(context.field, publicKey, k))
    if (c1 === null || shared === null) return null
    return sealCiphertext(sm3, curve, c1, shared, plaintext)
  }

  const decrypt = (curve: Sm2Curve, privateKey: bigint, ciphertext: Uint8Array): Uint8Array | null => {
    assertPrivateKey(curve, privateKey)
    const parts = splitCiphertext(curve, ciphertext)
    if (parts === null) return null
    const context = fastCurveOf(curve)
    const shared = toAffine(context.field, multiplyVariable(context.field, parts.c1, privateKey))
    if (shared === null) return null
    return openCiphertext(sm3, curve, shared, parts)
  }

  return { publicKeyOf, za, sign, verify, encrypt, decrypt }
}
