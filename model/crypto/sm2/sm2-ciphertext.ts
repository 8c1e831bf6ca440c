/**
 * The parts of SM2 encryption that do not depend on how points are multiplied: C2 and C3 from
 * the shared point (x2, y2), and the C1 ‖ C3 ‖ C2 layout (GB/T 32918.4-2016 §6.1 A5-A8 and
 * §7.1 B4-B7). Both layers call these, so a difference between them is in the curve math only.
 */
import { bigintToBytes, concat, equalsConstantTime } from "../../bytes/bytes.ts"
import { decodePoint, encodePoint, fieldBytesOf } from "./curve.ts"
import type { Sm2Curve, Sm2Point } from "./sm2.ts"
import { sm2Kdf } from "./sm2-kdf.ts"
import type { Sm3Function } from "./sm3-function.ts"

/** C3 is one SM3 digest. */
const C3_BYTES = 32

/**
 * §6.1 A5: t = KDF(x2 ‖ y2, klen) must not be all zero, or k is redrawn. An empty plaintext
 * gives an empty t, which we do not treat as "all zero" (it has no bits), so empty messages
 * can be encrypted (sm-crypto makes no all-zero check at all).
 */
const isAllZero = (bytes: Uint8Array): boolean => bytes.length > 0 && bytes.every((b) => b === 0)

const sharedBytes = (curve: Sm2Curve, shared: Sm2Point): { x2: Uint8Array; y2: Uint8Array } => {
  const width = fieldBytesOf(curve)
  return { x2: bigintToBytes(shared.x, width), y2: bigintToBytes(shared.y, width) }
}

/** §6.1 A4-A8: C1 ‖ C3 ‖ C2 from C1 = k·G and (x2, y2) = k·PB; null when t is all zero. */
export const sealCiphertext = (
  sm3: Sm3Function,
  curve: Sm2Curve,
  c1: Sm2Point,
  shared: Sm2Point,
  plaintext: Uint8Array,
): Uint8Array | null => {
  const { x2, y2 } = sharedBytes(curve, shared)
  const t = sm2Kdf(sm3, concat(x2, y2), plaintext.length)
  if (isAllZero(t)) return null
  const c2 = new Uint8Array(plaintext.length)
  for (let i = 0; i < c2.length; i++) c2[i] = plaintext[i]! ^ t[i]!
  const c3 = sm3(concat(x2, plaintext, y2))
  return concat(encodePoint(curve, c1), c3, c2)
}

export interface SplitCiphertext {
  readonly c1: Sm2Point
  readonly c3: Uint8Array
  readonly c2: Uint8Array
}

/** §7.1 B1: C1 must decode to a point on the curve; null for short input or a bad C1. */
export const splitCiphertext = (curve: Sm2Curve, ciphertext: Uint8Array): SplitCiphertext | null => {
  const c1Bytes = 1 + 2 * fieldBytesOf(curve)
  if (ciphertext.length < c1Bytes + C3_BYTES) return null
  const c1 = decodePoint(curve, ciphertext.subarray(0, c1Bytes))
  if (c1 === null) return null
  return {
    c1,
    c3: ciphertext.slice(c1Bytes, c1Bytes + C3_BYTES),
    c2: ciphertext.slice(c1Bytes + C3_BYTES),
  }
}

/** §7.1 B4-B7: M' = C2 ⊕ t, then u = SM3(x2 ‖ M' ‖ y2) must equal C3; null otherwise. */
export const openCiphertext = (
  sm3: Sm3Function,
  curve: Sm2Curve,
  shared: Sm2Point,
  parts: SplitCiphertext,
): Uint8Array | null => {
  const { x2, y2 } = sharedBytes(curve, shared)
  const t = sm2Kdf(sm3, concat(x2, y2), parts.c2.length)
  if (isAllZero(t)) return null
  const plaintext = new Uint8Array(parts.c2.length)
  for (let i = 0; i < plaintext.length; i++) plaintext[i] = parts.c2[i]! ^ t[i]!
  const u = sm3(concat(x2, plaintext, y2))
  return equalsConstantTime(u, parts.c3) ? plaintext : null
}
