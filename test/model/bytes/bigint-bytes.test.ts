// Proves bigintToBytes (read through the hex text) against a byte-by-byte BigInt oracle: the same bytes for every value that fits, the width kept, and a RangeError for values that do not fit.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bigintToBytes, bytesToBigint } from "../../../model/bytes/bytes.ts"

/** The definition: byte i is bits 8·(width − 1 − i) … of the value, by BigInt shifts. */
const oracle = (value: bigint, width: number): Uint8Array => {
  const out = new Uint8Array(width)
  for (let i = 0; i < width; i++) out[width - 1 - i] = Number((value >> BigInt(8 * i)) & 0xffn)
  return out
}

describe("bigintToBytes", () => {
  it("equals the shift-and-mask oracle and round-trips through bytesToBigint", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.bigInt({ min: 0n, max: 2n ** 640n }), (width, raw) => {
        const value = raw % (1n << BigInt(8 * width))
        const bytes = bigintToBytes(value, width)
        expect(bytes).toEqual(oracle(value, width))
        expect(bytesToBigint(bytes)).toBe(value)
      }),
      { numRuns: 3000 },
    )
  })

  it("keeps odd-length hex, zero and the largest value of a width", () => {
    expect([...bigintToBytes(0n, 3)]).toEqual([0, 0, 0])
    expect([...bigintToBytes(0xabcn, 3)]).toEqual([0, 0x0a, 0xbc])
    expect([...bigintToBytes(0xffffffn, 3)]).toEqual([0xff, 0xff, 0xff])
  })

  it("refuses a value one past the width and a negative value", () => {
    expect(() => bigintToBytes(1n << 24n, 3)).toThrow(RangeError)
    expect(() => bigintToBytes(-1n, 3)).toThrow(RangeError)
  })
})
