/** fast-check generators for SM2 inputs on sm2p256v1, shared by the SM2 property tests. */
import fc from "fast-check"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"

const { n } = SM2P256V1

/** GB/T 32918.1 §6.1: private keys in [1, n − 2]. Edges included on purpose. */
export const privateKeyArb = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 1n, max: n - 2n }) },
  { weight: 1, arbitrary: fc.constantFrom(1n, 2n, n - 2n, n - 3n) },
)

/** Ephemeral scalars in [1, n − 1]. */
export const ephemeralArb = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 1n, max: n - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(1n, 2n, n - 1n, n - 2n) },
)

export const messageArb = fc.uint8Array({ maxLength: 96 })
export const userIdArb = fc.uint8Array({ maxLength: 40 })
