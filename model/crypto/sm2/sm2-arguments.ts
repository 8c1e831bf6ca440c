/**
 * Range checks both SM2 layers apply to their arguments, so they refuse exactly the same inputs.
 * Private keys and ephemeral scalars come from the twin's own streams: a bad one is a programmer
 * error (a throw). Public keys and signatures may come from outside: they are checked and the
 * operation answers false / null instead.
 */
import { isOnCurve } from "./curve.ts"
import type { Sm2Curve, Sm2Point, Sm2Signature } from "./sm2.ts"
import { USER_ID_BYTES_MAX } from "./za.ts"

/** GB/T 32918.1-2016 §6.1: a private key d lies in [1, n − 2] (so that 1 + d is invertible). */
export const assertPrivateKey = (curve: Sm2Curve, d: bigint): void => {
  if (d < 1n || d > curve.n - 2n) throw new RangeError("SM2 private key outside [1, n-2]")
}

/** GB/T 32918.2 §6.1 A3 and 32918.4 §6.1 A1: k ∈ [1, n − 1]. */
export const assertEphemeral = (curve: Sm2Curve, k: bigint): void => {
  if (k < 1n || k > curve.n - 1n) throw new RangeError("SM2 ephemeral scalar outside [1, n-1]")
}

/** Encryption needs a valid recipient key; the interface promises validated keys, so a bad one throws. */
export const assertPublicKey = (curve: Sm2Curve, point: Sm2Point): void => {
  if (!isOnCurve(curve, point)) throw new RangeError("SM2 public key not on the curve")
}

/**
 * GB/T 32918.2 §7.1 B1-B2 plus what ZA needs: r, s ∈ [1, n − 1], a public key on the curve
 * (§6.2.1 of part 1) and an ID whose bit length fits ENTL.
 */
export const verifiable = (
  curve: Sm2Curve,
  publicKey: Sm2Point,
  userId: Uint8Array,
  signature: Sm2Signature,
): boolean => {
  const { r, s } = signature
  if (typeof r !== "bigint" || typeof s !== "bigint") return false
  if (r < 1n || r >= curve.n || s < 1n || s >= curve.n) return false
  if (userId.length > USER_ID_BYTES_MAX) return false
  return isOnCurve(curve, publicKey)
}
