/**
 * X.509 v1-v3 certificates with SM2 keys and SM3withSM2 signatures (RFC 5280 §4.1; GM/T 0015-2012
 * profiles the same structure for SM2). Parsing keeps the raw TBSCertificate bytes, which are what
 * the issuer signed, and never throws on bad input: it answers an `X509Error` with a reason and
 * the byte offset of the problem.
 */
import { err, ok, type Result } from "../../bytes/result.ts"
import { decodePoint, SM2P256V1 } from "../sm2/curve.ts"
import type { Sm2Point, Sm2Signature } from "../sm2/sm2.ts"
import { type DerElement, DerFailure, type DerFailureReason, DerReader, encodedSpan } from "./der-reader.ts"
import { DER_TAG } from "./der-tags.ts"
import {
  decodeByteAlignedBitString,
  decodeObjectIdentifier,
  decodeTime,
  decodeUnsignedInteger,
} from "./der-values.ts"
import { OID } from "./oids.ts"
import { pemToDer } from "./pem.ts"
import { readName, type X509Name } from "./x509-name.ts"

export type X509Reason =
  | DerFailureReason
  | "bad-pem"
  | "too-large"
  | "bad-version"
  | "algorithm-mismatch"
  | "unsupported-algorithm"
  | "unsupported-curve"
  | "bad-public-key"

export interface X509Error {
  readonly _tag: "X509Error"
  readonly reason: X509Reason
  /** Byte offset in the DER (character offset in the text for `bad-pem`). */
  readonly offset: number
  readonly message: string
}

export interface Certificate {
  /** The whole certificate as DER. */
  readonly der: Uint8Array
  /** The TBSCertificate exactly as encoded: the bytes the signature covers (RFC 5280 §4.1.1.3). */
  readonly tbs: Uint8Array
  readonly version: 1 | 2 | 3
  readonly serial: bigint
  readonly issuer: X509Name
  readonly subject: X509Name
  /** UTCTime or GeneralizedTime text as encoded, e.g. "261126163413Z"; no Date on the data plane. */
  readonly validity: { readonly notBefore: string; readonly notAfter: string }
  /** The subject's SM2 public key on sm2p256v1, validated as a curve point. */
  readonly subjectPublicKey: Sm2Point
  /** The outer signatureAlgorithm OID (equal to the TBSCertificate's, RFC 5280 §4.1.1.2). */
  readonly signatureAlgorithm: string
  /** DER SEQUENCE { r INTEGER, s INTEGER } from the signature BIT STRING (GM/T 0009 §7.3). */
  readonly signature: Sm2Signature
  /** The [3] extensions element as encoded, or null; not interpreted here. */
  readonly extensions: Uint8Array | null
}

/** Well above any certificate the twin issues or reads; bounds the work on hostile input. */
export const CERTIFICATE_BYTES_MAX = 64 * 1024

const failure = (reason: X509Reason, offset: number, message: string) =>
  new DerFailure<X509Reason>(reason, offset, message)

/** Parses DER bytes or PEM text. */
export const parseCertificate = (input: Uint8Array | string): Result<Certificate, X509Error> => {
  let der: Uint8Array
  if (typeof input === "string") {
    const decoded = pemToDer(input)
    if (!decoded.ok) return err(x509Error("bad-pem", decoded.error.offset, decoded.error.message))
    der = decoded.value
  } else {
    der = input
  }
  if (der.length > CERTIFICATE_BYTES_MAX) {
    return err(x509Error("too-large", CERTIFICATE_BYTES_MAX, `certificate of ${der.length} bytes`))
  }
  try {
    return ok(readCertificate(der))
  } catch (error) {
    if (error instanceof DerFailure) {
      return err(x509Error(error.reason as X509Reason, error.offset, error.message))
    }
    throw error
  }
}

const x509Error = (reason: X509Reason, offset: number, message: string): X509Error => ({
  _tag: "X509Error",
  reason,
  offset,
  message,
})

/** RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. */
const readCertificate = (der: Uint8Array): Certificate => {
  const top = new DerReader(der, 0, der.length)
  const certificate = DerReader.of(der, top.read(DER_TAG.SEQUENCE))
  top.expectEnd()
  const tbsElement = certificate.read(DER_TAG.SEQUENCE)
  const algorithmOffset = certificate.offset
  const signatureAlgorithm = readAlgorithm(der, certificate).oid
  const signatureValue = certificate.read(DER_TAG.BIT_STRING)
  certificate.expectEnd()
  const tbs = readTbs(der, tbsElement)
  if (tbs.signatureAlgorithm !== signatureAlgorithm) {
    throw failure("algorithm-mismatch", algorithmOffset, "outer and TBS signature algorithms differ")
  }
  if (signatureAlgorithm !== OID.SM3_WITH_SM2) {
    throw failure("unsupported-algorithm", algorithmOffset, `signature algorithm ${signatureAlgorithm}`)
  }
  return {
    der: der.slice(),
    tbs: encodedSpan(der, tbsElement),
    ...tbs.fields,
    signatureAlgorithm,
    signature: readSignatureValue(der, signatureValue),
  }
}

