/**
 * Per-curve state of the native SM2: the field context, the lazily built fixed-base table for G,
 * a bounded memo of signing keys and bounded tables for repeatedly used public keys. Looked up by object identity first (SM2P256V1 and any
 * curve object a caller keeps), then by value, so curves parsed again from hex reuse the table.
 */
import { sameCurve } from "./curve.ts"
import { buildFixedBaseTable, type FixedBaseTable } from "./fixed-base-table.ts"
import type { FieldContext } from "./jacobian-arithmetic.ts"
import { emptyPublicKeyTables, type PublicKeyTables } from "./public-key-tables.ts"
import type { Sm2Curve, Sm2Point } from "./sm2.ts"

/** What a signer holds besides d: its public key (for ZA) and (1 + d)⁻¹ mod n (GB/T 32918.2 §6.1 A6). */
export interface SigningKey {
  readonly publicKey: Sm2Point
  readonly inverseOnePlusD: bigint
}

export interface FastCurve {
  readonly curve: Sm2Curve
  readonly field: FieldContext
  readonly orderBits: number
  table: FixedBaseTable | null
  readonly signingKeys: Map<bigint, SigningKey>
  readonly publicKeyTables: PublicKeyTables
}

/** Curves held by value: the twin uses one; tests add a few. Oldest dropped beyond this. */
const CURVES_MAX = 8
/**
 * Signing keys remembered per curve. A party signs many messages with one key, and d·G plus an
 * inversion are most of a signature's cost; the memo is cleared when full rather than ordered,
 * which keeps it bounded and deterministic.
 */
export const SIGNING_KEYS_MAX = 1024

const byIdentity = new WeakMap<Sm2Curve, FastCurve>()
const byValue: FastCurve[] = []

export const fastCurveOf = (curve: Sm2Curve): FastCurve => {
  const known = byIdentity.get(curve)
  if (known !== undefined) return known
  let context = byValue.find((c) => sameCurve(c.curve, curve))
  if (context === undefined) {
    context = {
      curve: { p: curve.p, a: curve.a, b: curve.b, gx: curve.gx, gy: curve.gy, n: curve.n },
      field: { p: curve.p, a: curve.a, aIsMinus3: curve.a === curve.p - 3n },
      orderBits: curve.n.toString(2).length,
      table: null,
      signingKeys: new Map(),
      publicKeyTables: emptyPublicKeyTables(),
    }
    if (byValue.length >= CURVES_MAX) byValue.shift()
    byValue.push(context)
  }
  byIdentity.set(curve, context)
  return context
}

export const tableOf = (context: FastCurve): FixedBaseTable => {
  if (context.table === null) {
    const g = { x: context.curve.gx, y: context.curve.gy }
    context.table = buildFixedBaseTable(context.field, g, context.orderBits)
  }
  return context.table
}
