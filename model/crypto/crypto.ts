/**
 * The one interface every part of the twin uses for cryptography (DESIGN.md §4 "Crypto").
 *
 * Two implementations stand behind it and must agree byte for byte (property tests) and with the
 * published vectors (test/vectors):
 * - `reference` (reference-crypto.ts): sm-crypto for SM3/SM4, straightforward textbook code for
 *   DES/AES and SM2 — slow, written to be read against the standards;
 * - `native` (native-crypto.ts): node:crypto (OpenSSL) for SM3/SM4/AES/3DES/HMAC, and the
 *   project's own optimized SM2, because Node 20 cannot make standard SM2 signatures (STACK.md).
 *
 * Everything built from these primitives (MACs, KDFs, key derivation, secure channels) is written
 * once, on top of this interface, so a layer swap changes only the primitives.
 *
 * The interface is synchronous and allocation-light: it is called on the data plane, per APDU.
 * Entropy is never drawn here; callers pass ephemeral scalars and challenges (DESIGN.md §4).
 */
import type { Sm2 } from "./sm2/sm2.ts"

/** Block ciphers by the name the standards use. TDES takes a 16-byte (K1‖K2‖K1) or 24-byte key. */
export type BlockCipherName = "DES" | "TDES" | "AES" | "SM4"

export const BLOCK_BYTES: Readonly<Record<BlockCipherName, number>> = { DES: 8, TDES: 8, AES: 16, SM4: 16 }

export interface Crypto {
  readonly name: "native" | "reference"
  /** SM3 digest (GB/T 32905-2016), 32 bytes. */
  readonly sm3: (data: Uint8Array) => Uint8Array
  /** HMAC (RFC 2104) with SM3, block size 64, 32-byte output. */
  readonly hmacSm3: (key: Uint8Array, data: Uint8Array) => Uint8Array
  /** ECB without padding: data must be a whole number of blocks (a programmer error otherwise). */
  readonly encryptEcb: (cipher: BlockCipherName, key: Uint8Array, data: Uint8Array) => Uint8Array
  readonly decryptEcb: (cipher: BlockCipherName, key: Uint8Array, data: Uint8Array) => Uint8Array
  /** CBC without padding, with an explicit IV of one block. */
  readonly encryptCbc: (
    cipher: BlockCipherName,
    key: Uint8Array,
    iv: Uint8Array,
    data: Uint8Array,
  ) => Uint8Array
  readonly decryptCbc: (
    cipher: BlockCipherName,
    key: Uint8Array,
    iv: Uint8Array,
    data: Uint8Array,
  ) => Uint8Array
  /** SM2 (GB/T 32918 / GM/T 0003): keys, signatures with ZA, encryption C1‖C3‖C2. */
  readonly sm2: Sm2
}
