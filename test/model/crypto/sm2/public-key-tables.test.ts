// Proves the native SM2's per-public-key tables change no answer: verify on a key's first use (wNAF), second use (table built) and later uses (table hit) agrees for valid and tampered signatures and with an exact oracle of which tampered signatures still verify, table multiples equal wNAF multiples, and the cache stays within its bounds.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import { fastCurveOf } from "../../../../model/crypto/sm2/fast-curve-context.ts"
import { buildFixedBaseTable, multiplyBase } from "../../../../model/crypto/sm2/fixed-base-table.ts"
import { toAffine } from "../../../../model/crypto/sm2/jacobian-arithmetic.ts"
import { nativeSm2 } from "../../../../model/crypto/sm2/native-sm2.ts"
import {
  emptyPublicKeyTables,
  HOT_KEY_USES,
  HOT_KEY_WINDOW_BITS,
  HOT_KEYS_MAX,
  PUBLIC_KEY_TABLES_MAX,
  PUBLIC_KEY_WINDOW_BITS,
  publicKeyTableOf,
} from "../../../../model/crypto/sm2/public-key-tables.ts"
import { referenceSm2 } from "../../../../model/crypto/sm2/reference-sm2.ts"
import { multiplyVariable } from "../../../../model/crypto/sm2/variable-base-multiply.ts"
import { ephemeralArb, messageArb, privateKeyArb, stillVerifies, userIdArb } from "./sm2-arbitraries.ts"

const curve = SM2P256V1
const context = fastCurveOf(curve)
const { field, orderBits } = context
const { n } = curve

/** How a signature is damaged before verification; "none" keeps it valid. */
const tamperArb = fc.constantFrom("none", "r+1", "s+1", "swap", "message", "other-key")

describe("verify with public-key tables", () => {
  it("answers the same on first (wNAF), second (table built) and later (table hit) uses", () => {
    let uncachedFirstUses = 0
    fc.assert(
      fc.property(
        privateKeyArb,
        ephemeralArb,
        messageArb,
        userIdArb,
        tamperArb,
        (d, k, message, userId, tamper) => {
          const publicKey = nativeSm2.publicKeyOf(curve, d)
          const signature = nativeSm2.sign(curve, d, userId, message, k)
          if (signature === null) return
          const { r, s } = signature
          const damaged =
            tamper === "r+1" ? { r: (r + 1n) % n, s } : tamper === "s+1" ? { r, s: (s + 1n) % n } : signature
          const used = tamper === "swap" ? { r: s, s: r } : damaged
          const text = tamper === "message" ? Uint8Array.of(...message, 1) : message
          const key =
            tamper === "other-key" ? nativeSm2.publicKeyOf(curve, d === n - 2n ? 1n : d + 1n) : publicKey
          const cacheKey = `${key.x.toString(16)}:${key.y.toString(16)}`
          const { tables, seenOnce } = context.publicKeyTables
          // Only a key neither tabled nor seen before takes the wNAF path on its first use here.
          const uncached = !tables.has(cacheKey) && !seenOnce.has(cacheKey)
          if (uncached) uncachedFirstUses++
          const first = nativeSm2.verify(curve, key, userId, text, used)
          const second = nativeSm2.verify(curve, key, userId, text, used)
          const third = nativeSm2.verify(curve, key, userId, text, used)
          expect(second).toBe(first)
          expect(third).toBe(first)
          expect(tables.has(cacheKey)).toBe(true)
          const sameKeyAndMessage = tamper !== "message" && tamper !== "other-key"
          expect(first).toBe(sameKeyAndMessage && stillVerifies(d, k, signature, used))
        },
      ),
      { numRuns: 500 },
    )
    // Random 256-bit keys rarely repeat, so most runs really compared the uncached path.
    expect(uncachedFirstUses).toBeGreaterThanOrEqual(300)
  })
})

describe("a tampered signature that is still valid", () => {
  // Found by the property above (fast-check seed 5): d = n − 3 (an edge key), k = 1, s + 1. Then
  // s' + (r + s')·d = k + (1 + d) = 1 − 2 = −1, so the verification point is −G, whose x is G's:
  // SM2 compares x only, so the changed signature is valid. Both layers, and every cache path,
  // must say so; the property's old oracle ("tampered ⇒ false") was wrong here, not the code.
  it("verifies on the wNAF, table-building and table-hit paths and in the reference layer", () => {
    const d = n - 3n
    const k = 1n
    const message = Uint8Array.from(Buffer.from("d08100b98544fe", "hex"))
    const userId = Uint8Array.from(Buffer.from("a5b50107a03203c7", "hex"))
    const signature = nativeSm2.sign(curve, d, userId, message, k)!
    const forged = { r: signature.r, s: (signature.s + 1n) % n }
    expect(stillVerifies(d, k, signature, forged)).toBe(true)
    const publicKey = nativeSm2.publicKeyOf(curve, d)
    const answers = [1, 2, 3].map(() => nativeSm2.verify(curve, publicKey, userId, message, forged))
    expect(answers).toEqual([true, true, true])
    expect(referenceSm2.verify(curve, publicKey, userId, message, forged)).toBe(true)
    // The oracle can say no: s + 2 gives u = k + 2(1 + d) = 1 − 4 = −3, neither 1 nor −1.
    const other = { r: signature.r, s: (signature.s + 2n) % n }
    expect(stillVerifies(d, k, signature, other)).toBe(false)
    expect(nativeSm2.verify(curve, publicKey, userId, message, other)).toBe(false)
    expect(referenceSm2.verify(curve, publicKey, userId, message, other)).toBe(false)
  })
})