type TbsFields = Omit<Certificate, "der" | "tbs" | "signatureAlgorithm" | "signature">

/** RFC 5280 §4.1 TBSCertificate, field by field. */
const readTbs = (der: Uint8Array, element: DerElement): { fields: TbsFields; signatureAlgorithm: string } => {
  const tbs = DerReader.of(der, element)
  const version = readVersion(der, tbs)
  const serial = decodeUnsignedInteger(der, tbs.read(DER_TAG.INTEGER))
  const signatureAlgorithm = readAlgorithm(der, tbs).oid
  const issuer = readName(der, tbs.read(DER_TAG.SEQUENCE))
  const validity = DerReader.of(der, tbs.read(DER_TAG.SEQUENCE))
  const notBefore = decodeTime(der, validity.readAny())
  const notAfter = decodeTime(der, validity.readAny())
  validity.expectEnd()
  const subject = readName(der, tbs.read(DER_TAG.SEQUENCE))
  const subjectPublicKey = readSubjectPublicKey(der, tbs.read(DER_TAG.SEQUENCE))
  const uniqueIdOffset = tbs.offset
  const uniqueIds = [DER_TAG.CONTEXT_1_PRIMITIVE, DER_TAG.CONTEXT_2_PRIMITIVE].map((t) => tbs.readOptional(t))
  if (version === 1 && uniqueIds.some((id) => id !== null)) {
    throw failure("bad-version", uniqueIdOffset, "unique identifiers in a v1 certificate")
  }
  const extensionsOffset = tbs.offset
  const extensions = tbs.readOptional(DER_TAG.CONTEXT_3)
  if (extensions !== null && version !== 3) {
    throw failure("bad-version", extensionsOffset, "extensions in a certificate below v3")
  }
  tbs.expectEnd()
  const fields: TbsFields = {
    version,
    serial,
    issuer,
    subject,
    validity: { notBefore, notAfter },
    subjectPublicKey,
    extensions: extensions === null ? null : encodedSpan(der, extensions),
  }
  return { fields, signatureAlgorithm }
}

/** version [0] EXPLICIT INTEGER { v1(0), v2(1), v3(2) } DEFAULT v1. */
const readVersion = (der: Uint8Array, tbs: DerReader): 1 | 2 | 3 => {
  const tagged = tbs.readOptional(DER_TAG.CONTEXT_0)
  if (tagged === null) return 1
  const inner = DerReader.of(der, tagged)
  const element = inner.read(DER_TAG.INTEGER)
  inner.expectEnd()
  const value = decodeUnsignedInteger(der, element)
  if (value > 2n) throw failure("bad-version", element.start, `version ${value}`)
  return (Number(value) + 1) as 1 | 2 | 3
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
const readAlgorithm = (
  der: Uint8Array,
  reader: DerReader,
): { oid: string; parameters: DerElement | null } => {
  const sequence = DerReader.of(der, reader.read(DER_TAG.SEQUENCE))
  const oid = decodeObjectIdentifier(der, sequence.read(DER_TAG.OBJECT_IDENTIFIER))
  const parameters = sequence.atEnd() ? null : sequence.readAny()
  sequence.expectEnd()
  return { oid, parameters }
}

/** SubjectPublicKeyInfo with id-ecPublicKey and namedCurve sm2p256v1 (RFC 5480 §2; GM/T 0015 §7.1). */
const readSubjectPublicKey = (der: Uint8Array, element: DerElement): Sm2Point => {
  const spki = DerReader.of(der, element)
  const algorithm = readAlgorithm(der, spki)
  const keyBits = spki.read(DER_TAG.BIT_STRING)
  spki.expectEnd()
  if (algorithm.oid !== OID.EC_PUBLIC_KEY) {
    throw failure("unsupported-algorithm", element.valueStart, `public key algorithm ${algorithm.oid}`)
  }
  const curve = algorithm.parameters
  if (
    curve === null ||
    curve.tag !== DER_TAG.OBJECT_IDENTIFIER ||
    decodeObjectIdentifier(der, curve) !== OID.SM2_P256V1
  ) {
    throw failure("unsupported-curve", curve?.start ?? element.valueStart, "public key not on sm2p256v1")
  }
  const point = decodePoint(SM2P256V1, decodeByteAlignedBitString(der, keyBits))
  if (point === null)
    throw failure("bad-public-key", keyBits.start, "public key is not a valid sm2p256v1 point")
  return point
}

/** The BIT STRING holds DER SEQUENCE { r INTEGER, s INTEGER } (GM/T 0009-2012 §7.3). */
const readSignatureValue = (der: Uint8Array, element: DerElement): Sm2Signature => {
  decodeByteAlignedBitString(der, element)
  const content = new DerReader(der, element.valueStart + 1, element.end)
  const pair = DerReader.of(der, content.read(DER_TAG.SEQUENCE))
  content.expectEnd()
  const r = decodeUnsignedInteger(der, pair.read(DER_TAG.INTEGER))
  const s = decodeUnsignedInteger(der, pair.read(DER_TAG.INTEGER))
  pair.expectEnd()
  return { r, s }
}
