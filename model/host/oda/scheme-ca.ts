/**
 * The twin's payment-scheme certification authority for offline data authentication: the CA
 * whose public keys every terminal holds (EMV 4.3 Book 2 §5.1: RID + CA public key index 8F) and
 * which certifies issuer public keys. It is separate from the MTPS PKI (model/host/pki), which
 * certifies institutions for message signatures, as the real UnionPay CA is separate from it.
 *
 * Keys come from a seeded byte stream (DESIGN.md §4), so a scenario seed fixes them: an RSA key
 * (1024 bits, exponent 3) and an SM2 key. The indexes are twin values, not UnionPay's.
 */

import { bigintToBytes, bytesToBigint } from "../../bytes/bytes.ts"
import { hex } from "../../bytes/hex.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { generateRsaKey, type RsaPrivateKey, type RsaPublicKey } from "../../crypto/rsa.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import type { Sm2Point } from "../../crypto/sm2/sm2.ts"
import { seededBytes } from "../card-story/seeded-bytes.ts"

/** The PBOC/UnionPay registered application provider identifier. */
export const PBOC_RID = hex("A000000333")
export const CA_INDEX = { rsa: 0x10, sm2: 0x11 } as const
export const CA_RSA_MODULUS_BYTES = 128

export type CaPublicKey =
  | {
      readonly rid: Uint8Array
      readonly index: number
      readonly algorithm: "rsa"
      readonly key: RsaPublicKey
    }
  | { readonly rid: Uint8Array; readonly index: number; readonly algorithm: "sm2"; readonly key: Sm2Point }

export interface SchemeCa {
  readonly rsaKey: RsaPrivateKey
  readonly sm2PrivateKey: Uint8Array
  /** What terminals are loaded with. */
  readonly publicKeys: ReadonlyArray<CaPublicKey>
}

/** An SM2 private key in [1, n-2] from a byte stream. */
export const sm2PrivateKeyFrom = (draw: (n: number) => Uint8Array): Uint8Array =>
  bigintToBytes((bytesToBigint(draw(40)) % (SM2P256V1.n - 2n)) + 1n, 32)

export const createSchemeCa = (crypto: Crypto, seed: number): SchemeCa => {
  const rsaKey = generateRsaKey(seededBytes(crypto, seed, "scheme-ca/rsa"), CA_RSA_MODULUS_BYTES, 3)
  const sm2PrivateKey = sm2PrivateKeyFrom(seededBytes(crypto, seed, "scheme-ca/sm2"))
  const sm2Public = crypto.sm2.publicKeyOf(SM2P256V1, bytesToBigint(sm2PrivateKey))
  return {
    rsaKey,
    sm2PrivateKey,
    publicKeys: [
      {
        rid: PBOC_RID,
        index: CA_INDEX.rsa,
        algorithm: "rsa",
        key: { modulus: rsaKey.modulus, exponent: rsaKey.exponent },
      },
      { rid: PBOC_RID, index: CA_INDEX.sm2, algorithm: "sm2", key: sm2Public },
    ],
  }
}
