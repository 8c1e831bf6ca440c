/**
 * Affine point arithmetic written to be read against GB/T 32918.1-2016 §3.2.3 (the group law
 * over F_p) and Annex A.3 (scalar multiplication). One field inversion per addition makes it
 * slow; that is the point: it is the yardstick the fast Jacobian code is tested against.
 * The point at infinity O is `null`.
 */
import { invertMod, mod } from "./modular.ts"
import type { Sm2Curve, Sm2Point } from "./sm2.ts"

export type AffinePoint = Sm2Point | null

/** §3.2.3.1 rules a-e: O + P = P, P + (−P) = O, P + Q by the chord, P + P by the tangent. */
export const addPoints = (curve: Sm2Curve, p1: AffinePoint, p2: AffinePoint): AffinePoint => {
  if (p1 === null) return p2
  if (p2 === null) return p1
  const { p, a } = curve
  if (p1.x === p2.x) {
    if (mod(p1.y + p2.y, p) === 0n) return null
    // Rule e (doubling): λ = (3x₁² + a) / (2y₁).
    const lambda = mod((3n * p1.x * p1.x + a) * invertMod(2n * p1.y, p), p)
    return pointFromLambda(curve, lambda, p1, p2)
  }
  // Rule d (two different points): λ = (y₂ − y₁) / (x₂ − x₁).
  const lambda = mod((p2.y - p1.y) * invertMod(p2.x - p1.x, p), p)
  return pointFromLambda(curve, lambda, p1, p2)
}

/** x₃ = λ² − x₁ − x₂, y₃ = λ(x₁ − x₃) − y₁ (§3.2.3.1). */
const pointFromLambda = (curve: Sm2Curve, lambda: bigint, p1: Sm2Point, p2: Sm2Point): Sm2Point => {
  const x3 = mod(lambda * lambda - p1.x - p2.x, curve.p)
  const y3 = mod(lambda * (p1.x - x3) - p1.y, curve.p)
  return { x: x3, y: y3 }
}

/** Annex A.3.2 (binary method, most significant bit first): Q = k·P, O for k ≡ 0 (mod n). */
export const multiplyPoint = (curve: Sm2Curve, k: bigint, point: AffinePoint): AffinePoint => {
  if (k < 0n) throw new RangeError("multiplyPoint: negative scalar")
  let q: AffinePoint = null
  for (let i = k.toString(2).length - 1; i >= 0; i--) {
    q = addPoints(curve, q, q)
    if ((k >> BigInt(i)) & 1n) q = addPoints(curve, q, point)
  }
  return q
}

export const basePointOf = (curve: Sm2Curve): Sm2Point => ({ x: curve.gx, y: curve.gy })
