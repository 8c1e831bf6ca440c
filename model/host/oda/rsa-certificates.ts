/**
 * EMV RSA public key certificates (EMV 4.3 Book 2 §5.3 Table 6 issuer, §6.4 Table 14 ICC) and
 * their recovery and checks by the terminal (§5.4 and §6.4 steps). Both have the same layout:
 *
 *   6A ‖ format ‖ identifier ‖ expiry MMYY ‖ serial(3) ‖ 01 ‖ 01 ‖ key length ‖ exponent length ‖
 *   leftmost key bytes (BB padded) ‖ SHA-1 ‖ BC
 *
 * with format 02 and a 4-byte issuer identifier (leftmost PAN digits, F padded) for the issuer,
 * format 04 and the 10-byte PAN for the ICC. The key bytes that do not fit travel as the
 * remainder (92, 9F48); the SHA-1 covers format … key bytes ‖ remainder ‖ exponent, plus, for
 * the ICC certificate, the static data to be authenticated (§6.4 step 5).
 */
import { concat, equals } from "../../bytes/bytes.ts"
import { type RsaPrivateKey, type RsaPublicKey, rsaPrivate, rsaPublic } from "../../crypto/rsa.ts"
import { sha1 } from "../../crypto/sha1.ts"
import { type OdaFailure, type OdaResult, odaFail } from "./oda-result.ts"

export const CERT_FORMAT = { issuer: 0x02, icc: 0x04 } as const

export interface CertificateFields {
  readonly format: 0x02 | 0x04
  /** 4 bytes (issuer identifier) or 10 bytes (PAN), F padded. */
  readonly identifier: Uint8Array
  /** MMYY, 2 bytes BCD. */
  readonly expiryMmyy: Uint8Array
  readonly serial: Uint8Array
}

export interface RsaCertificate {
  readonly certificate: Uint8Array
  /** The key bytes the certificate could not hold (tag 92 / 9F48); may be empty. */
  readonly remainder: Uint8Array
}

const identifierBytes = (format: number): number => (format === CERT_FORMAT.issuer ? 4 : 10)

/** Bytes before the key field: 6A format id expiry serial 01 01 len explen. */
const headerBytes = (format: number): number => 11 + identifierBytes(format)

export const issueRsaCertificate = (
  signer: RsaPrivateKey,
  fields: CertificateFields,
  subject: RsaPublicKey,
  extraHashed: Uint8Array = new Uint8Array(0),
): RsaCertificate => {
  const n = signer.modulus.length
  const room = n - headerBytes(fields.format) - 21
  if (fields.identifier.length !== identifierBytes(fields.format)) throw new RangeError("identifier length")
  if (subject.modulus.length > n)
    throw new RangeError("a certificate cannot hold a key longer than its signer's")
  const keyField = new Uint8Array(room).fill(0xbb)
  keyField.set(subject.modulus.subarray(0, room))
  const remainder = subject.modulus.slice(Math.min(room, subject.modulus.length))
  const header = concat(
    new Uint8Array([0x6a, fields.format]),
    fields.identifier,
    fields.expiryMmyy,
    fields.serial,
    new Uint8Array([0x01, 0x01, subject.modulus.length, subject.exponent.length]),
  )
  const body = concat(header, keyField)
  const hash = sha1(concat(body.subarray(1), remainder, subject.exponent, extraHashed))
  return { certificate: rsaPrivate(signer, concat(body, hash, new Uint8Array([0xbc]))), remainder }
}

export interface RecoveredRsaCertificate {
  readonly key: RsaPublicKey
  readonly identifier: Uint8Array
  readonly expiryMmyy: Uint8Array
}

/**
 * Book 2 §5.4 / §6.4 steps 1-8 (the checks that need only the bytes): length, header, trailer,
 * format, algorithm indicators, hash. The caller checks identifier and expiry against the card.
 */
export const recoverRsaCertificate = (
  signer: RsaPublicKey,
  format: 0x02 | 0x04,
  certificate: Uint8Array,
  remainder: Uint8Array,
  exponent: Uint8Array,
  extraHashed: Uint8Array = new Uint8Array(0),
): OdaResult<RecoveredRsaCertificate> => {
  const reason: OdaFailure = format === CERT_FORMAT.issuer ? "issuer-certificate" : "icc-certificate"
  const recovered = rsaPublic(signer, certificate)
  if (recovered === null) return odaFail(reason, "certificate length differs from the signer's modulus")
  const n = recovered.length
  if (recovered[0] !== 0x6a || recovered[n - 1] !== 0xbc || recovered[1] !== format)
    return odaFail(reason, "recovered header, trailer or format wrong")
  const idLength = identifierBytes(format)
  const at = 2 + idLength
  if (recovered[at + 5] !== 0x01 || recovered[at + 6] !== 0x01) return odaFail(reason, "unknown algorithm")
  const keyLength = recovered[at + 7]!
  const room = n - headerBytes(format) - 21
  const body = recovered.subarray(0, n - 21)
  const hash = sha1(concat(body.subarray(1), remainder, exponent, extraHashed))
  if (!equals(hash, recovered.subarray(n - 21, n - 1))) return odaFail(reason, "hash mismatch")
  const keyField = body.subarray(headerBytes(format))
  const modulus = keyLength <= room ? keyField.slice(0, keyLength) : concat(keyField, remainder)
  if (modulus.length !== keyLength) return odaFail(reason, "remainder length wrong")
  return {
    ok: true,
    value: {
      key: { modulus, exponent },
      identifier: recovered.slice(2, 2 + idLength),
      expiryMmyy: recovered.slice(at, at + 2),
    },
  }
}
