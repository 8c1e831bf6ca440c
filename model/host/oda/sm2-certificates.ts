/**
 * PBOC 3.0's SM-algorithm public key certificates as the twin reads them (JR/T 0025.17 is not
 * public, PROTOCOLS.md §5, so this layout is the twin's own reading, labelled as such): the EMV
 * certificate fields in clear, then an SM2 signature instead of RSA recovery.
 *
 *   format (12 issuer, 14 ICC) ‖ identifier (4 or 10) ‖ expiry MMYY ‖ serial(3) ‖
 *   signature algorithm 04 ‖ key algorithm 04 ‖ key length 40 ‖ key x ‖ y (64) ‖ signature r ‖ s (64)
 *
 * The signature covers every field before it and, for the ICC certificate, the static data to be
 * authenticated; ZA uses the default ID 1234567812345678 and the signer's public key.
 */
import { bigintToBytes, bytesToBigint, concat } from "../../bytes/bytes.ts"
import { signSm2Deterministic } from "../../card/applets/pboc/pboc-oda.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID, type Sm2Point } from "../../crypto/sm2/sm2.ts"
import { type OdaFailure, type OdaResult, odaFail } from "./oda-result.ts"

export const SM2_CERT_FORMAT = { issuer: 0x12, icc: 0x14 } as const
const SM2_ALGORITHM = 0x04
const POINT_BYTES = 64
const SIGNATURE_BYTES = 64

export interface Sm2CertificateFields {
  readonly format: 0x12 | 0x14
  readonly identifier: Uint8Array
  readonly expiryMmyy: Uint8Array
  readonly serial: Uint8Array
}

export const pointBytes = (p: Sm2Point): Uint8Array => concat(bigintToBytes(p.x, 32), bigintToBytes(p.y, 32))

const identifierBytes = (format: number): number => (format === SM2_CERT_FORMAT.issuer ? 4 : 10)

/** Signs the certificate with the signer's private key (32 bytes); k is derived (pboc-oda.ts). */
export const issueSm2Certificate = (
  crypto: Crypto,
  signerPrivateKey: Uint8Array,
  fields: Sm2CertificateFields,
  subject: Sm2Point,
  extraSigned: Uint8Array = new Uint8Array(0),
): Uint8Array => {
  if (fields.identifier.length !== identifierBytes(fields.format)) throw new RangeError("identifier length")
  const body = concat(
    new Uint8Array([fields.format]),
    fields.identifier,
    fields.expiryMmyy,
    fields.serial,
    new Uint8Array([SM2_ALGORITHM, SM2_ALGORITHM, POINT_BYTES]),
    pointBytes(subject),
  )
  return concat(body, signSm2Deterministic(crypto, signerPrivateKey, concat(body, extraSigned)))
}

export interface RecoveredSm2Certificate {
  readonly key: Sm2Point
  readonly identifier: Uint8Array
  readonly expiryMmyy: Uint8Array
}

export const verifySm2Signature = (
  crypto: Crypto,
  signer: Sm2Point,
  message: Uint8Array,
  signature: Uint8Array,
): boolean =>
  signature.length === SIGNATURE_BYTES &&
  crypto.sm2.verify(SM2P256V1, signer, SM2_DEFAULT_USER_ID, message, {
    r: bytesToBigint(signature.subarray(0, 32)),
    s: bytesToBigint(signature.subarray(32)),
  })

export const verifySm2Certificate = (
  crypto: Crypto,
  signer: Sm2Point,
  format: 0x12 | 0x14,
  certificate: Uint8Array,
  extraSigned: Uint8Array = new Uint8Array(0),
): OdaResult<RecoveredSm2Certificate> => {
  const reason: OdaFailure = format === SM2_CERT_FORMAT.issuer ? "issuer-certificate" : "icc-certificate"
  const idLength = identifierBytes(format)
  const bodyLength = 1 + idLength + 2 + 3 + 3 + POINT_BYTES
  if (certificate.length !== bodyLength + SIGNATURE_BYTES) return odaFail(reason, "certificate length wrong")
  const at = 1 + idLength
  if (
    certificate[0] !== format ||
    certificate[at + 5] !== SM2_ALGORITHM ||
    certificate[at + 6] !== SM2_ALGORITHM
  )
    return odaFail(reason, "format or algorithm indicator wrong")
  if (certificate[at + 7] !== POINT_BYTES) return odaFail(reason, "key length wrong")
  const body = certificate.subarray(0, bodyLength)
  if (!verifySm2Signature(crypto, signer, concat(body, extraSigned), certificate.subarray(bodyLength)))
    return odaFail(reason, "SM2 signature does not verify")
  const key = certificate.subarray(bodyLength - POINT_BYTES, bodyLength)
  return {
    ok: true,
    value: {
      key: { x: bytesToBigint(key.subarray(0, 32)), y: bytesToBigint(key.subarray(32)) },
      identifier: certificate.slice(1, 1 + idLength),
      expiryMmyy: certificate.slice(at, at + 2),
    },
  }
}
