/**
 * SHA-1 (FIPS 180-4), the hash of EMV's RSA certificates and signed data (Book 2 Annex B3.1,
 * hash algorithm indicator 01). OpenSSL's implementation through node:crypto; EMV needs nothing
 * else from it, so it sits beside the Crypto interface rather than in both layers.
 */
import { createHash } from "node:crypto"

export const sha1 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash("sha1").update(data).digest())
