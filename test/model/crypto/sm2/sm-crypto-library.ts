/**
 * The real sm-crypto library (npm `sm-crypto` 0.5.x) for interoperability tests, loaded through
 * `require` with the few signatures used: it ships no types. Its conventions, read from its
 * source: keys and signatures are lower-case hex; public keys carry the 04 prefix; signatures are
 * r ‖ s (64 hex digits each) unless `der`; ciphertexts are hex **without** the 04 of C1, in
 * C1 ‖ C3 ‖ C2 order for cipherMode 1; the user ID is a string, UTF-8 encoded; byte input must be
 * an array (a string is taken as UTF-8 text); decryption answers [] on any failure.
 */
import { createRequire } from "node:module"

interface SmCryptoSm2 {
  readonly doSignature: (
    message: ReadonlyArray<number>,
    privateKeyHex: string,
    options: { hash: true; publicKey: string; userId: string },
  ) => string
  readonly doVerifySignature: (
    message: ReadonlyArray<number>,
    signatureHex: string,
    publicKeyHex: string,
    options: { hash: true; userId: string },
  ) => boolean
  readonly doEncrypt: (message: ReadonlyArray<number>, publicKeyHex: string, cipherMode: 0 | 1) => string
  readonly doDecrypt: (
    ciphertextHex: string,
    privateKeyHex: string,
    cipherMode: 0 | 1,
    options: { output: "array" },
  ) => number[]
  readonly getPublicKeyFromPrivateKey: (privateKeyHex: string) => string
}

export const smCryptoSm2 = (createRequire(import.meta.url)("sm-crypto") as { sm2: SmCryptoSm2 }).sm2

/** C1 ‖ C3 ‖ C2 in sm-crypto's convention. */
export const C1C3C2 = 1
