/**
 * Entropy for keys, signature nonces k and message nonces, always injected (DESIGN.md §4: no
 * ambient randomness in model/). A source answers fresh-looking bytes for a purpose string; the
 * caller makes every purpose unique (a key name, a serial, a message counter), so adding one draw
 * never shifts another, and the same seed gives byte-identical certificates and envelopes.
 */
import type { Crypto } from "../../crypto/crypto.ts"
import type { Sm2Curve } from "../../crypto/sm2/sm2.ts"

/** At least `ENTROPY_BYTES_MIN` bytes for each distinct purpose. */
export type EntropySource = (purpose: string) => Uint8Array

/** A 256-bit scalar needs 32 bytes; fewer would leave most of [1, n-1] unreachable. */
export const ENTROPY_BYTES_MIN = 32

/**
 * SM3(seed ‖ 00 ‖ purpose): a deterministic stand-in for a seeded stream where the PKI runs without
 * the kernel (tests, the `pki/` export). It is not a DRBG and need not be: the twin's keys protect
 * nothing real.
 */
export const hashEntropy =
  (crypto: Crypto, seed: string): EntropySource =>
  (purpose) =>
    crypto.sm3(new TextEncoder().encode(`${seed}\u0000${purpose}`))

/**
 * A scalar in [1, n-2] from the purpose's bytes, the private-key range of GB/T 32918.1 §6.1
 * (also valid as a signing k, whose range [1, n-1] contains it). Reduction bias is below 2^-32
 * for sm2p256v1, whose n is within 2^224 of 2^256.
 */
export const drawScalar = (entropy: EntropySource, curve: Sm2Curve, purpose: string): bigint => {
  const bytes = entropy(purpose)
  if (bytes.length < ENTROPY_BYTES_MIN) {
    throw new RangeError(`entropy for ${purpose}: ${bytes.length} bytes, need ${ENTROPY_BYTES_MIN}`)
  }
  let value = 0n
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  return (value % (curve.n - 2n)) + 1n
}
