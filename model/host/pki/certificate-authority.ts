/**
 * The MTPS certificate authority (DESIGN.md §1: "MTPS hub (PBOC): routing · registry · CA"). It
 * makes its self-signed SM2 root, issues each institution's TSM an end-entity certificate,
 * keeps a revocation list by serial and answers look-ups, which is what an envelope verifier
 * asks at every hop. Serials count up from 1 (the root), so a run's PKI is a pure function of
 * the CA's entropy and the order of enrolments.
 *
 * Default validity is long (root 30 years, institutions 20): the real `openssl verify` checks
 * against today's wall clock, and a pilot-era (2014-2017) certificate must still verify there.
 */
import { unwrap } from "../../bytes/result.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2_DEFAULT_USER_ID, type Sm2Point } from "../../crypto/sm2/sm2.ts"
import { type Certificate, parseCertificate } from "../../crypto/x509/certificate.ts"
import { buildCertificate, type DistinguishedName, keyIdentifierOf } from "./certificate-builder.ts"
import type { EntropySource } from "./entropy.ts"
import { toPem } from "./pem-writer.ts"
import { generateKeyPair, type Sm2KeyPair } from "./sm2-key-pair.ts"

const YEAR_S = 365 * 86_400
export const ROOT_VALIDITY_S_DEFAULT = 30 * YEAR_S
export const INSTITUTION_VALIDITY_S_DEFAULT = 20 * YEAR_S
/** Far above the pilot's few dozen institutions; bounds the CA's tables (STYLE.md rule 3). */
export const CERTIFICATES_MAX = 4096

/** Institution ids double as `pki/<id>.pem` file names, hence the narrow alphabet. */
export const INSTITUTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/

export interface InstitutionIdentity {
  readonly id: string
  readonly name: DistinguishedName
}

export interface IssuedCertificate {
  readonly institutionId: string
  readonly serial: bigint
  readonly der: Uint8Array
  /** The same certificate as the project's parser reads it. */
  readonly certificate: Certificate
  readonly notBeforeS: number
  readonly notAfterS: number
}

export type CertificateStatus =
  | { readonly status: "good"; readonly issued: IssuedCertificate }
  | { readonly status: "revoked"; readonly issued: IssuedCertificate; readonly revokedAtS: number }
  | { readonly status: "unknown" }

export interface CertificateAuthorityOptions {
  readonly crypto: Crypto
  readonly entropy: EntropySource
  /** The CA's own id: it names the CA's entropy draws and `ca.pem`'s subject in reports. */
  readonly id: string
  readonly name: DistinguishedName
  readonly createdAtS: number
  readonly rootValidityS?: number
  /** GM/T 0009 distinguishing ID used for every signature of this PKI. */
  readonly userId?: Uint8Array
}

export class CertificateAuthority {
  readonly id: string
  readonly name: DistinguishedName
  readonly userId: Uint8Array
  readonly root: IssuedCertificate
  readonly publicKey: Sm2Point
  private readonly crypto: Crypto
  private readonly entropy: EntropySource
  private readonly key: Sm2KeyPair
  private readonly keyId: Uint8Array
  private readonly bySerial = new Map<bigint, IssuedCertificate>()
  private readonly current = new Map<string, IssuedCertificate>()
  private readonly revoked = new Map<bigint, number>()
  private nextSerial = 1n

  constructor(options: CertificateAuthorityOptions) {
    if (!INSTITUTION_ID_PATTERN.test(options.id)) throw new RangeError(`CA id "${options.id}"`)
    this.crypto = options.crypto
    this.entropy = options.entropy
    this.id = options.id
    this.name = options.name
    this.userId = options.userId ?? SM2_DEFAULT_USER_ID
    this.key = generateKeyPair(this.crypto, this.entropy, `pki/${this.id}/root`)
    this.publicKey = this.key.publicKey
    this.keyId = keyIdentifierOf(this.crypto, this.key.publicKey)
    const validityS = options.rootValidityS ?? ROOT_VALIDITY_S_DEFAULT
    this.root = this.sign(
      { id: this.id, name: this.name },
      this.key.publicKey,
      options.createdAtS,
      validityS,
      true,
    )
  }

  /** Signs an institution's public key; a later certificate for the same id replaces the current one. */
  issue(
    identity: InstitutionIdentity,
    publicKey: Sm2Point,
    nowS: number,
    validityS = INSTITUTION_VALIDITY_S_DEFAULT,
  ): IssuedCertificate {
    if (!INSTITUTION_ID_PATTERN.test(identity.id) || identity.id === this.id) {
      throw new RangeError(
        `institution id "${identity.id}" (pattern ${INSTITUTION_ID_PATTERN}, not the CA's)`,
      )
    }
    return this.sign(identity, publicKey, nowS, validityS, false)
  }

  /** Generates the institution's key pair from its own entropy and has it certified. */
  enrol(
    identity: InstitutionIdentity,
    institutionEntropy: EntropySource,
    nowS: number,
  ): { readonly key: Sm2KeyPair; readonly issued: IssuedCertificate } {
    const key = generateKeyPair(this.crypto, institutionEntropy, `pki/${identity.id}/key`)
    return { key, issued: this.issue(identity, key.publicKey, nowS) }
  }

  /** Adds the serial to the revocation list; false when it is unknown or already revoked. */
  revoke(serial: bigint, atS: number): boolean {
    if (!this.bySerial.has(serial) || this.revoked.has(serial) || serial === this.root.serial) return false
    this.revoked.set(serial, atS)
    return true
  }

  statusOf(serial: bigint): CertificateStatus {
    const issued = this.bySerial.get(serial)
    if (issued === undefined) return { status: "unknown" }
    const revokedAtS = this.revoked.get(serial)
    return revokedAtS === undefined ? { status: "good", issued } : { status: "revoked", issued, revokedAtS }
  }

  /** The institution's current certificate, if it has one. */
  certificateOf(institutionId: string): IssuedCertificate | undefined {
    return this.current.get(institutionId)
  }

  /** Current institution certificates in enrolment order (the root excluded). */
  institutions(): ReadonlyArray<IssuedCertificate> {
    return [...this.current.values()]
  }

  rootPem(): string {
    return toPem(this.root.der, "CERTIFICATE")
  }

  private sign(
    identity: InstitutionIdentity,
    publicKey: Sm2Point,
    nowS: number,
    validityS: number,
    isCa: boolean,
  ): IssuedCertificate {
    if (this.bySerial.size >= CERTIFICATES_MAX)
      throw new RangeError(`more than ${CERTIFICATES_MAX} certificates`)
    if (!Number.isSafeInteger(nowS) || !Number.isSafeInteger(validityS) || validityS <= 0) {
      throw new RangeError(`validity ${nowS} + ${validityS} s`)
    }
    const serial = this.nextSerial++
    const template = {
      serial,
      issuer: this.name,
      subject: identity.name,
      notBeforeS: nowS,
      notAfterS: nowS + validityS,
      subjectPublicKey: publicKey,
      authorityKeyId: this.keyId,
      isCa,
    }
    const purpose = `pki/${this.id}/certificate/${serial}`
    const der = buildCertificate(this.crypto, template, this.key, this.userId, this.entropy, purpose)
    const certificate = unwrap(parseCertificate(der), "a certificate the CA just wrote")
    const issued = {
      institutionId: identity.id,
      serial,
      der,
      certificate,
      notBeforeS: nowS,
      notAfterS: nowS + validityS,
    }
    this.bySerial.set(serial, issued)
    if (!isCa) this.current.set(identity.id, issued)
    return issued
  }
}
