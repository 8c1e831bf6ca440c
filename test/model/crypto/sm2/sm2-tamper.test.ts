// Proves that one flipped bit anywhere in the message, r, s, the public key or the user ID makes SM2 verification fail in both layers, except where the changed s is still valid by the algebra (r kept and the verification point ±k·G; an exact oracle, see sm2-arbitraries.ts), which both layers must then accept.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import { nativeSm2 } from "../../../../model/crypto/sm2/native-sm2.ts"
import { referenceSm2 } from "../../../../model/crypto/sm2/reference-sm2.ts"
import type { Sm2Point, Sm2Signature } from "../../../../model/crypto/sm2/sm2.ts"
import { propertyRuns } from "../../../property-runs.ts"
import { ephemeralArb, privateKeyArb, stillVerifies } from "./sm2-arbitraries.ts"

// numRuns: each case verifies once per layer; the reference layer's ~20 ms per verification
// keeps this at 400 cases (a few seconds: most tampered inputs fail before any scalar multiplication).
const RUNS = propertyRuns(400)
const curve = SM2P256V1

type Target = "message" | "r" | "s" | "x" | "y" | "userId"

const flipBytes = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = bytes.slice()
  out[(bit >> 3) % out.length]! ^= 1 << (bit & 7)
  return out
}

const flipBigint = (value: bigint, bit: number): bigint => value ^ (1n << BigInt(bit % 256))

const tamper = (
  target: Target,
  bit: number,
  input: { publicKey: Sm2Point; userId: Uint8Array; message: Uint8Array; signature: Sm2Signature },
) => {
  const { publicKey, signature } = input
  return {
    ...input,
    message: target === "message" ? flipBytes(input.message, bit) : input.message,
    userId: target === "userId" ? flipBytes(input.userId, bit) : input.userId,
    publicKey: {
      x: target === "x" ? flipBigint(publicKey.x, bit) : publicKey.x,
      y: target === "y" ? flipBigint(publicKey.y, bit) : publicKey.y,
    },
    signature: {
      r: target === "r" ? flipBigint(signature.r, bit) : signature.r,
      s: target === "s" ? flipBigint(signature.s, bit) : signature.s,
    },
  }
}

describe("a flipped bit", () => {
  it("makes verification fail in both layers", () => {
    fc.assert(
      fc.property(
        privateKeyArb,
        ephemeralArb,
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        fc.constantFrom<Target>("message", "r", "s", "x", "y", "userId"),
        fc.nat({ max: 4095 }),
        (d, k, message, userId, target, bit) => {
          const signature = nativeSm2.sign(curve, d, userId, message, k)
          fc.pre(signature !== null)
          const publicKey = nativeSm2.publicKeyOf(curve, d)
          const bad = tamper(target, bit, { publicKey, userId, message, signature: signature! })
          // Flipping a bit of s can land on an s' that is still valid (d = n − 3, k = 1, bit 0 of an even s).
          const valid = target === "s" && stillVerifies(d, k, signature!, bad.signature)
          for (const sm2 of [nativeSm2, referenceSm2]) {
            expect(sm2.verify(curve, bad.publicKey, bad.userId, bad.message, bad.signature)).toBe(valid)
          }
        },
      ),
      { numRuns: RUNS },
    )
  })
})
