/**
 * Fixed-base tables for the public keys a verifier meets again and again (the TSMs', MTPS's and
 * the CA's keys sign millions of messages in the twin), so that t·P in verification (GB/T
 * 32918.2 §7.1 B7) costs one mixed addition per window, like s·G, instead of ~256 doublings.
 * A key gets a table on its second use: one-off keys (a card's, a test's) never pay for one.
 * A key used `HOT_KEY_USES` times through its table (an institution's: the pilot's 13 sign every
 * envelope) gets a wider one, the width of G's (fixed-base-table.ts), bounded in count.
 * Tables are pure data derived from the point, so results are those of the uncached path.
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
/**
 * Hot keys' width: 10-bit signed windows, 26 rows × 512 points (≈ 1.6 MB, ~40 ms to build), so
 * t·P costs at most 26 mixed additions instead of 43: measured ≈ 40 µs less per verification
 * (≈ 225 → 185 µs), so the build pays for itself after about a thousand verifications.
 */
export const HOT_KEY_WINDOW_BITS = 10
/** Table hits after which a key's table is widened (≈ the break-even above). */
export const HOT_KEY_USES = 1024
/** Keys with a wide table at once (≤ 16 × 1.6 MB per curve); further hot keys keep the narrow one. */
export const HOT_KEYS_MAX = 16

export interface PublicKeyTables {
  /** Insertion order is recency order: a hit is moved to the end, the first entry is evicted. */
  readonly tables: Map<string, FixedBaseTable>
  readonly seenOnce: Set<string>
  /** Table hits per tabled key while its table is narrow (dropped with the table or on widening). */
  readonly uses: Map<string, number>
  /** How many tables in `tables` are wide. */
  wide: number
}

export const emptyPublicKeyTables = (): PublicKeyTables => ({
  tables: new Map(),
  seenOnce: new Set(),
  uses: new Map(),
  wide: 0,
})

/**
 * The cache key of each point object met, so a key verified again and again is not turned to hex
 * every time; the coordinates are kept beside it and compared, so a point object changed after
 * its first use (the type says readonly; this does not rely on it) gets its new key.
 */
const keysByPoint = new WeakMap<Sm2Point, { x: bigint; y: bigint; key: string }>()

/** The key's coordinates in hex; a validated point's x and y are below p, so this is unique. */
const cacheKeyOf = (point: Sm2Point): string => {
  const known = keysByPoint.get(point)
  if (known !== undefined && known.x === point.x && known.y === point.y) return known.key
  const key = `${point.x.toString(16)}:${point.y.toString(16)}`
  keysByPoint.set(point, { x: point.x, y: point.y, key })
  return key
}

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
    if (known.windowBits === HOT_KEY_WINDOW_BITS) {
      cache.tables.set(key, known)
      return known
    }
    const uses = (cache.uses.get(key) ?? 0) + 1
    if (uses < HOT_KEY_USES || cache.wide >= HOT_KEYS_MAX) {
      cache.uses.set(key, uses)
      cache.tables.set(key, known)
      return known
    }
    cache.uses.delete(key)
    const wide = buildFixedBaseTable(field, point, orderBits, HOT_KEY_WINDOW_BITS)
    cache.wide++
    cache.tables.set(key, wide)
    return wide
  }
  if (!cache.seenOnce.has(key)) {
    if (cache.seenOnce.size >= PUBLIC_KEYS_SEEN_MAX) cache.seenOnce.clear()
    cache.seenOnce.add(key)
    return null
  }
  cache.seenOnce.delete(key)
  const table = buildFixedBaseTable(field, point, orderBits, PUBLIC_KEY_WINDOW_BITS)
  if (cache.tables.size >= PUBLIC_KEY_TABLES_MAX) {
    const oldest = cache.tables.entries().next()
    if (oldest.done !== true) {
      const [oldKey, oldTable] = oldest.value
      cache.tables.delete(oldKey)
      cache.uses.delete(oldKey)
      if (oldTable.windowBits === HOT_KEY_WINDOW_BITS) cache.wide--
    }
  }
  cache.tables.set(key, table)
  return table
}
