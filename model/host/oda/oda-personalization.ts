/**
 * What offline data authentication adds to a PBOC card's personalization (EMV 4.3 Book 2 §5-§6,
 * Book 3 §10.3; EMV CPS conventions for record DGIs):
 * - AIP 3C 00: DDA supported (fDDA on the qPBOC path) besides 1C 00's cardholder verification,
 *   terminal risk management and issuer authentication;
 * - AFL 08 01 02 01 ‖ 10 01 02 00: SFI 1 records 1-2 with record 1 (track 2) signed as static
 *   data, then SFI 2 records 1-2 holding the certificates;
 * - SFI 2 record 1: CA public key index 8F, issuer certificate 90, [exponent 9F32, remainder 92];
 *   record 2: ICC certificate 9F46, [exponent 9F47, remainder 9F48], static data tag list 9F4A = 82
 *   (the AIP joins the signed static data, Book 3 Annex A);
 * - DGIs 8101/8102 (twin layout, in the spirit of CPS's ICC private key DGIs): the ICC private
 *   key, zero padded to multiples of 16 so a DEK can encrypt them (pboc-oda-key.ts).
 */
import { concat } from "../../bytes/bytes.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { constructed, decodeTlv, encodeTlv, type Tlv, tlv } from "../../tlv/ber-tlv.ts"
import type { Dgi } from "../../tlv/dgi.ts"
import {
  type CertificateDates,
  createIccOda,
  type IssuerOda,
  iccPrivateKeyDgis,
  RSA_EXPONENT,
} from "./issuer-oda.ts"
import { signStaticData } from "./sda.ts"

export interface OdaPersonalization {
  readonly issuer: IssuerOda
  readonly dates: CertificateDates
  /** Seed of the card's key pair stream. */
  readonly seed: number
  /**
   * "dda" (default): an ICC key pair for fDDA and DDA; "sda": no ICC key, only the issuer's
   * signed static application data 93 (sda.ts; RSA issuers only) and AIP 5C 00 (SDA supported).
   */
  readonly method?: "dda" | "sda"
}

export const ODA_AIP = new Uint8Array([0x3c, 0x00])
export const ODA_AFL = new Uint8Array([0x08, 0x01, 0x02, 0x01, 0x10, 0x01, 0x02, 0x00])
/** SDA: AIP b7 "SDA supported" instead of DDA; SFI 2 holds the issuer certificate, then 93. */
export const SDA_AIP = new Uint8Array([0x5c, 0x00])
/** Data authentication code of the twin's SDA cards (Book 2 Table 7: issuer-assigned). */
const DAC = new Uint8Array([0xda, 0xc1])
/** 9F4A: the AIP is part of the static data to be authenticated. */
const STATIC_TAG_LIST = new Uint8Array([0x82])

/** The static data of SFI 1 record 1 as Book 3 §10.3 defines it: the record's value inside 70. */
const signedRecordValue = (dgis: ReadonlyArray<Dgi>): Uint8Array => {
  const record = dgis.find((d) => d.dgi === 0x0101)
  const decoded = record === undefined ? undefined : decodeTlv(record.value)
  if (decoded === undefined || !decoded.ok || decoded.value[0]?.tag !== TAG.record)
    throw new Error("ODA needs record SFI 1 record 1 as a 70 template")
  return encodeTlv(decoded.value[0]!.children ?? [])
}

const record = (items: ReadonlyArray<Tlv | undefined>): Uint8Array =>
  encodeTlv(
    constructed(
      TAG.record,
      items.filter((t): t is Tlv => t !== undefined),
    ),
  )

const whenNotEmpty = (tag: number, value: Uint8Array): Tlv | undefined =>
  value.length === 0 ? undefined : tlv(tag, value)

export const oda = (
  crypto: Crypto,
  perso: OdaPersonalization,
  pan: string,
  baseRecords: ReadonlyArray<Dgi>,
): { readonly aip: Uint8Array; readonly afl: Uint8Array; readonly dgis: Dgi[] } => {
  if (perso.method === "sda") return sda(perso.issuer, baseRecords)
  const staticData = concat(signedRecordValue(baseRecords), ODA_AIP)
  const icc = createIccOda(crypto, perso.issuer, pan, perso.dates, staticData, perso.seed)
  const issuer = perso.issuer
  const rsa = issuer.algorithm === "rsa" && icc.algorithm === "rsa"
  const record1 = record([
    tlv(0x8f, new Uint8Array([issuer.caIndex])),
    tlv(0x90, issuer.algorithm === "rsa" ? issuer.certificate.certificate : issuer.certificate),
    rsa ? tlv(0x9f32, RSA_EXPONENT) : undefined,
    issuer.algorithm === "rsa" ? whenNotEmpty(0x92, issuer.certificate.remainder) : undefined,
  ])
  const record2 = record([
    tlv(0x9f46, icc.algorithm === "rsa" ? icc.certificate.certificate : icc.certificate),
    rsa ? tlv(0x9f47, RSA_EXPONENT) : undefined,
    icc.algorithm === "rsa" ? whenNotEmpty(0x9f48, icc.certificate.remainder) : undefined,
    tlv(0x9f4a, STATIC_TAG_LIST),
  ])
  return {
    aip: ODA_AIP,
    afl: ODA_AFL,
    dgis: [{ dgi: 0x0201, value: record1 }, { dgi: 0x0202, value: record2 }, ...iccPrivateKeyDgis(icc)],
  }
}

/** SFI 2 record 1: 8F, 90, 9F32, 92; record 2: the signed static application data 93 and 9F4A. */
const sda = (
  issuer: IssuerOda,
  baseRecords: ReadonlyArray<Dgi>,
): { readonly aip: Uint8Array; readonly afl: Uint8Array; readonly dgis: Dgi[] } => {
  if (issuer.algorithm !== "rsa") throw new RangeError("the twin's SDA is RSA only")
  const staticData = concat(signedRecordValue(baseRecords), SDA_AIP)
  const record1 = record([
    tlv(TAG.caIndex, new Uint8Array([issuer.caIndex])),
    tlv(TAG.issuerCertificate, issuer.certificate.certificate),
    tlv(TAG.issuerExponent, RSA_EXPONENT),
    whenNotEmpty(TAG.issuerRemainder, issuer.certificate.remainder),
  ])
  // 93 is as long as the issuer modulus: with the certificate it would pass a record's 255 bytes.
  const record2 = record([
    tlv(TAG.signedStaticData, signStaticData(issuer.key, staticData, DAC)),
    tlv(TAG.staticTagList, STATIC_TAG_LIST),
  ])
  return {
    aip: SDA_AIP,
    afl: ODA_AFL,
    dgis: [
      { dgi: 0x0201, value: record1 },
      { dgi: 0x0202, value: record2 },
    ],
  }
}
