/** fast-check generators for SM2 inputs on sm2p256v1, shared by the SM2 property tests. */
import fc from "fast-check"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"

const { n } = SM2P256V1

/** GB/T 32918.1 §6.1: private keys in [1, n − 2]. Edges included on purpose. */
export const privateKeyArb = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 1n, max: n - 2n }) },
  { weight: 1, arbitrary: fc.constantFrom(1n, 2n, n - 2n, n - 3n) },
)

/** Ephemeral scalars in [1, n − 1]. */
export const ephemeralArb = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 1n, max: n - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(1n, 2n, n - 1n, n - 2n) },
)

export const messageArb = fc.uint8Array({ maxLength: 96 })
export const userIdArb = fc.uint8Array({ maxLength: 40 })

const mod = (x: bigint): bigint => ((x % n) + n) % n

/**
 * Whether (r', s') still verifies for the signer's key d and message when the signature was made
 * with ephemeral k. Verification recomputes the point s'·G + (r' + s')·P = (s' + (r' + s')·d)·G
 * and compares only (e + x1) mod n with r' (GB/T 32918.2 §7.1 B5-B7). Since k·G and −k·G share
 * their x coordinate, a changed signature verifies exactly when r' = r and s' + (r' + s')·d ≡ ±k
 * (mod n); any other change would need x1 to hit r' − e by chance (probability ~2⁻²⁵⁶). This is
 * scalar arithmetic only, independent of the point code under test. Edge keys make it happen:
 * d = n − 3, k = 1 and s' = s + 1 give −G (the counterexample pinned below).
 */
export const stillVerifies = (
  d: bigint,
  k: bigint,
  original: { r: bigint; s: bigint },
  used: { r: bigint; s: bigint },
) => {
  if (used.r !== original.r) return false
  // GB/T 32918.2 §7.1 B2 and B5: s' ∈ [1, n − 1] and t = (r + s') mod n ≠ 0, else it is refused.
  if (used.s < 1n || used.s >= n || mod(used.r + used.s) === 0n) return false
  const u = mod(used.s + (used.r + used.s) * d)
  return u === k || u === mod(-k)
}
