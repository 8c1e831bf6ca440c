/**
 * Static data authentication (EMV 4.3 Book 2 §5): the issuer signs the card's static data to be
 * authenticated with its private key, once, at data preparation — the Signed Static Application
 * Data 93 (Table 7): 6A ‖ format 03 ‖ hash algorithm 01 ‖ data authentication code (2) ‖ BB
 * padding ‖ SHA-1 ‖ BC, as long as the issuer modulus, the hash over format … padding ‖ the static
 * data. The terminal recovers the issuer key from the CA key and 90 (fdda-verify.ts), recovers 93
 * with it and compares the hash (§5.4). RSA only: the twin's SM-algorithm cards use DDA/fDDA.
 */
import { concat, equals } from "../../bytes/bytes.ts"
import { toHex } from "../../bytes/hex.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import { type RsaPrivateKey, rsaPrivate, rsaPublic } from "../../crypto/rsa.ts"
import { sha1 } from "../../crypto/sha1.ts"
import { findTag, type Tlv } from "../../tlv/ber-tlv.ts"
import { recoverRsaIssuerKey } from "./fdda-verify.ts"
import { type OdaResult, odaFail } from "./oda-result.ts"
import type { CaPublicKey } from "./scheme-ca.ts"

export const SSAD_FORMAT = 0x03

export const signStaticData = (
  issuerKey: RsaPrivateKey,
  staticData: Uint8Array,
  dac: Uint8Array,
): Uint8Array => {
  const n = issuerKey.modulus.length
  if (dac.length !== 2 || n < 26) throw new RangeError("DAC is 2 bytes and the modulus at least 26")
  const body = new Uint8Array(n - 21)
  body.set([0x6a, SSAD_FORMAT, 0x01, dac[0]!, dac[1]!])
  body.fill(0xbb, 5)
  return rsaPrivate(issuerKey, concat(body, sha1(concat(body.subarray(1), staticData)), Uint8Array.of(0xbc)))
}

export interface SdaInput {
  readonly rid: Uint8Array
  readonly records: ReadonlyArray<Tlv>
  readonly staticData: Uint8Array
  readonly pan: string
  readonly dateYymmdd: string
}

/** Book 2 §5.4 steps: CA key, issuer key, 93 recovered and its hash; the DAC on success. */
export const verifySda = (caKeys: ReadonlyArray<CaPublicKey>, input: SdaInput): OdaResult<Uint8Array> => {
  const index = findTag(input.records, TAG.caIndex)?.value[0]
  const ca = caKeys.find((k) => k.index === index && equals(k.rid, input.rid))
  if (ca === undefined || ca.algorithm !== "rsa")
    return odaFail("ca-key-missing", `no RSA CA key ${index} for RID ${toHex(input.rid)}`)
  const issuerKey = recoverRsaIssuerKey(ca.key, input.records, input.pan, input.dateYymmdd)
  if (!issuerKey.ok) return issuerKey
  const ssad = findTag(input.records, TAG.signedStaticData)?.value
  if (ssad === undefined) return odaFail("data-missing", "no 93")
  const recovered = rsaPublic(issuerKey.value, ssad)
  const n = recovered?.length ?? 0
  if (
    recovered === null ||
    recovered[0] !== 0x6a ||
    recovered[n - 1] !== 0xbc ||
    recovered[1] !== SSAD_FORMAT
  )
    return odaFail("signed-data", "93 does not recover to format 03")
  const body = recovered.subarray(0, n - 21)
  if (!equals(sha1(concat(body.subarray(1), input.staticData)), recovered.subarray(n - 21, n - 1)))
    return odaFail("signed-data", "93 hash mismatch: static data changed")
  return { ok: true, value: recovered.slice(3, 5) }
}
