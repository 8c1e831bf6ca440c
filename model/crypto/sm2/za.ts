/**
 * The user hash ZA and the signed digest e (GB/T 32918.2-2016 §5.5 and §6.1 steps A1-A2).
 * ZA binds a signature to the signer's distinguishing ID, the curve and the public key, so the
 * same (r, s) does not verify under another ID or key.
 */
import { bigintToBytes, bytesToBigint, equals } from "../../bytes/bytes.ts"
import { fieldBytesOf } from "./curve.ts"
import type { Sm2Curve, Sm2Point } from "./sm2.ts"
import type { Sm3Function } from "./sm3-function.ts"

/** ENTL is the ID's length in bits in two bytes (§5.5), so an ID has at most 8191 bytes. */
export const USER_ID_BYTES_MAX = 8191

/**
 * a ‖ b ‖ xG ‖ yG of a curve, the part of ZA's input every key on that curve shares; kept per
 * curve object (pure data derived from it) so that a signature encodes only the key's point.
 */
const curveBytes = new WeakMap<Sm2Curve, Uint8Array>()

const curveBytesOf = (curve: Sm2Curve, width: number): Uint8Array => {
  const known = curveBytes.get(curve)
  if (known !== undefined) return known
  const bytes = new Uint8Array(4 * width)
  const parts = [curve.a, curve.b, curve.gx, curve.gy]
  for (let i = 0; i < parts.length; i++) bytes.set(bigintToBytes(parts[i]!, width), i * width)
  curveBytes.set(curve, bytes)
  return bytes
}

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
  const input = new Uint8Array(2 + userId.length + 6 * width)
  input[0] = entlBits >>> 8
  input[1] = entlBits & 0xff
  input.set(userId, 2)
  let at = 2 + userId.length
  input.set(curveBytesOf(curve, width), at)
  at += 4 * width
  input.set(bigintToBytes(publicKey.x, width), at)
  input.set(bigintToBytes(publicKey.y, width), at + width)
  return sm3(input)
}

/**
 * e = H(ZA ‖ M) as an integer (§6.1 A2, with the bit-string-to-integer conversion of
 * GB/T 32918.1 §4.2.3). e is used as is, not reduced: r = (e + x1) mod n reduces it.
 */
export const messageDigestOf = (sm3: Sm3Function, za: Uint8Array, message: Uint8Array): bigint => {
  const input = new Uint8Array(za.length + message.length)
  input.set(za)
  input.set(message, za.length)
  return bytesToBigint(sm3(input))
}

/** One point object's last ZA: the inputs it was computed from, compared on every hit. */
interface ZaEntry {
  readonly sm3: Sm3Function
  readonly curve: Sm2Curve
  readonly x: bigint
  readonly y: bigint
  readonly userId: Uint8Array
  readonly za: Uint8Array
}

const zaByPoint = new WeakMap<Sm2Point, ZaEntry>()

/**
 * `computeZa`, remembered per public-key object: ZA is a pure function of (SM3, curve, ID, xA, yA)
 * (§5.5), and a signer or a receiver meets the same key object (a signing key's memo, a
 * certificate's key) for every message, so its SM3 over 146 bytes is spent once per (ID, key).
 * Every input is kept and compared on a hit (the ID by value, the coordinates as numbers), so a
 * different ID, a point object changed after use or another curve recomputes; the result is
 * shared and must not be written to (the callers here only read it into e = H(ZA ‖ M)).
 */
export const rememberedZa = (
  sm3: Sm3Function,
  curve: Sm2Curve,
  userId: Uint8Array,
  publicKey: Sm2Point,
): Uint8Array => {
  const known = zaByPoint.get(publicKey)
  if (
    known !== undefined &&
    known.sm3 === sm3 &&
    known.curve === curve &&
    known.x === publicKey.x &&
    known.y === publicKey.y &&
    equals(known.userId, userId)
  )
    return known.za
  const za = computeZa(sm3, curve, userId, publicKey)
  zaByPoint.set(publicKey, { sm3, curve, x: publicKey.x, y: publicKey.y, userId: userId.slice(), za })
  return za
}
