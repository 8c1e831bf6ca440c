/**
 * SM2 curve parameters, point validation and the uncompressed point encoding.
 * GB/T 32918.5-2017 §4 gives the recommended curve sm2p256v1; GB/T 32918.1-2016 §4.2.9 the
 * encoding 04 ‖ x ‖ y and §6.2 the public-key validation used by `decodePoint`.
 */
import { bigintToBytes, bytesToBigint } from "../../bytes/bytes.ts"
import { parseHex } from "../../bytes/hex.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import { mod } from "./modular.ts"
import type { Sm2Curve, Sm2Point } from "./sm2.ts"

/** GB/T 32918.5-2017 §4 (also GM/T 0003.5-2012): the 256-bit recommended curve, OID 1.2.156.10197.1.301. */
export const SM2P256V1: Sm2Curve = Object.freeze({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
})

/** Curve parameters as hex text, the shape of `curve_params` in the published vectors. */
export interface Sm2CurveHex {
  readonly p: string
  readonly a: string
  readonly b: string
  readonly gx: string
  readonly gy: string
  readonly n: string
}

export interface CurveError {
  readonly _tag: "CurveError"
  readonly reason: "bad-hex" | "bad-parameters" | "base-point-not-on-curve"
  readonly field: keyof Sm2CurveHex | "curve"
  readonly message: string
}

const curveError = (
  reason: CurveError["reason"],
  field: CurveError["field"],
  message: string,
): CurveError => ({
  _tag: "CurveError",
  reason,
  field,
  message,
})

const FIELDS: ReadonlyArray<keyof Sm2CurveHex> = ["p", "a", "b", "gx", "gy", "n"]

/**
 * Builds a curve from hex parameters, checking what the arithmetic relies on: an odd p > 3,
 * coefficients and G reduced modulo p, n > 1, and G on the curve. Primality of p and n is not
 * tested (the vectors state them; GB/T 32918.1 §5.2.2 leaves the full check to the issuer).
 */
export const curveFromHex = (params: Sm2CurveHex): Result<Sm2Curve, CurveError> => {
  const values: Partial<Record<keyof Sm2CurveHex, bigint>> = {}
  for (const field of FIELDS) {
    const bytes = parseHex(params[field])
    if (!bytes.ok || bytes.value.length === 0) {
      return err(curveError("bad-hex", field, `curve parameter ${field} is not hex`))
    }
    values[field] = bytesToBigint(bytes.value)
  }
  const curve: Sm2Curve = {
    p: values.p!,
    a: values.a!,
    b: values.b!,
    gx: values.gx!,
    gy: values.gy!,
    n: values.n!,
  }
  const { p, a, b, gx, gy, n } = curve
  if (p <= 3n || p % 2n === 0n || a >= p || b >= p || gx >= p || gy >= p || n <= 1n) {
    return err(curveError("bad-parameters", "curve", "curve parameters out of range"))
  }
  if (!isOnCurve(curve, { x: gx, y: gy })) {
    return err(curveError("base-point-not-on-curve", "curve", "G does not satisfy y² = x³ + ax + b"))
  }
  return ok(curve)
}

/** True when both objects describe the same curve (objects from different parses compare equal). */
export const sameCurve = (c1: Sm2Curve, c2: Sm2Curve): boolean =>
  c1 === c2 ||
  (c1.p === c2.p && c1.a === c2.a && c1.b === c2.b && c1.gx === c2.gx && c1.gy === c2.gy && c1.n === c2.n)

/** GB/T 32918.1 §6.2.1 steps b-c: coordinates in [0, p-1] and y² ≡ x³ + ax + b (mod p). */
export const isOnCurve = (curve: Sm2Curve, point: Sm2Point): boolean => {
  const { p, a, b } = curve
  const { x, y } = point
  if (x < 0n || x >= p || y < 0n || y >= p) return false
  return mod(y * y - (x * x * x + a * x + b), p) === 0n
}

/** Bytes of one field element (⌈log₂ p / 8⌉, GB/T 32918.1 §4.2.5). */
/** Bytes of a field element: two hex digits a byte (cheaper than counting 256 binary digits per call). */
export const fieldBytesOf = (curve: Sm2Curve): number => Math.ceil(curve.p.toString(16).length / 2)

/** GB/T 32918.1 §4.2.9: uncompressed form PC=04 ‖ X1 ‖ Y1. */
export const encodePoint = (curve: Sm2Curve, point: Sm2Point): Uint8Array => {
  const width = fieldBytesOf(curve)
  const out = new Uint8Array(1 + 2 * width)
  out[0] = 0x04
  out.set(bigintToBytes(point.x, width), 1)
  out.set(bigintToBytes(point.y, width), 1 + width)
  return out
}

/**
 * Decodes 04 ‖ x ‖ y and validates it as a public key (GB/T 32918.1 §6.2.1): exact length, the
 * uncompressed prefix, coordinates below p, on the curve. With cofactor 1 (all curves here) that
 * also puts the point in the subgroup of order n; the point at infinity has no encoding here.
 * Compressed and hybrid forms are not accepted: nothing in the twin produces them.
 */
export const decodePoint = (curve: Sm2Curve, bytes: Uint8Array): Sm2Point | null => {
  const width = fieldBytesOf(curve)
  if (bytes.length !== 1 + 2 * width || bytes[0] !== 0x04) return null
  const point = {
    x: bytesToBigint(bytes.subarray(1, 1 + width)),
    y: bytesToBigint(bytes.subarray(1 + width)),
  }
  return isOnCurve(curve, point) ? point : null
}
