/**
 * k·B from a precomputed table (the "fixed-base windowing" of Hankerson-Menezes-Vanstone, Guide
 * to ECC, Algorithm 3.41 without its doublings, on a signed base-2^w recoding): a scalar is
 * rewritten as Σ dᵢ·2^(w·i) with dᵢ ∈ [−2^(w−1), 2^(w−1)], so row i holds only the multiples
 * 1 … 2^(w−1) of 2^(w·i)·B, and a negative digit adds the negated point (y ↦ p − y, free). Half
 * the table of unsigned windows of the same width, for one extra row (the top digit's carry).
 * k·B is then one mixed addition per non-zero digit and no doublings. Signing (k·G), key
 * derivation (d·G), encryption (C1 = k·G) and both halves of a verification under a repeated
 * key (s·G, and t·P from public-key-tables.ts) use it.
 */
import {
  addMixed,
  batchToAffine,
  double,
  type FieldContext,
  fromAffine,
  INFINITY,
  type JacobianPoint,
  toAffine,
} from "./jacobian-arithmetic.ts"
import type { Sm2Point } from "./sm2.ts"

/**
 * 10-bit signed windows for G: 26 rows × 512 points = 13,312 affine points for a 256-bit order
 * (≈ 1.6 MB of BigInts, built once per curve in a few tens of ms), 26 additions per k·G, against
 * 32 for the 8-bit unsigned windows used before (32 rows × 255 points). 12-bit signed windows
 * (22 additions) would need 45,056 points for ~10 µs less per multiple.
 */
export const WINDOW_BITS = 10
/** Scalars are read as 32-bit limbs; a width above 24 bits would need digits beyond a limb pair. */
const WINDOW_BITS_MAX = 24

export interface FixedBaseTable {
  /** rows[i][j − 1] = j·2^(w·i)·B for j in 1 … 2^(w−1), affine. */
  readonly rows: ReadonlyArray<ReadonlyArray<Sm2Point>>
  readonly windowBits: number
  /** Scalars must lie below 2^scalarBits (the order's bit length). */
  readonly scalarBits: number
}

/** The table for base point g and scalars below 2^bits: ⌈(bits + 1) / w⌉ rows of 2^(w−1) points. */
export const buildFixedBaseTable = (
  field: FieldContext,
  g: Sm2Point,
  bits: number,
  windowBits: number = WINDOW_BITS,
): FixedBaseTable => {
  if (!(windowBits >= 2 && windowBits <= WINDOW_BITS_MAX))
    throw new RangeError(`window of ${windowBits} bits`)
  const half = 1 << (windowBits - 1)
  const rowCount = Math.ceil((bits + 1) / windowBits)
  const rows: Sm2Point[][] = []
  let base = g
  for (let i = 0; i < rowCount; i++) {
    // 1·B … 2^(w−1)·B; doubling the last gives 2^w·B, the next row's base.
    const multiples: JacobianPoint[] = [fromAffine(base)]
    for (let j = 1; j < half; j++) multiples.push(addMixed(field, multiples[j - 1]!, base))
    const affine = batchToAffine(field, multiples)
    rows.push(affine)
    if (i + 1 < rowCount) {
      const next = toAffine(field, double(field, fromAffine(affine[half - 1]!)))
      if (next === null) throw new RangeError("2^w·B is the point at infinity: B's order is too small")
      base = next
    }
  }
  return { rows, windowBits, scalarBits: bits }
}

/**
 * The signed base-2^w digits of k (least significant first), from k's 32-bit limbs with Numbers:
 * a digit above 2^(w−1) becomes digit − 2^w with a carry of one into the next window.
 */
export const signedDigitsOf = (k: bigint, windowBits: number, rowCount: number): Int32Array => {
  const limbCount = Math.ceil((rowCount * windowBits) / 32) + 1
  const hex = k.toString(16).padStart(limbCount * 8, "0")
  if (hex.length !== limbCount * 8) throw new RangeError("scalar wider than the table")
  const limbs = new Uint32Array(limbCount)
  for (let i = 0; i < limbCount; i++) {
    const end = hex.length - 8 * i
    limbs[i] = Number.parseInt(hex.slice(end - 8, end), 16)
  }
  const digits = new Int32Array(rowCount)
  const half = 1 << (windowBits - 1)
  const mask = (1 << windowBits) - 1
  let carry = 0
  for (let i = 0; i < rowCount; i++) {
    const bit = i * windowBits
    const limb = bit >>> 5
    const shift = bit & 31
    // Two limbs hold any window of ≤ 24 bits; `>>> 0` keeps the shifted low part unsigned.
    const low = limbs[limb]! >>> shift
    const high = shift === 0 ? 0 : (limbs[limb + 1] ?? 0) << (32 - shift)
    let digit = (((low | high) >>> 0) & mask) + carry
    carry = 0
    if (digit > half) {
      digit -= 1 << windowBits
      carry = 1
    }
    digits[i] = digit
  }
  if (carry !== 0) throw new RangeError("scalar wider than the table")
  return digits
}

/**
 * acc + k·B (B the table's base) for 0 ≤ k < 2^scalarBits; acc defaults to the point at
 * infinity. Verification passes s·G as acc, so s·G + t·P needs no full Jacobian addition.
 */
export const multiplyBase = (
  field: FieldContext,
  table: FixedBaseTable,
  k: bigint,
  acc: JacobianPoint = INFINITY,
): JacobianPoint => {
  if (k < 0n || k >> BigInt(table.scalarBits) !== 0n) throw new RangeError("scalar outside the table")
  const rows = table.rows
  const digits = signedDigitsOf(k, table.windowBits, rows.length)
  const p = field.p
  let sum = acc
  for (let i = 0; i < digits.length; i++) {
    const digit = digits[i]!
    if (digit > 0) sum = addMixed(field, sum, rows[i]![digit - 1]!)
    else if (digit < 0) {
      const point = rows[i]![-digit - 1]!
      sum = addMixed(field, sum, { x: point.x, y: point.y === 0n ? 0n : p - point.y })
    }
  }
  return sum
}
