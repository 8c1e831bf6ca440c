/**
 * X.509 v3 certificates with SM2 keys, signed with SM3withSM2 (RFC 5280 §4.1, profiled for SM2 by
 * GM/T 0015-2012), laid out as OpenSSL 3.0 writes them (checked with `openssl asn1parse`,
 * ref/PROTOCOLS.md §3): the signature AlgorithmIdentifier is the bare OID 1.2.156.10197.1.501 with
 * no parameters; the key is id-ecPublicKey with the named curve sm2p256v1 and the uncompressed
 * point; the signature BIT STRING holds DER SEQUENCE { r, s } (GM/T 0009-2012 §7.3) over the DER
 * TBSCertificate, with ZA from the signer's distinguishing ID (GM/T 0009 §10 default
 * "1234567812345678", which `openssl verify -vfyopt distid:…` must be given).
 */
import { slice } from "../../bytes/bytes.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { encodePoint, SM2P256V1 } from "../../crypto/sm2/curve.ts"
import type { Sm2Point, Sm2Signature } from "../../crypto/sm2/sm2.ts"
import { OID } from "../../crypto/x509/oids.ts"
import { derX509Time } from "./civil-time.ts"
import {
  derBitString,
  derBoolean,
  derExplicit,
  derImplicitPrimitive,
  derInteger,
  derNamedBits,
  derObjectIdentifier,
  derOctetString,
  derPrintableString,
  derSequence,
  derSetOf,
  derUtf8String,
} from "./der-writer.ts"
import type { EntropySource } from "./entropy.ts"
import { KEY_USAGE_BIT, PKI_OID } from "./pki-oids.ts"
import { type Sm2KeyPair, signWithEntropy } from "./sm2-key-pair.ts"

/** The subject or issuer of a certificate: C, O and CN, in that order (RFC 5280 §4.1.2.4). */
export interface DistinguishedName {
  /** ISO 3166 two-letter code, e.g. "CN". */
  readonly country: string
  readonly organization: string
  readonly commonName: string
}

export interface CertificateTemplate {
  /** Positive, at most 20 octets (RFC 5280 §4.1.2.2). */
  readonly serial: bigint
  readonly issuer: DistinguishedName
  readonly subject: DistinguishedName
  /** Seconds since 1970 (simulated time). */
  readonly notBeforeS: number
  readonly notAfterS: number
  readonly subjectPublicKey: Sm2Point
  /** The issuer's subjectKeyIdentifier, written as the authorityKeyIdentifier. */
  readonly authorityKeyId: Uint8Array
  /** True for the CA: basicConstraints cA and keyCertSign + cRLSign; else digitalSignature only. */
  readonly isCa: boolean
}

/** RFC 5280 §4.1.2.2: serials are positive and fit 20 octets. */
const SERIAL_MAX = (1n << 159n) - 1n

export const derName = (name: DistinguishedName): Uint8Array => {
  if (!/^[A-Z]{2}$/.test(name.country)) throw new RangeError(`country "${name.country}" is not ISO 3166`)
  const attribute = (oid: string, value: Uint8Array) => derSetOf(derSequence(derObjectIdentifier(oid), value))
  return derSequence(
    attribute(PKI_OID.COUNTRY, derPrintableString(name.country)),
    attribute(PKI_OID.ORGANIZATION, derUtf8String(name.organization)),
    attribute(PKI_OID.COMMON_NAME, derUtf8String(name.commonName)),
  )
}

/**
 * RFC 5280 §4.2.1.2 method (1) with SM3 in place of SHA-1, as RFC 7093 §2 allows other hashes
 * truncated to 160 bits: the leftmost 20 bytes of SM3 over the subjectPublicKey bits.
 */
export const keyIdentifierOf = (crypto: Crypto, publicKey: Sm2Point): Uint8Array =>
  slice(crypto.sm3(encodePoint(SM2P256V1, publicKey)), 0, 20)

const signatureAlgorithm = (): Uint8Array => derSequence(derObjectIdentifier(OID.SM3_WITH_SM2))

const subjectPublicKeyInfo = (publicKey: Sm2Point): Uint8Array =>
  derSequence(
    derSequence(derObjectIdentifier(OID.EC_PUBLIC_KEY), derObjectIdentifier(OID.SM2_P256V1)),
    derBitString(encodePoint(SM2P256V1, publicKey)),
  )

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
const extension = (oid: string, critical: boolean, value: Uint8Array): Uint8Array =>
  critical
    ? derSequence(derObjectIdentifier(oid), derBoolean(true), derOctetString(value))
    : derSequence(derObjectIdentifier(oid), derOctetString(value))

const extensions = (crypto: Crypto, template: CertificateTemplate): Uint8Array => {
  // basicConstraints cA DEFAULT FALSE, so DER leaves an end entity's SEQUENCE empty (X.690 §11.5).
  const basic = template.isCa ? derSequence(derBoolean(true)) : derSequence()
  const usage = template.isCa
    ? derNamedBits([KEY_USAGE_BIT.KEY_CERT_SIGN, KEY_USAGE_BIT.CRL_SIGN])
    : derNamedBits([KEY_USAGE_BIT.DIGITAL_SIGNATURE])
  return derExplicit(
    3,
    derSequence(
      extension(PKI_OID.BASIC_CONSTRAINTS, true, basic),
      extension(PKI_OID.KEY_USAGE, true, usage),
      extension(
        PKI_OID.SUBJECT_KEY_IDENTIFIER,
        false,
        derOctetString(keyIdentifierOf(crypto, template.subjectPublicKey)),
      ),
      extension(
        PKI_OID.AUTHORITY_KEY_IDENTIFIER,
        false,
        derSequence(derImplicitPrimitive(0, template.authorityKeyId)),
      ),
    ),
  )
}

/** RFC 5280 §4.1: the TBSCertificate, v3. */
export const tbsCertificateDer = (crypto: Crypto, template: CertificateTemplate): Uint8Array => {
  if (template.serial < 1n || template.serial > SERIAL_MAX) {
    throw new RangeError(`serial ${template.serial} outside 1..2^159-1`)
  }
  if (template.notAfterS < template.notBeforeS) throw new RangeError("notAfter before notBefore")
  return derSequence(
    derExplicit(0, derInteger(2n)),
    derInteger(template.serial),
    signatureAlgorithm(),
    derName(template.issuer),
    derSequence(derX509Time(template.notBeforeS), derX509Time(template.notAfterS)),
    derName(template.subject),
    subjectPublicKeyInfo(template.subjectPublicKey),
    extensions(crypto, template),
  )
}

/** GM/T 0009-2012 §7.3: the signature value is DER SEQUENCE { r INTEGER, s INTEGER }. */
export const derSm2Signature = (signature: Sm2Signature): Uint8Array =>
  derSequence(derInteger(signature.r), derInteger(signature.s))

/** The whole certificate: TBS, algorithm, BIT STRING of the signature (RFC 5280 §4.1.1). */
export const buildCertificate = (
  crypto: Crypto,
  template: CertificateTemplate,
  issuerKey: Sm2KeyPair,
  userId: Uint8Array,
  entropy: EntropySource,
  purpose: string,
): Uint8Array => {
  const tbs = tbsCertificateDer(crypto, template)
  const signature = signWithEntropy(crypto, issuerKey, userId, tbs, entropy, purpose)
  return derSequence(tbs, signatureAlgorithm(), derBitString(derSm2Signature(signature)))
}
