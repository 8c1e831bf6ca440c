/**
 * The run's Crypto with a counter per operation, so the report and the benchmark can state how
 * many SM2 signatures, SM3 digests and block-cipher calls the byte-level users really made (the
 * "crypto floor" of DESIGN.md §5). Counting wraps the interface; the primitives are untouched.
 */
import type { Crypto } from "../../crypto/crypto.ts"

export interface CryptoCounts {
  sm2Sign: number
  sm2Verify: number
  sm3: number
  hmacSm3: number
  blockEcb: number
  blockCbc: number
}

export const countingCrypto = (inner: Crypto): { crypto: Crypto; counts: CryptoCounts } => {
  const counts: CryptoCounts = { sm2Sign: 0, sm2Verify: 0, sm3: 0, hmacSm3: 0, blockEcb: 0, blockCbc: 0 }
  const crypto: Crypto = {
    ...inner,
    sm3: (data) => {
      counts.sm3++
      return inner.sm3(data)
    },
    hmacSm3: (key, data) => {
      counts.hmacSm3++
      return inner.hmacSm3(key, data)
    },
    encryptEcb: (c, k, d) => {
      counts.blockEcb++
      return inner.encryptEcb(c, k, d)
    },
    decryptEcb: (c, k, d) => {
      counts.blockEcb++
      return inner.decryptEcb(c, k, d)
    },
    encryptCbc: (...args) => {
      counts.blockCbc++
      return inner.encryptCbc(...args)
    },
    decryptCbc: (...args) => {
      counts.blockCbc++
      return inner.decryptCbc(...args)
    },
    sm2: {
      ...inner.sm2,
      sign: (...args) => {
        counts.sm2Sign++
        return inner.sm2.sign(...args)
      },
      verify: (...args) => {
        counts.sm2Verify++
        return inner.sm2.verify(...args)
      },
    },
  }
  return { crypto, counts }
}
