// Proves the native layer's building blocks against the textbook ones: width-w NAF and signed-window digits rebuild the scalar, fixed-base and variable-base multiples equal the affine double-and-add, and the inversion-free x check accepts exactly the congruent x.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import { fastCurveOf, tableOf } from "../../../../model/crypto/sm2/fast-curve-context.ts"
import { multiplyBase, signedDigitsOf } from "../../../../model/crypto/sm2/fixed-base-table.ts"
import { add, affineXCongruent, toAffine } from "../../../../model/crypto/sm2/jacobian-arithmetic.ts"
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

describe("signedDigitsOf", () => {
  it("gives digits in [−2^(w−1), 2^(w−1)] whose base-2^w sum is k, and refuses a too-wide k", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.integer({ min: 2, max: 12 }), (k, w) => {
        const rows = Math.ceil(257 / w)
        const digits = signedDigitsOf(k, w, rows)
        let sum = 0n
        digits.forEach((digit, i) => {
          expect(Math.abs(digit)).toBeLessThanOrEqual(2 ** (w - 1))
          sum += BigInt(digit) << BigInt(w * i)
        })
        expect(sum).toBe(k)
      }),
      { numRuns: 2000 },
    )
    // All ones: every window carries, and the carry out of the top must still fit the rows.
    expect(() => signedDigitsOf(2n ** 256n - 1n, 6, 43)).not.toThrow()
    expect(() => signedDigitsOf(2n ** 258n - 1n, 6, 43)).toThrow(RangeError)
  })
})

describe("affineXCongruent", () => {
  const { p, n } = SM2P256V1
  /** A Jacobian point whose affine x is `x`, with a Z that is not 1 (so the check must use Z²). */
  const jacobianWithX = (x: bigint, z: bigint) => ({ x: (x * ((z * z) % p)) % p, y: 1n, z })

  it("accepts exactly the x ≡ target (mod n), including x in [n, p) which only the second candidate meets", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: p - 1n }), fc.bigInt({ min: 2n, max: p - 1n }), (x, z) => {
        const point = jacobianWithX(x, z)
        expect(affineXCongruent(field, point, x % n, n)).toBe(true)
        expect(affineXCongruent(field, point, (x + 1n) % n, n)).toBe(false)
      }),
      { numRuns: 500 },
    )
    const high = n + 5n
    expect(high < p).toBe(true)
    expect(affineXCongruent(field, jacobianWithX(high, 7n), 5n, n)).toBe(true)
    expect(affineXCongruent(field, jacobianWithX(5n, 7n), 5n, n)).toBe(true)
    expect(affineXCongruent(field, jacobianWithX(high, 7n), 6n, n)).toBe(false)
  })

  it("is false at infinity and refuses a target outside [0, n)", () => {
    expect(affineXCongruent(field, { x: 1n, y: 1n, z: 0n }, 1n, n)).toBe(false)
    expect(() => affineXCongruent(field, jacobianWithX(5n, 7n), n, n)).toThrow(RangeError)
  })
})
