// Proves the curve helpers: sm2p256v1's constants hold together, point encoding round-trips, and decoding refuses every malformed or off-curve input with null.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import {
  curveFromHex,
  decodePoint,
  encodePoint,
  isOnCurve,
  SM2P256V1,
} from "../../../../model/crypto/sm2/curve.ts"
import { nativeSm2 } from "../../../../model/crypto/sm2/native-sm2.ts"
import { multiplyPoint } from "../../../../model/crypto/sm2/textbook-curve-math.ts"
import { privateKeyArb } from "./sm2-arbitraries.ts"

const G = { x: SM2P256V1.gx, y: SM2P256V1.gy }

describe("SM2P256V1", () => {
  it("has p = 2^256 − 2^224 − 2^96 + 2^64 − 1, a = p − 3, and G on the curve", () => {
    const { p, a } = SM2P256V1
    expect(p).toBe(2n ** 256n - 2n ** 224n - 2n ** 96n + 2n ** 64n - 1n)
    expect(a).toBe(p - 3n)
    expect(isOnCurve(SM2P256V1, G)).toBe(true)
  })

  it("has n·G = O and (n − 1)·G = −G (n is G's order)", () => {
    expect(multiplyPoint(SM2P256V1, SM2P256V1.n, G)).toBeNull()
    expect(multiplyPoint(SM2P256V1, SM2P256V1.n - 1n, G)).toEqual({ x: G.x, y: SM2P256V1.p - G.y })
  })
})

describe("curveFromHex", () => {
  const params = {
    p: "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF",
    a: "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC",
    b: "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93",
    gx: "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7",
    gy: "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0",
    n: "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123",
  }

  it("reads GB/T 32918.5's hex parameters", () => {
    expect(curveFromHex(params)).toEqual({ ok: true, value: SM2P256V1 })
  })

  it("names the field of bad hex and refuses a G off the curve", () => {
    const bad = curveFromHex({ ...params, b: "XY" })
    expect(bad.ok ? null : [bad.error.reason, bad.error.field]).toEqual(["bad-hex", "b"])
    const off = curveFromHex({ ...params, gy: params.gx })
    expect(off.ok ? null : off.error.reason).toBe("base-point-not-on-curve")
  })
})

describe("point encoding", () => {
  it("encodes G as 04 ‖ xG ‖ yG", () => {
    expect(toHex(encodePoint(SM2P256V1, G))).toBe(`04${params64(G.x)}${params64(G.y)}`)
  })

  it("round-trips public keys", () => {
    fc.assert(
      fc.property(privateKeyArb, (d) => {
        const point = nativeSm2.publicKeyOf(SM2P256V1, d)
        expect(decodePoint(SM2P256V1, encodePoint(SM2P256V1, point))).toEqual(point)
      }),
      { numRuns: 300 },
    )
  })

  it("answers null for a wrong prefix, length, coordinate ≥ p or a point off the curve", () => {
    const good = encodePoint(SM2P256V1, G)
    const prefixed = good.slice()
    prefixed[0] = 0x02
    const offCurve = good.slice()
    offCurve[64]! ^= 1
    const tooBig = hex(`04${"FF".repeat(32)}${params64(G.y)}`)
    for (const bytes of [prefixed, offCurve, tooBig, good.subarray(0, 64), new Uint8Array(0)]) {
      expect(decodePoint(SM2P256V1, bytes)).toBeNull()
    }
  })

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        const point = decodePoint(SM2P256V1, bytes)
        expect(point === null || isOnCurve(SM2P256V1, point)).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })
})

const params64 = (value: bigint): string => value.toString(16).toUpperCase().padStart(64, "0")
