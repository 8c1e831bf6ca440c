/**
 * An issuer's offline-data-authentication material (EMV 4.3 Book 2 §5-§6; PBOC SM variant per
 * sm2-certificates.ts): its own key pair certified by the scheme CA, and per card an ICC key pair
 * certified by the issuer over the card's static data. Data preparation puts the certificates in
 * the card's SFI 2 records and the ICC private key in the applet's internal key DGI.
 */
import { bytesToBigint, concat } from "../../bytes/bytes.ts"
import type { OdaAlgorithm } from "../../card/applets/pboc/pboc-oda.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { generateRsaKey, type RsaPrivateKey } from "../../crypto/rsa.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import { seededBytes } from "../card-story/seeded-bytes.ts"
import { CERT_FORMAT, issueRsaCertificate, type RsaCertificate } from "./rsa-certificates.ts"
import { CA_INDEX, type SchemeCa, sm2PrivateKeyFrom } from "./scheme-ca.ts"
import { issueSm2Certificate, SM2_CERT_FORMAT } from "./sm2-certificates.ts"

/** Issuer RSA keys as long as the CA's (Book 2 allows N_I ≤ N_CA); ICC keys 768 bits. */
export const ISSUER_RSA_MODULUS_BYTES = 128
export const ICC_RSA_MODULUS_BYTES = 96
/** 9F32 / 9F47: exponent 3. */
export const RSA_EXPONENT = new Uint8Array([0x03])

export interface CertificateDates {
  /** MMYY BCD, 2 bytes. */
  readonly expiryMmyy: Uint8Array
  readonly serial: Uint8Array
}

export type IssuerOda =
  | {
      readonly algorithm: "rsa"
      readonly caIndex: number
      readonly key: RsaPrivateKey
      readonly certificate: RsaCertificate
    }
  | {
      readonly algorithm: "sm2"
      readonly caIndex: number
      readonly privateKey: Uint8Array
      readonly certificate: Uint8Array
    }

/** Issuer identifier: the leftmost PAN digits (3-8), F padded to 4 bytes (Book 2 Table 6). */
export const issuerIdentifier = (binDigits: string): Uint8Array => {
  if (!/^[0-9]{3,8}$/.test(binDigits)) throw new RangeError(`issuer identifier digits: ${binDigits}`)
  const padded = binDigits.padEnd(8, "F")
  return Uint8Array.from({ length: 4 }, (_, i) => Number.parseInt(padded.slice(2 * i, 2 * i + 2), 16))
}

export const createIssuerOda = (
  crypto: Crypto,
  ca: SchemeCa,
  algorithm: OdaAlgorithm,
  binDigits: string,
  dates: CertificateDates,
  seed: number,
): IssuerOda => {
  const identifier = issuerIdentifier(binDigits)
  if (algorithm === "rsa") {
    const key = generateRsaKey(
      seededBytes(crypto, seed, `issuer-oda/${binDigits}/rsa`),
      ISSUER_RSA_MODULUS_BYTES,
      3,
    )
    const fields = { format: CERT_FORMAT.issuer, identifier, ...dates } as const
    const certificate = issueRsaCertificate(ca.rsaKey, fields, {
      modulus: key.modulus,
      exponent: key.exponent,
    })
    return { algorithm, caIndex: CA_INDEX.rsa, key, certificate }
  }
  const privateKey = sm2PrivateKeyFrom(seededBytes(crypto, seed, `issuer-oda/${binDigits}/sm2`))
  const publicKey = crypto.sm2.publicKeyOf(SM2P256V1, bytesToBigint(privateKey))
  const fields = { format: SM2_CERT_FORMAT.issuer, identifier, ...dates } as const
  const certificate = issueSm2Certificate(crypto, ca.sm2PrivateKey, fields, publicKey)
  return { algorithm, caIndex: CA_INDEX.sm2, privateKey, certificate }
}

/** PAN as 10 bytes of BCD, F padded (Book 2 Table 14). */
export const panField = (pan: string): Uint8Array => {
  const padded = pan.padEnd(20, "F")
  return Uint8Array.from({ length: 10 }, (_, i) => Number.parseInt(padded.slice(2 * i, 2 * i + 2), 16))
}

export type IccOda =
  | { readonly algorithm: "rsa"; readonly key: RsaPrivateKey; readonly certificate: RsaCertificate }
  | { readonly algorithm: "sm2"; readonly privateKey: Uint8Array; readonly certificate: Uint8Array }

/** The card's key pair and its certificate over the static data to be authenticated. */
export const createIccOda = (
  crypto: Crypto,
  issuer: IssuerOda,
  pan: string,
  dates: CertificateDates,
  staticData: Uint8Array,
  seed: number,
): IccOda => {
  const identifier = panField(pan)
  if (issuer.algorithm === "rsa") {
    const key = generateRsaKey(seededBytes(crypto, seed, `icc-oda/${pan}/rsa`), ICC_RSA_MODULUS_BYTES, 3)
    const fields = { format: CERT_FORMAT.icc, identifier, ...dates } as const
    const publicKey = { modulus: key.modulus, exponent: key.exponent }
    return {
      algorithm: "rsa",
      key,
      certificate: issueRsaCertificate(issuer.key, fields, publicKey, staticData),
    }
  }
  const privateKey = sm2PrivateKeyFrom(seededBytes(crypto, seed, `icc-oda/${pan}/sm2`))
  const publicKey = crypto.sm2.publicKeyOf(SM2P256V1, bytesToBigint(privateKey))
  const fields = { format: SM2_CERT_FORMAT.icc, identifier, ...dates } as const
  const certificate = issueSm2Certificate(crypto, issuer.privateKey, fields, publicKey, staticData)
  return { algorithm: "sm2", privateKey, certificate }
}

/** Zero padded to a multiple of 16, so any of the secure channels' DEKs can encrypt it. */
const padded16 = (bytes: Uint8Array): Uint8Array => {
  const out = new Uint8Array(Math.ceil(bytes.length / 16) * 16)
  out.set(bytes)
  return out
}

/** DGIs 8101 (01 ‖ L ‖ p ‖ q, or 04 ‖ SM2 scalar) and 8102 (dp ‖ dq ‖ qInv) (pboc-oda-key.ts). */
export const iccPrivateKeyDgis = (icc: IccOda): Array<{ dgi: number; value: Uint8Array }> => {
  if (icc.algorithm === "sm2")
    return [{ dgi: 0x8101, value: padded16(concat(new Uint8Array([0x04]), icc.privateKey)) }]
  const k = icc.key
  return [
    { dgi: 0x8101, value: padded16(concat(new Uint8Array([0x01, k.p.length]), k.p, k.q)) },
    { dgi: 0x8102, value: padded16(concat(k.dp, k.dq, k.qInv)) },
  ]
}
