/**
 * Certificate signature and two-level chain checks, exactly the rule of the `sm2_x509_chain`
 * vectors: the leaf's issuer Name equals the CA's subject Name byte for byte, the CA's
 * self-signature verifies under its own key, and the leaf's signature verifies under the CA key.
 * Each signature is SM2 over the DER TBSCertificate with ZA from the given ID (GM/T 0009 §10's
 * default is "1234567812345678"; OpenSSL needs `distid` for the same reason, ref/PROTOCOLS.md §3).
 * Validity dates, extensions and revocation are left to the PKI layer above.
 */
import { equals } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import { SM2P256V1 } from "../sm2/curve.ts"
import type { Sm2, Sm2Point } from "../sm2/sm2.ts"
import { type Certificate, parseCertificate, type X509Error } from "./certificate.ts"
import { OID } from "./oids.ts"

/** True when `cert`'s SM3withSM2 signature over its TBSCertificate verifies under `issuerPublicKey`. */
export const verifyCertificate = (
  sm2: Sm2,
  cert: Certificate,
  issuerPublicKey: Sm2Point,
  userId: Uint8Array,
): boolean =>
  cert.signatureAlgorithm === OID.SM3_WITH_SM2 &&
  sm2.verify(SM2P256V1, issuerPublicKey, userId, cert.tbs, cert.signature)

export interface ChainError {
  readonly _tag: "ChainError"
  readonly reason:
    | "ca-unparsable"
    | "leaf-unparsable"
    | "issuer-mismatch"
    | "ca-signature-invalid"
    | "leaf-signature-invalid"
  /** The parse error behind an `*-unparsable` reason. */
  readonly parseError?: X509Error
  readonly message: string
}

const chainError = (reason: ChainError["reason"], message: string, parseError?: X509Error): ChainError =>
  parseError === undefined
    ? { _tag: "ChainError", reason, message }
    : { _tag: "ChainError", reason, message, parseError }

/** Root (self-signed CA) and leaf, both PEM; the first failing rule is reported. */
export const verifyChain = (
  sm2: Sm2,
  caPem: string,
  leafPem: string,
  userId: Uint8Array,
): Result<true, ChainError> => {
  const ca = parseCertificate(caPem)
  if (!ca.ok) return err(chainError("ca-unparsable", `CA: ${ca.error.message}`, ca.error))
  const leaf = parseCertificate(leafPem)
  if (!leaf.ok) return err(chainError("leaf-unparsable", `leaf: ${leaf.error.message}`, leaf.error))
  const caKey = ca.value.subjectPublicKey
  if (!equals(leaf.value.issuer.der, ca.value.subject.der)) {
    return err(chainError("issuer-mismatch", "leaf issuer Name differs from the CA subject Name"))
  }
  if (!verifyCertificate(sm2, ca.value, caKey, userId)) {
    return err(chainError("ca-signature-invalid", "CA self-signature does not verify"))
  }
  if (!verifyCertificate(sm2, leaf.value, caKey, userId)) {
    return err(chainError("leaf-signature-invalid", "leaf signature does not verify under the CA key"))
  }
  return ok(true)
}
