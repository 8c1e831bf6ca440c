/**
 * k·G from a precomputed table (the "fixed-base windowing" of Hankerson-Menezes-Vanstone,
 * Guide to ECC, Algorithm 3.41 without its doublings): with w-bit windows, entry [i][j−1] holds
 * j·2^(w·i)·G in affine form, so k·G is one mixed addition per non-zero window of k and no
 * doublings at all. Signing (k·G), key derivation (d·G), encryption (C1 = k·G) and the s·G half
 * of verification all use it.
 */
import {
  addMixed,
  batchToAffine,
  type FieldContext,
  fromAffine,
  INFINITY,
  type JacobianPoint,
} from "./jacobian-arithmetic.ts"
import type { Sm2Point } from "./sm2.ts"

/**
 * 8-bit windows for G: 32 windows × 255 points for a 256-bit order, about 2.5 MB of BigInts,
 * built in tens of milliseconds. Measured: 12-bit windows (22 additions instead of 32) would take
 * 90,000 points and about a third of a second to build for a sign only ~25 % faster.
 */
export const WINDOW_BITS = 8

export interface FixedBaseTable {
  readonly windows: ReadonlyArray<ReadonlyArray<Sm2Point>>
  readonly nibblesPerWindow: number
  readonly scalarHexDigits: number
}

/**
 * Builds the table for base point g and scalars below 2^bits (bits = bit length of n). The window
 * width is a multiple of 4 because scalars are read by hex digits; smaller widths trade additions
 * per multiplication for a smaller table (public-key-tables.ts uses 4).
 */
export const buildFixedBaseTable = (
  field: FieldContext,
  g: Sm2Point,
  bits: number,
  windowBits: number = WINDOW_BITS,
): FixedBaseTable => {
  if (windowBits <= 0 || windowBits % 4 !== 0) throw new RangeError("window width must be a multiple of 4")
  const entries = (1 << windowBits) - 1
  const windowCount = Math.ceil(bits / windowBits)
  const windows: Sm2Point[][] = []
  let base = g
  for (let i = 0; i < windowCount; i++) {
    // Multiples 1·B … 2^w·B by repeated mixed addition; the last one is the next window's base.
    const multiples: JacobianPoint[] = [fromAffine(base)]
    for (let j = 1; j <= entries; j++) multiples.push(addMixed(field, multiples[j - 1]!, base))
    const affine = batchToAffine(field, multiples)
    base = affine[entries]!
    windows.push(affine.slice(0, entries))
  }
  const nibblesPerWindow = windowBits / 4
  return { windows, nibblesPerWindow, scalarHexDigits: windowCount * nibblesPerWindow }
}

/**
 * k·B as a Jacobian point (B the table's base), for 0 ≤ k < 2^bits. The scalar's windows are
 * read from its hex text: one `toString(16)` is cheaper than 64 BigInt shifts and masks.
 */
export const multiplyBase = (field: FieldContext, table: FixedBaseTable, k: bigint): JacobianPoint => {
  const digits = k.toString(16).padStart(table.scalarHexDigits, "0")
  if (digits.length !== table.scalarHexDigits || k < 0n) throw new RangeError("scalar outside the table")
  let acc = INFINITY
  const windowCount = table.windows.length
  const width = table.nibblesPerWindow
  for (let i = 0; i < windowCount; i++) {
    const end = digits.length - i * width
    const digit = Number.parseInt(digits.slice(end - width, end), 16)
    if (digit !== 0) acc = addMixed(field, acc, table.windows[i]![digit - 1]!)
  }
  return acc
}
