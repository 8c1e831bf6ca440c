/**
 * SM2 as the rest of the twin sees it (GB/T 32918.1-5 / GM/T 0003-2012). Both crypto layers
 * provide this shape; curves are explicit so the published vectors' parameters are used as given.
 */

/** Curve y² = x³ + ax + b over F_p with base point G of prime order n (cofactor 1). */
export interface Sm2Curve {
  readonly p: bigint
  readonly a: bigint
  readonly b: bigint
  readonly gx: bigint
  readonly gy: bigint
  readonly n: bigint
}

/** An affine point; public keys are always validated points on the curve. */
export interface Sm2Point {
  readonly x: bigint
  readonly y: bigint
}

export interface Sm2Signature {
  readonly r: bigint
  readonly s: bigint
}

/** GM/T 0009-2012 §10 default distinguishing ID, ASCII "1234567812345678". */
export const SM2_DEFAULT_USER_ID: Uint8Array = new TextEncoder().encode("1234567812345678")

export interface Sm2 {
  /** d·G for a private scalar d in [1, n-2]. */
  readonly publicKeyOf: (curve: Sm2Curve, privateKey: bigint) => Sm2Point
  /** ZA = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) (GB/T 32918.2 §5.5). */
  readonly za: (curve: Sm2Curve, userId: Uint8Array, publicKey: Sm2Point) => Uint8Array
  /**
   * Signs e = SM3(ZA ‖ M) with the ephemeral scalar k (GB/T 32918.2 §6.1). Returns null when k
   * yields r = 0, r + k = n or s = 0: the caller draws another k from its stream and retries.
   */
  readonly sign: (
    curve: Sm2Curve,
    privateKey: bigint,
    userId: Uint8Array,
    message: Uint8Array,
    k: bigint,
  ) => Sm2Signature | null
  /** GB/T 32918.2 §7.1; false (never a throw) for any malformed or out-of-range input. */
  readonly verify: (
    curve: Sm2Curve,
    publicKey: Sm2Point,
    userId: Uint8Array,
    message: Uint8Array,
    signature: Sm2Signature,
  ) => boolean
  /** C1 ‖ C3 ‖ C2 with C1 uncompressed (GB/T 32918.4 §6.1); null when k must be redrawn. */
  readonly encrypt: (
    curve: Sm2Curve,
    publicKey: Sm2Point,
    plaintext: Uint8Array,
    k: bigint,
  ) => Uint8Array | null
  /** The plaintext, or null when C1 is not on the curve, the KDF output is all zero or C3 mismatches. */
  readonly decrypt: (curve: Sm2Curve, privateKey: bigint, ciphertext: Uint8Array) => Uint8Array | null
}
