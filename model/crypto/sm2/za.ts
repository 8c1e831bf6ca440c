/**
 * The user hash ZA and the signed digest e (GB/T 32918.2-2016 §5.5 and §6.1 steps A1-A2).
 * ZA binds a signature to the signer's distinguishing ID, the curve and the public key, so the
 * same (r, s) does not verify under another ID or key.
 */
import { bigintToBytes, bytesToBigint, concat } from "../../bytes/bytes.ts"
import { fieldBytesOf } from "./curve.ts"
import type { Sm2Curve, Sm2Point } from "./sm2.ts"
import type { Sm3Function } from "./sm3-function.ts"

/** ENTL is the ID's length in bits in two bytes (§5.5), so an ID has at most 8191 bytes. */
export const USER_ID_BYTES_MAX = 8191

/**
 * ZA = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), each element as a field-width big-endian string.
 * An ID longer than `USER_ID_BYTES_MAX` is a programmer error (verify checks it first).
 */
export const computeZa = (
  sm3: Sm3Function,
  curve: Sm2Curve,
  userId: Uint8Array,
  publicKey: Sm2Point,
): Uint8Array => {
  if (userId.length > USER_ID_BYTES_MAX) throw new RangeError(`user ID of ${userId.length} bytes`)
  const width = fieldBytesOf(curve)
  const entlBits = userId.length * 8
  return sm3(
    concat(
      Uint8Array.of(entlBits >>> 8, entlBits & 0xff),
      userId,
      bigintToBytes(curve.a, width),
      bigintToBytes(curve.b, width),
      bigintToBytes(curve.gx, width),
      bigintToBytes(curve.gy, width),
      bigintToBytes(publicKey.x, width),
      bigintToBytes(publicKey.y, width),
    ),
  )
}

/**
 * e = H(ZA ‖ M) as an integer (§6.1 A2, with the bit-string-to-integer conversion of
 * GB/T 32918.1 §4.2.3). e is used as is, not reduced: r = (e + x1) mod n reduces it.
 */
export const messageDigestOf = (sm3: Sm3Function, za: Uint8Array, message: Uint8Array): bigint =>
  bytesToBigint(sm3(concat(za, message)))
