/**
 * t·P for a point P known only at call time (the public key in verification, C1 in decryption,
 * the recipient key in encryption): left-to-right double-and-add over the width-w NAF of t
 * (Hankerson-Menezes-Vanstone, Guide to ECC, Algorithms 3.35-3.36). Only the odd multiples
 * P, 3P, …, (2^(w−1) − 1)P are precomputed; negative digits subtract, which is free.
 */
import {
  add,
  double,
  type FieldContext,
  fromAffine,
  INFINITY,
  type JacobianPoint,
  negate,
} from "./jacobian-arithmetic.ts"
import type { Sm2Point } from "./sm2.ts"

/** w = 5: 8 precomputed points and one addition per ~6 bits; measured best for 256-bit scalars. */
const NAF_WIDTH = 5

/**
 * The width-w NAF digits of k, least significant first, computed on a bit array with Numbers
 * (BigInt arithmetic per bit costs more than the whole conversion). Each non-zero digit is odd,
 * |digit| < 2^(w−1), and any w consecutive digits hold at most one non-zero.
 */
export const wnafOf = (k: bigint, width: number): Int8Array => {
  const bits = k.toString(2)
  const length = bits.length + 1
  const bit = new Uint8Array(length + width)
  for (let i = 0; i < bits.length; i++) bit[i] = bits.charCodeAt(bits.length - 1 - i) - 48
  const digits = new Int8Array(length)
  const full = 1 << width
  for (let i = 0; i < length; i++) {
    if (bit[i] === 0) continue
    let value = 0
    for (let j = width - 1; j >= 0; j--) value = (value << 1) | bit[i + j]!
    for (let j = 0; j < width; j++) bit[i + j] = 0
    if (value >= full >> 1) {
      value -= full
      // Subtracting a negative digit carries 2^w into the bit above the window.
      let carry = i + width
      while (bit[carry] === 1) bit[carry++] = 0
      bit[carry] = 1
    }
    digits[i] = value
  }
  return digits
}

/** P, 3P, 5P, … as Jacobian points. */
const oddMultiplesOf = (field: FieldContext, point: Sm2Point, count: number): JacobianPoint[] => {
  const first = fromAffine(point)
  const twice = double(field, first)
  const out = [first]
  for (let i = 1; i < count; i++) out.push(add(field, out[i - 1]!, twice))
  return out
}

/** t·P for t ≥ 0 and an affine P (the caller has validated it). */
export const multiplyVariable = (field: FieldContext, point: Sm2Point, t: bigint): JacobianPoint => {
  if (t < 0n) throw new RangeError("multiplyVariable: negative scalar")
  if (t === 0n) return INFINITY
  const digits = wnafOf(t, NAF_WIDTH)
  const odd = oddMultiplesOf(field, point, 1 << (NAF_WIDTH - 2))
  let acc = INFINITY
  for (let i = digits.length - 1; i >= 0; i--) {
    acc = double(field, acc)
    const digit = digits[i]!
    if (digit > 0) acc = add(field, acc, odd[(digit - 1) >> 1]!)
    else if (digit < 0) acc = add(field, acc, negate(field, odd[(-digit - 1) >> 1]!))
  }
  return acc
}
