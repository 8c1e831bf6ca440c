/**
 * The terminal's fDDA (EMV 4.3 Book 2 §5.4 issuer key, §6.4 ICC key, §6.5.2 signed dynamic data;
 * the SM2 variant per sm2-certificates.ts): find the CA public key by RID and index 8F, recover
 * and check the issuer certificate 90 (with 92, 9F32), then the ICC certificate 9F46 (with 9F48,
 * 9F47) over the static data to be authenticated, then the signed dynamic application data 9F4B
 * over the terminal's dynamic data. Each check that fails names its step (oda-result.ts).
 *
 * Beyond the hashes, the identity checks of Book 2: the issuer identifier is a prefix of the PAN,
 * the ICC certificate names this PAN, neither certificate has expired in the transaction month,
 * and (twin rule, pboc-oda.ts) the signed ICC dynamic number equals the AC the card returned.
 */
import { concat, equals } from "../../bytes/bytes.ts"
import { toHex } from "../../bytes/hex.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import { iccDynamicData, SDAD_FORMAT_RSA, SDAD_FORMAT_SM2 } from "../../card/applets/pboc/pboc-oda.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { type RsaPublicKey, rsaPublic } from "../../crypto/rsa.ts"
import { sha1 } from "../../crypto/sha1.ts"
import type { Sm2Point } from "../../crypto/sm2/sm2.ts"
import { findTag, type Tlv } from "../../tlv/ber-tlv.ts"
import { type OdaResult, odaFail } from "./oda-result.ts"
import { CERT_FORMAT, recoverRsaCertificate } from "./rsa-certificates.ts"
import type { CaPublicKey } from "./scheme-ca.ts"
import { SM2_CERT_FORMAT, verifySm2Certificate, verifySm2Signature } from "./sm2-certificates.ts"

export interface FddaInput {
  readonly rid: Uint8Array
  readonly records: ReadonlyArray<Tlv>
  /** Records marked for ODA by the AFL (value inside 70) ‖ the objects 9F4A lists. */
  readonly staticData: Uint8Array
  readonly sdad: Uint8Array
  /** The AC the ICC dynamic number must equal (fDDA); null for DDA, whose number is the card's own. */
  readonly ac: Uint8Array | null
  readonly terminalDynamic: Uint8Array
  readonly pan: string
  readonly dateYymmdd: string
}

const digitsOf = (bytes: Uint8Array): string => toHex(bytes).replace(/F+$/, "")

/** Book 2 §5.4 step 9: valid through the last day of its MMYY month. */
const expired = (mmyy: Uint8Array, dateYymmdd: string): boolean => {
  const text = toHex(mmyy)
  return Number(text.slice(2) + text.slice(0, 2)) < Number(dateYymmdd.slice(0, 4))
}

const value = (records: ReadonlyArray<Tlv>, tag: number): Uint8Array =>
  findTag(records, tag)?.value ?? new Uint8Array(0)

export const verifyFdda = (
  crypto: Crypto,
  caKeys: ReadonlyArray<CaPublicKey>,
  input: FddaInput,
): OdaResult<{ readonly algorithm: "rsa" | "sm2" }> => {
  const index = findTag(input.records, TAG.caIndex)?.value[0]
  const ca = caKeys.find((k) => k.index === index && equals(k.rid, input.rid))
  if (ca === undefined) return odaFail("ca-key-missing", `no CA key ${index} for RID ${toHex(input.rid)}`)
  const issuerCert = findTag(input.records, TAG.issuerCertificate)?.value
  const iccCert = findTag(input.records, TAG.iccCertificate)?.value
  if (issuerCert === undefined || iccCert === undefined) return odaFail("data-missing", "no 90 or 9F46")
  return ca.algorithm === "rsa"
    ? verifyRsa(ca.key, input, iccCert)
    : verifySm2(crypto, ca.key, input, issuerCert, iccCert)
}

