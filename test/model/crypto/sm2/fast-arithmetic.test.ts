// Proves the native layer's building blocks against the textbook ones: width-w NAF digits rebuild the scalar, and fixed-base and variable-base multiples equal the affine double-and-add.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import { fastCurveOf, tableOf } from "../../../../model/crypto/sm2/fast-curve-context.ts"
import { multiplyBase } from "../../../../model/crypto/sm2/fixed-base-table.ts"
import { add, toAffine } from "../../../../model/crypto/sm2/jacobian-arithmetic.ts"
import { addPoints, multiplyPoint } from "../../../../model/crypto/sm2/textbook-curve-math.ts"
import { multiplyVariable, wnafOf } from "../../../../model/crypto/sm2/variable-base-multiply.ts"
import { ephemeralArb } from "./sm2-arbitraries.ts"

const G = { x: SM2P256V1.gx, y: SM2P256V1.gy }
const context = fastCurveOf(SM2P256V1)
const { field } = context

describe("wnafOf", () => {
  it("gives odd digits below 2^(w−1), at most one non-zero per w positions, summing to k", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 260n }), fc.integer({ min: 2, max: 7 }), (k, w) => {
        const digits = wnafOf(k, w)
        let sum = 0n
        let lastNonZero = -w
        digits.forEach((digit, i) => {
          if (digit === 0) return
          expect(Math.abs(digit) % 2).toBe(1)
          expect(Math.abs(digit)).toBeLessThan(2 ** (w - 1))
          expect(i - lastNonZero).toBeGreaterThanOrEqual(w)
          lastNonZero = i
          sum += BigInt(digit) << BigInt(i)
        })
        expect(sum).toBe(k)
      }),
      { numRuns: 2000 },
    )
  })
})

describe("fast multiples agree with the textbook", () => {
  it("k·G from the fixed-base table", () => {
    fc.assert(
      fc.property(ephemeralArb, (k) => {
        const fast = toAffine(field, multiplyBase(field, tableOf(context), k))
        expect(fast).toEqual(multiplyPoint(SM2P256V1, k, G))
      }),
      { numRuns: 200 },
    )
  })

  it("t·P by wNAF and s·G + t·P, including P = ±G where additions meet doublings", () => {
    fc.assert(
      fc.property(ephemeralArb, ephemeralArb, fc.boolean(), (s, t, useG) => {
        const point = useG ? G : (multiplyPoint(SM2P256V1, s, G) ?? G)
        const expected = multiplyPoint(SM2P256V1, t, point)
        expect(toAffine(field, multiplyVariable(field, point, t))).toEqual(expected)
        const sum = add(field, multiplyBase(field, tableOf(context), s), multiplyVariable(field, point, t))
        expect(toAffine(field, sum)).toEqual(addPoints(SM2P256V1, multiplyPoint(SM2P256V1, s, G), expected))
      }),
      { numRuns: 150 },
    )
  })

  it("handles k·G = −(table entry) and n − k", () => {
    for (const k of [1n, 2n, 255n, 256n, SM2P256V1.n - 1n, SM2P256V1.n - 256n]) {
      expect(toAffine(field, multiplyBase(field, tableOf(context), k))).toEqual(
        multiplyPoint(SM2P256V1, k, G),
      )
    }
    const minusG = { x: G.x, y: SM2P256V1.p - G.y }
    expect(
      toAffine(
        field,
        add(field, multiplyBase(field, tableOf(context), 1n), multiplyVariable(field, minusG, 1n)),
      ),
    ).toBeNull()
  })
})
