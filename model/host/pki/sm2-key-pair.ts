/**
 * SM2 key pairs and signatures with injected entropy: the retry rule of GB/T 32918.2 §6.1 (draw a
 * new k when r = 0, r + k = n or s = 0) lives here once, for certificates and envelopes alike.
 */
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import type { Sm2Point, Sm2Signature } from "../../crypto/sm2/sm2.ts"
import { drawScalar, type EntropySource } from "./entropy.ts"

export interface Sm2KeyPair {
  readonly privateKey: bigint
  readonly publicKey: Sm2Point
}

/** A redraw happens with probability about 2^-255 per attempt; 8 failures in a row is a bug. */
const SIGN_ATTEMPTS_MAX = 8

export const generateKeyPair = (crypto: Crypto, entropy: EntropySource, purpose: string): Sm2KeyPair => {
  const privateKey = drawScalar(entropy, SM2P256V1, `${purpose}/private-key`)
  return { privateKey, publicKey: crypto.sm2.publicKeyOf(SM2P256V1, privateKey) }
}

/** Signs `message` with ZA from `userId` and the signer's public key; k comes from `purpose`. */
export const signWithEntropy = (
  crypto: Crypto,
  key: Sm2KeyPair,
  userId: Uint8Array,
  message: Uint8Array,
  entropy: EntropySource,
  purpose: string,
): Sm2Signature => {
  for (let attempt = 0; attempt < SIGN_ATTEMPTS_MAX; attempt++) {
    const k = drawScalar(entropy, SM2P256V1, `${purpose}/k/${attempt}`)
    const signature = crypto.sm2.sign(SM2P256V1, key.privateKey, userId, message, k)
    if (signature !== null) return signature
  }
  throw new Error(
    `SM2 signing for ${purpose} failed ${SIGN_ATTEMPTS_MAX} times: the entropy source is broken`,
  )
}
