// Proves the story's byte source is SM3 in counter mode over (seed, purpose, counter), recomputed
// here with node:crypto: draws concatenate into one stream whatever their sizes, and purposes and
// seeds give independent streams; a source resumed from its position (a held card keeps only
// that number) gives exactly the bytes the original would have given next.
import { createHash } from "node:crypto"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { positionOf, seededBytes } from "../../../../model/host/card-story/seeded-bytes.ts"

/** The definition, written apart: block i = SM3(seed as u64 BE ‖ UTF-8 purpose ‖ i as u32 BE). */
const expected = (seed: number, purpose: string, lengthBytes: number): Uint8Array => {
  const blocks: Buffer[] = []
  for (let i = 0; blocks.length * 32 < lengthBytes; i++) {
    const seedBytes = Buffer.alloc(8)
    seedBytes.writeBigUInt64BE(BigInt(seed))
    const counter = Buffer.alloc(4)
    counter.writeUInt32BE(i)
    blocks.push(
      createHash("sm3")
        .update(Buffer.concat([seedBytes, Buffer.from(purpose, "utf8"), counter]))
        .digest(),
    )
  }
  return new Uint8Array(Buffer.concat(blocks).subarray(0, lengthBytes))
}

describe("seededBytes", () => {
  it("is SM3 in counter mode, whatever the sizes of the draws", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.string({ maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 6 }),
        (seed, purpose, sizes) => {
          const draw = seededBytes(nativeCrypto, seed, purpose)
          const drawn = sizes.flatMap((n) => [...draw(n)])
          const total = sizes.reduce((a, b) => a + b, 0)
          expect(drawn).toEqual([...expected(seed, purpose, total)])
        },
      ),
      { numRuns: 300 },
    )
  })

  it("gives different streams for different purposes and seeds", () => {
    const a = seededBytes(nativeCrypto, 1, "keys")(32)
    expect(seededBytes(nativeCrypto, 1, "keys")(32)).toEqual(a)
    expect(seededBytes(nativeCrypto, 1, "card")(32)).not.toEqual(a)
    expect(seededBytes(nativeCrypto, 2, "keys")(32)).not.toEqual(a)
  })

  it("refuses a seed or a draw it cannot serve", () => {
    expect(() => seededBytes(nativeCrypto, -1, "x")).toThrow(RangeError)
    expect(() => seededBytes(nativeCrypto, 1.5, "x")).toThrow(RangeError)
    expect(() => seededBytes(nativeCrypto, 1, "x")(-1)).toThrow(RangeError)
    expect(() => seededBytes(nativeCrypto, 1, "x")(1 << 20)).toThrow(RangeError)
  })

  it("resumes from its position with the bytes the original gives next", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 70 }), { maxLength: 6 }), fc.nat({ max: 70 }), (draws, next) => {
        const original = seededBytes(nativeCrypto, 9, "resume")
        let drawn = 0
        for (const n of draws) drawn += original(n).length
        expect(positionOf(original)).toBe(drawn)
        const resumed = seededBytes(nativeCrypto, 9, "resume", positionOf(original))
        expect(positionOf(resumed)).toBe(drawn)
        expect(resumed(next)).toEqual(original(next))
        expect(positionOf(resumed)).toBe(drawn + next)
        expect(resumed(5)).toEqual(expected(9, "resume", drawn + next + 5).subarray(drawn + next))
      }),
      { numRuns: 200 },
    )
    expect(() => positionOf(() => new Uint8Array(0))).toThrow(TypeError)
    expect(() => seededBytes(nativeCrypto, 1, "x", -1)).toThrow(RangeError)
  })
})