/** Book 2 §5.4: the issuer public key from 90 (92, 9F32) under the CA key, checked against the card. */
export const recoverRsaIssuerKey = (
  caKey: RsaPublicKey,
  records: ReadonlyArray<Tlv>,
  pan: string,
  dateYymmdd: string,
): OdaResult<RsaPublicKey> => {
  const issuerCert = findTag(records, TAG.issuerCertificate)?.value
  if (issuerCert === undefined) return odaFail("data-missing", "no 90")
  const issuer = recoverRsaCertificate(
    caKey,
    CERT_FORMAT.issuer,
    issuerCert,
    value(records, TAG.issuerRemainder),
    value(records, TAG.issuerExponent),
  )
  if (!issuer.ok) return issuer
  if (!pan.startsWith(digitsOf(issuer.value.identifier)) || expired(issuer.value.expiryMmyy, dateYymmdd))
    return odaFail("issuer-certificate", "issuer identifier or expiry does not fit the card")
  return { ok: true, value: issuer.value.key }
}

const verifyRsa = (
  caKey: RsaPublicKey,
  input: FddaInput,
  iccCert: Uint8Array,
): OdaResult<{ readonly algorithm: "rsa" }> => {
  const r = input.records
  const issuerKey = recoverRsaIssuerKey(caKey, r, input.pan, input.dateYymmdd)
  if (!issuerKey.ok) return issuerKey
  const icc = recoverRsaCertificate(
    issuerKey.value,
    CERT_FORMAT.icc,
    iccCert,
    value(r, TAG.iccRemainder),
    value(r, TAG.iccExponent),
    input.staticData,
  )
  if (!icc.ok) return icc
  if (digitsOf(icc.value.identifier) !== input.pan || expired(icc.value.expiryMmyy, input.dateYymmdd))
    return odaFail("icc-certificate", "ICC certificate PAN or expiry does not fit the card")
  const recovered = rsaPublic(icc.value.key, input.sdad)
  const n = recovered?.length ?? 0
  if (
    recovered === null ||
    recovered[0] !== 0x6a ||
    recovered[n - 1] !== 0xbc ||
    recovered[1] !== SDAD_FORMAT_RSA ||
    recovered[2] !== 0x01
  )
    return odaFail("signed-data", "9F4B does not recover to format 05")
  const body = recovered.subarray(0, n - 21)
  if (!equals(sha1(concat(body.subarray(1), input.terminalDynamic)), recovered.subarray(n - 21, n - 1)))
    return odaFail("signed-data", "9F4B hash mismatch")
  const dynamic = body.subarray(4, 4 + body[3]!)
  if (input.ac !== null && !equals(dynamic, iccDynamicData(input.ac)))
    return odaFail("signed-data", "signed AC differs from 9F26")
  return { ok: true, value: { algorithm: "rsa" } }
}

const verifySm2 = (
  crypto: Crypto,
  caKey: Sm2Point,
  input: FddaInput,
  issuerCert: Uint8Array,
  iccCert: Uint8Array,
): OdaResult<{ readonly algorithm: "sm2" }> => {
  const issuer = verifySm2Certificate(crypto, caKey, SM2_CERT_FORMAT.issuer, issuerCert)
  if (!issuer.ok) return issuer
  if (
    !input.pan.startsWith(digitsOf(issuer.value.identifier)) ||
    expired(issuer.value.expiryMmyy, input.dateYymmdd)
  )
    return odaFail("issuer-certificate", "issuer identifier or expiry does not fit the card")
  const icc = verifySm2Certificate(crypto, issuer.value.key, SM2_CERT_FORMAT.icc, iccCert, input.staticData)
  if (!icc.ok) return icc
  if (digitsOf(icc.value.identifier) !== input.pan || expired(icc.value.expiryMmyy, input.dateYymmdd))
    return odaFail("icc-certificate", "ICC certificate PAN or expiry does not fit the card")
  const sdad = input.sdad
  const bodyLength = 2 + (sdad[1] ?? 0)
  if (sdad[0] !== SDAD_FORMAT_SM2 || sdad.length !== bodyLength + 64)
    return odaFail("signed-data", "9F4B is not format 15")
  const body = sdad.subarray(0, bodyLength)
  if (
    !verifySm2Signature(crypto, icc.value.key, concat(body, input.terminalDynamic), sdad.subarray(bodyLength))
  )
    return odaFail("signed-data", "9F4B signature does not verify")
  if (input.ac !== null && !equals(body.subarray(2), iccDynamicData(input.ac)))
    return odaFail("signed-data", "signed AC differs from 9F26")
  return { ok: true, value: { algorithm: "sm2" } }
}
