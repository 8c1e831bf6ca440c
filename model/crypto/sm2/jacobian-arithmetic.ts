/**
 * Point arithmetic in Jacobian coordinates (X, Y, Z) ↦ (X/Z², Y/Z³), which trades the field
 * inversion of every affine addition (GB/T 32918.1 Annex A.1.2.3 describes these coordinates)
 * for a few multiplications. Formulas: Cohen-Miyaji-Ono 1998 and Bernstein-Lange's
 * Explicit-Formulas Database ("dbl-2001-b" for a = −3, "dbl-2007-bl" otherwise, "madd"/"add"
 * with the H = 0 special cases). Reductions are plain BigInt `%`, applied once per product and
 * once per combined linear expression: measured faster in V8 than a shift-and-add reduction for
 * the SM2 prime, whose intermediate BigInts cost more than the one division they save.
 * Z = 0 is the point at infinity.
 */
import { invertMod } from "./modular.ts"
import type { Sm2Point } from "./sm2.ts"

export interface JacobianPoint {
  readonly x: bigint
  readonly y: bigint
  readonly z: bigint
}

/** The field the arithmetic runs in; `aIsMinus3` selects the cheaper doubling (sm2p256v1 has a = p − 3). */
export interface FieldContext {
  readonly p: bigint
  readonly a: bigint
  readonly aIsMinus3: boolean
}

export const INFINITY: JacobianPoint = Object.freeze({ x: 1n, y: 1n, z: 0n })

export const fromAffine = (point: Sm2Point): JacobianPoint => ({ x: point.x, y: point.y, z: 1n })

export const negate = (field: FieldContext, point: JacobianPoint): JacobianPoint =>
  point.z === 0n ? point : { x: point.x, y: point.y === 0n ? 0n : field.p - point.y, z: point.z }

export const double = (field: FieldContext, point: JacobianPoint): JacobianPoint => {
  const { x, y, z } = point
  if (z === 0n || y === 0n) return INFINITY
  const { p } = field
  const yy = (y * y) % p
  const zz = (z * z) % p
  let m: bigint
  if (field.aIsMinus3) {
    m = (3n * (x - zz) * (x + zz)) % p
  } else {
    m = (3n * x * x + field.a * ((zz * zz) % p)) % p
  }
  const s = (4n * x * yy) % p
  let x3 = (m * m - 2n * s) % p
  if (x3 < 0n) x3 += p
  let y3 = (m * (s - x3) - 8n * ((yy * yy) % p)) % p
  if (y3 < 0n) y3 += p
  let z3 = (2n * y * z) % p
  if (z3 < 0n) z3 += p
  return { x: x3, y: y3, z: z3 }
}

/** P + Q with Q affine ("mixed addition", 8M + 3S). */
export const addMixed = (field: FieldContext, point: JacobianPoint, q: Sm2Point): JacobianPoint => {
  const { x, y, z } = point
  if (z === 0n) return fromAffine(q)
  const { p } = field
  const zz = (z * z) % p
  const u2 = (q.x * zz) % p
  const s2 = (((q.y * z) % p) * zz) % p
  const h = u2 - x
  const r = s2 - y
  if (h === 0n) return r === 0n ? double(field, point) : INFINITY
  return finishAddition(p, x, y, h, r, z * h)
}

/** P + Q, both Jacobian (12M + 4S). */
export const add = (field: FieldContext, p1: JacobianPoint, p2: JacobianPoint): JacobianPoint => {
  if (p1.z === 0n) return p2
  if (p2.z === 0n) return p1
  const { p } = field
  const z1z1 = (p1.z * p1.z) % p
  const z2z2 = (p2.z * p2.z) % p
  const u1 = (p1.x * z2z2) % p
  const u2 = (p2.x * z1z1) % p
  const s1 = (((p1.y * p2.z) % p) * z2z2) % p
  const s2 = (((p2.y * p1.z) % p) * z1z1) % p
  const h = u2 - u1
  const r = s2 - s1
  if (h === 0n) return r === 0n ? double(field, p1) : INFINITY
  return finishAddition(p, u1, s1, h, r, ((p1.z * p2.z) % p) * h)
}

/** The common tail: X3 = R² − H³ − 2·U1·H², Y3 = R(U1·H² − X3) − S1·H³, Z3 = Z1·Z2·H. */
const finishAddition = (p: bigint, u1: bigint, s1: bigint, h: bigint, r: bigint, z3Raw: bigint) => {
  const hh = (h * h) % p
  const hhh = (h * hh) % p
  const v = (u1 * hh) % p
  let x3 = (r * r - hhh - 2n * v) % p
  if (x3 < 0n) x3 += p
  let y3 = (r * (v - x3) - s1 * hhh) % p
  if (y3 < 0n) y3 += p
  let z3 = z3Raw % p
  if (z3 < 0n) z3 += p
  return { x: x3, y: y3, z: z3 }
}

/** (X/Z², Y/Z³), or null for the point at infinity. */
export const toAffine = (field: FieldContext, point: JacobianPoint): Sm2Point | null => {
  if (point.z === 0n) return null
  const { p } = field
  const zInv = invertMod(point.z, p)
  const zInv2 = (zInv * zInv) % p
  return { x: (point.x * zInv2) % p, y: (((point.y * zInv2) % p) * zInv) % p }
}

/** The affine x only (one multiplication less), for r = (e + x1) mod n. */
export const affineXOf = (field: FieldContext, point: JacobianPoint): bigint | null => {
  if (point.z === 0n) return null
  const zInv = invertMod(point.z, field.p)
  return (point.x * ((zInv * zInv) % field.p)) % field.p
}

/**
 * Whether the affine x of `point`, reduced modulo n, equals `target` (0 ≤ target < n), without
 * the inversion of Z: x = X/Z² lies in [0, p), so it is one of target, target + n, … below p,
 * and x = c ⇔ X = c·Z² (mod p). For SM2 (p < 2n) that is at most two products (the check
 * libsecp256k1 uses for ECDSA). False for the point at infinity.
 */
export const affineXCongruent = (
  field: FieldContext,
  point: JacobianPoint,
  target: bigint,
  n: bigint,
): boolean => {
  if (point.z === 0n) return false
  if (target < 0n || target >= n) throw new RangeError("affineXCongruent: target outside [0, n)")
  const { p } = field
  const zz = (point.z * point.z) % p
  for (let candidate = target; candidate < p; candidate += n) {
    if ((candidate * zz) % p === point.x) return true
  }
  return false
}

/**
 * Many points to affine with one inversion (Montgomery's trick): prefix products of the Z's,
 * invert the last, walk back. None of the points may be at infinity (a programmer error).
 */
export const batchToAffine = (field: FieldContext, points: ReadonlyArray<JacobianPoint>): Sm2Point[] => {
  const { p } = field
  const prefix: bigint[] = new Array(points.length)
  let acc = 1n
  for (let i = 0; i < points.length; i++) {
    const z = points[i]!.z
    if (z === 0n) throw new RangeError("batchToAffine: point at infinity")
    acc = (acc * z) % p
    prefix[i] = acc
  }
  let inv = invertMod(acc, p)
  const out: Sm2Point[] = new Array(points.length)
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i]!
    const zInv = i === 0 ? inv : (inv * prefix[i - 1]!) % p
    inv = (inv * point.z) % p
    const zInv2 = (zInv * zInv) % p
    out[i] = { x: (point.x * zInv2) % p, y: (((point.y * zInv2) % p) * zInv) % p }
  }
  return out
}
