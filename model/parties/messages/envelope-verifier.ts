/**
 * The receiving side of an institution: every hop runs every check on every envelope (issue 5),
 * in this order, each cheaper or more basic than the next:
 * 1. layout → malformed;
 * 2. the sender's certificate by serial at the MTPS CA → unknown-sender; the certificate chains
 *    to the CA root (issuer Name and SM3withSM2 signature, checked once per certificate) → forged;
 * 3. the envelope's SM2 signature under the certificate key → forged; the certificate belongs to
 *    the named sender → forged;
 * 4. revocation → revoked; certificate validity at the receiver's time → certificate-expired;
 * 5. recipient → wrong-recipient; |now − sentAt| ≤ window → expired; (sender, nonce) not seen →
 *    replayed, then remembered.
 * Signature before content checks: an attacker learns nothing about a recipient or window check
 * from a message it could not sign.
 */
import { equals } from "../../bytes/bytes.ts"
import { toHex } from "../../bytes/hex.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import { verifyCertificate } from "../../crypto/x509/verify-chain.ts"
import type { CertificateStatus, IssuedCertificate } from "../../host/pki/certificate-authority.ts"
import { type DecodedEnvelope, decodeEnvelope } from "./envelope.ts"
import type { EnvelopeVerdict, Rejection, RejectionKind } from "./envelope-verdict.ts"
import { ReplayWindow } from "./replay-window.ts"

/** What a receiver needs from the PKI: the root it trusts and the CA's status answers. */
export interface CertificateDirectory {
  readonly root: IssuedCertificate
  readonly userId: Uint8Array
  statusOf(serial: bigint): CertificateStatus
}

export interface EnvelopeVerifierOptions {
  readonly crypto: Crypto
  /** The receiving institution. */
  readonly institutionId: string
  readonly directory: CertificateDirectory
  /** Largest accepted |now − sentAt|; also how long nonces are remembered (twice this). */
  readonly windowUs: number
  readonly replayEntriesMax?: number
}

export const WINDOW_US_DEFAULT = 300_000_000
export const REPLAY_ENTRIES_MAX_DEFAULT = 1 << 20

export class EnvelopeVerifier {
  private readonly replays: ReplayWindow
  /** Certificates already checked against the root, by serial (bounded by the CA's table). */
  private readonly chainChecked = new Map<bigint, boolean>()

  constructor(private readonly options: EnvelopeVerifierOptions) {
    this.replays = new ReplayWindow(options.windowUs, options.replayEntriesMax ?? REPLAY_ENTRIES_MAX_DEFAULT)
  }

  verify(bytes: Uint8Array, nowUs: number): EnvelopeVerdict {
    const decoded = decodeEnvelope(bytes)
    if (!decoded.ok)
      return rejection("malformed", null, `${decoded.error.reason} (offset ${decoded.error.offset})`)
    const { envelope } = decoded.value
    const identity = this.checkIdentity(decoded.value, nowUs)
    if (identity !== null) return rejection(identity.kind, decoded.value, identity.detail)
    if (envelope.recipient !== this.options.institutionId) {
      return rejection("wrong-recipient", decoded.value, `addressed to ${envelope.recipient}`)
    }
    const skewUs = nowUs - envelope.sentAtUs
    if (Math.abs(skewUs) > this.options.windowUs) {
      return rejection(
        "expired",
        decoded.value,
        `sent ${skewUs} µs before now (window ${this.options.windowUs})`,
      )
    }
    this.replays.evict(nowUs)
    const key = `${envelope.sender}/${toHex(envelope.nonce)}`
    if (this.replays.has(key)) return rejection("replayed", decoded.value, "nonce already accepted")
    if (!this.replays.remember(key, nowUs)) {
      return rejection("overloaded", decoded.value, `replay memory full (${this.replays.entriesMax})`)
    }
    return { verdict: "accepted", envelope }
  }

  /**
   * Forgets the nonces accepted so far: the pilot's byte plane verifies each issuance job's
   * envelopes as an exchange of their own (issuance-job.ts), so a job's verdicts do not depend on
   * which jobs the same runner verified before it, nor on their order in time. After this, this
   * verifier catches replays within the job only; the pilot keeps the receivers' memory across
   * jobs on the kernel's thread instead (model/world/pilot/byte-level/cross-job-replays.ts).
   */
  forgetReplays(): void {
    this.replays.clear()
  }

  /** Steps 2-4: certificate, signature, owner, revocation, validity; null when all pass. */
  private checkIdentity(
    { envelope, signedPart }: DecodedEnvelope,
    nowUs: number,
  ): { kind: RejectionKind; detail: string } | null {
    const status = this.options.directory.statusOf(envelope.senderSerial)
    if (status.status === "unknown")
      return { kind: "unknown-sender", detail: `serial ${envelope.senderSerial}` }
    const { issued } = status
    if (!this.chainsToRoot(issued)) return { kind: "forged", detail: "certificate not issued by the MTPS CA" }
    const { crypto, directory } = this.options
    const key = issued.certificate.subjectPublicKey
    if (!crypto.sm2.verify(SM2P256V1, key, directory.userId, signedPart, envelope.signature)) {
      return { kind: "forged", detail: "signature does not verify" }
    }
    if (issued.institutionId !== envelope.sender) {
      return { kind: "forged", detail: `certificate belongs to ${issued.institutionId}` }
    }
    if (status.status === "revoked") return { kind: "revoked", detail: `revoked at ${status.revokedAtS} s` }
    const nowS = Math.floor(nowUs / 1_000_000)
    if (nowS < issued.notBeforeS || nowS > issued.notAfterS) {
      return { kind: "certificate-expired", detail: `valid ${issued.notBeforeS}..${issued.notAfterS} s` }
    }
    return null
  }

  /**
   * Checks the certificate `serial` against the root now, as the first envelope under it would;
   * a verifier warmed this way spends the same operations on its traffic as any other warmed one.
   */
  trust(serial: bigint): boolean {
    const status = this.options.directory.statusOf(serial)
    return status.status !== "unknown" && this.chainsToRoot(status.issued)
  }

  private chainsToRoot(issued: IssuedCertificate): boolean {
    const cached = this.chainChecked.get(issued.serial)
    if (cached !== undefined) return cached
    const { crypto, directory } = this.options
    const root = directory.root.certificate
    const result =
      equals(issued.certificate.issuer.der, root.subject.der) &&
      verifyCertificate(crypto.sm2, issued.certificate, root.subjectPublicKey, directory.userId)
    this.chainChecked.set(issued.serial, result)
    return result
  }
}

const rejection = (verdict: RejectionKind, decoded: DecodedEnvelope | null, detail: string): Rejection => ({
  verdict,
  sender: decoded?.envelope.sender ?? null,
  orderId: decoded?.envelope.orderId ?? null,
  nonceHex: decoded === null ? null : toHex(decoded.envelope.nonce),
  detail,
})