describe("public-key tables", () => {
  it("give t·P equal to the wNAF multiple", () => {
    fc.assert(
      fc.property(privateKeyArb, ephemeralArb, (d, t) => {
        const point = nativeSm2.publicKeyOf(curve, d)
        const table = buildFixedBaseTable(field, point, orderBits, PUBLIC_KEY_WINDOW_BITS)
        expect(toAffine(field, multiplyBase(field, table, t))).toEqual(
          toAffine(field, multiplyVariable(field, point, t)),
        )
      }),
      { numRuns: 40 },
    )
  })

  it("build a table only on a key's second use, and keep at most the bound, dropping the least recent", () => {
    const cache = emptyPublicKeyTables()
    const keys = Array.from({ length: PUBLIC_KEY_TABLES_MAX + 1 }, (_, i) =>
      nativeSm2.publicKeyOf(curve, BigInt(i + 10)),
    )
    const first = keys[0]!
    expect(publicKeyTableOf(cache, field, orderBits, first)).toBeNull()
    const table = publicKeyTableOf(cache, field, orderBits, first)
    expect(table).not.toBeNull()
    expect(publicKeyTableOf(cache, field, orderBits, first)).toBe(table)
    for (const key of keys.slice(1)) {
      publicKeyTableOf(cache, field, orderBits, key)
      publicKeyTableOf(cache, field, orderBits, key)
      // Touching the first key keeps it the most recent, so the second key is evicted instead.
      publicKeyTableOf(cache, field, orderBits, first)
    }
    expect(cache.tables.size).toBe(PUBLIC_KEY_TABLES_MAX)
    expect(publicKeyTableOf(cache, field, orderBits, first)).toBe(table)
    const second = keys[1]!
    expect(cache.tables.has(`${second.x.toString(16)}:${second.y.toString(16)}`)).toBe(false)
  })
})

describe("hot public keys", () => {
  it("get a wide table after HOT_KEY_USES table hits, answering as before; at most HOT_KEYS_MAX are wide", () => {
    const cache = emptyPublicKeyTables()
    const keys = Array.from({ length: HOT_KEYS_MAX + 1 }, (_, i) =>
      nativeSm2.publicKeyOf(curve, BigInt(i + 77)),
    )
    const t = 0x1234_5678_9abc_def0_1234_5678_9abc_def0_1234_5678_9abc_def0n
    const hit = (key: (typeof keys)[number]) => publicKeyTableOf(cache, field, orderBits, key)
    for (const key of keys) {
      expect(hit(key)).toBeNull()
      const narrow = hit(key)!
      expect(narrow.windowBits).toBe(PUBLIC_KEY_WINDOW_BITS)
      for (let i = 1; i < HOT_KEY_USES; i++) expect(hit(key)).toBe(narrow)
      const next = hit(key)!
      const expected = toAffine(field, multiplyVariable(field, key, t))
      expect(toAffine(field, multiplyBase(field, next, t))).toEqual(expected)
      // The bound: the last key stays narrow once HOT_KEYS_MAX keys are wide.
      expect(next.windowBits).toBe(key === keys[HOT_KEYS_MAX] ? PUBLIC_KEY_WINDOW_BITS : HOT_KEY_WINDOW_BITS)
    }
    expect(cache.wide).toBe(HOT_KEYS_MAX)
  })

  it("verify the same signatures before and after widening, valid and tampered", () => {
    const d = 0x5a5a_1234n
    const key = nativeSm2.publicKeyOf(curve, d)
    const message = Uint8Array.of(1, 2, 3)
    const signature = nativeSm2.sign(curve, d, Uint8Array.of(9), message, 0x777n)!
    const bad = { r: signature.r, s: (signature.s + 1n) % n }
    for (let i = 0; i < HOT_KEY_USES + 4; i++) {
      expect(nativeSm2.verify(curve, key, Uint8Array.of(9), message, signature)).toBe(true)
      expect(nativeSm2.verify(curve, key, Uint8Array.of(9), message, bad)).toBe(false)
    }
    const { tables } = context.publicKeyTables
    expect(tables.get(`${key.x.toString(16)}:${key.y.toString(16)}`)!.windowBits).toBe(HOT_KEY_WINDOW_BITS)
  })
})
