/**
 * Fixed-base tables for the public keys a verifier meets again and again (the TSMs', MTPS's and
 * the CA's keys sign millions of messages in the twin), so that t·P in verification (GB/T
 * 32918.2 §7.1 B7) costs one mixed addition per window, like s·G, instead of ~256 doublings.
 * A key gets a table on its second use: one-off keys (a card's, a test's) never pay for one.
 * The table is pure data derived from the point, so results are those of the uncached path.
 */
import { buildFixedBaseTable, type FixedBaseTable } from "./fixed-base-table.ts"
import type { FieldContext } from "./jacobian-arithmetic.ts"
import type { Sm2Point } from "./sm2.ts"

/**
 * 6-bit signed windows: 43 rows × 32 points = 1,376 affine points for a 256-bit order (about
 * 165 KB of BigInts per key, ~4 ms to build); t·P then costs at most 43 mixed additions.
 * A mixed addition costs ~2.4 µs here, so the 21 additions saved over the 4-bit unsigned windows
 * used before (64 additions, 960 points) are ~50 µs of a ~275 µs verification. Each extra bit
 * of width doubles the table for about five fewer additions.
 */
export const PUBLIC_KEY_WINDOW_BITS = 6
/** Keys with a table, least recently used dropped first: ≤ 64 × ~165 KB ≈ 10.6 MB per curve. */
export const PUBLIC_KEY_TABLES_MAX = 64
/** Keys seen once and waiting for a second use; cleared when full (one string per key). */
export const PUBLIC_KEYS_SEEN_MAX = 4096

export interface PublicKeyTables {
  /** Insertion order is recency order: a hit is moved to the end, the first entry is evicted. */
  readonly tables: Map<string, FixedBaseTable>
  readonly seenOnce: Set<string>
}

export const emptyPublicKeyTables = (): PublicKeyTables => ({ tables: new Map(), seenOnce: new Set() })

/** The key's coordinates in hex; a validated point's x and y are below p, so this is unique. */
const cacheKeyOf = (point: Sm2Point): string => `${point.x.toString(16)}:${point.y.toString(16)}`

/**
 * The table for a validated public key, or null on its first use (the caller then multiplies by
 * wNAF). Building and evicting here keep both collections within their bounds.
 */
export const publicKeyTableOf = (
  cache: PublicKeyTables,
  field: FieldContext,
  orderBits: number,
  point: Sm2Point,
): FixedBaseTable | null => {
  const key = cacheKeyOf(point)
  const known = cache.tables.get(key)
  if (known !== undefined) {
    cache.tables.delete(key)
    cache.tables.set(key, known)
    return known
  }
  if (!cache.seenOnce.has(key)) {
    if (cache.seenOnce.size >= PUBLIC_KEYS_SEEN_MAX) cache.seenOnce.clear()
    cache.seenOnce.add(key)
    return null
  }
  cache.seenOnce.delete(key)
  const table = buildFixedBaseTable(field, point, orderBits, PUBLIC_KEY_WINDOW_BITS)
  if (cache.tables.size >= PUBLIC_KEY_TABLES_MAX) {
    const oldest = cache.tables.keys().next()
    if (oldest.done !== true) cache.tables.delete(oldest.value)
  }
  cache.tables.set(key, table)
  return table
}
