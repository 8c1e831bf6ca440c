/**
 * What every institution party shares (issue 5): its signed-envelope endpoint. Outbound, a message
 * of the one union (messages.ts) is sealed by the EnvelopeSealer under the institution's key and
 * certificate serial and sent as bytes over the link to its peer; inbound, every envelope passes
 * the EnvelopeVerifier (layout, certificate at the MTPS CA, chain, signature, owner, revocation,
 * validity, recipient, time window, replay) before the party sees it. A rejection is an operating
 * outcome: it becomes one `envelope.rejected` signal naming the verdict, counted per verdict here
 * and in the run's summary.
 *
 * Envelopes carry absolute time (the CA's validity periods are civil time): the kernel's clock
 * starts at `epochUs`, the scenario's start as µs since 1970.
 */
import type { Link, Port } from "../../../sim/kernel/port.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import type { Sm2Point } from "../../crypto/sm2/sm2.ts"
import type { CertificateAuthority } from "../../host/pki/certificate-authority.ts"
import { drawScalar, type EntropySource } from "../../host/pki/entropy.ts"
import type { Sm2KeyPair } from "../../host/pki/sm2-key-pair.ts"
import type { Envelope } from "./envelope.ts"
import { EnvelopeSealer } from "./envelope-sealer.ts"
import type { RejectionKind } from "./envelope-verdict.ts"
import { EnvelopeVerifier } from "./envelope-verifier.ts"
import type { Message } from "./messages.ts"

export interface InstitutionOptions {
  readonly crypto: Crypto
  /** The institution's id in the pilot roster (model/host/pki/pilot-roster.ts). */
  readonly id: string
  readonly ca: CertificateAuthority
  readonly key: Sm2KeyPair
  /** Nonces, signing scalars and SM2 encryption scalars, by purpose (DESIGN.md §4). */
  readonly entropy: EntropySource
  /** Accepted |now − sentAt| of an envelope: clock skew plus transit (assumption: 5 minutes). */
  readonly windowUs: number
  /** Civil time of simulated time 0, µs since 1970-01-01T00:00:00Z. */
  readonly epochUs: number
}

/** Bounds SM2 encryption redraws (a null ciphertext has probability about 2^-256). */
const ENCRYPT_ATTEMPTS_MAX = 8

export class Institution {
  readonly links = new Map<string, Link<Uint8Array>>()
  /** Rejected envelopes by verdict, for the summary (the signals carry each one). */
  readonly rejected = new Map<RejectionKind, number>()
  private readonly sealer: EnvelopeSealer
  private readonly verifier: EnvelopeVerifier
  private encryptions = 0

  constructor(
    readonly port: Port,
    readonly options: InstitutionOptions,
  ) {
    const issued = options.ca.certificateOf(options.id)
    if (issued === undefined) throw new Error(`institution ${options.id} holds no MTPS certificate`)
    this.sealer = new EnvelopeSealer({
      crypto: options.crypto,
      institutionId: options.id,
      key: options.key,
      certificateSerial: issued.serial,
      entropy: options.entropy,
      userId: options.ca.userId,
    })
    this.verifier = new EnvelopeVerifier({
      crypto: options.crypto,
      institutionId: options.id,
      directory: options.ca,
      windowUs: options.windowUs,
    })
  }

  get id(): string {
    return this.options.id
  }

  /** Civil time in µs, what envelopes carry and certificates are checked against. */
  clockUs(): number {
    return this.options.epochUs + this.port.now()
  }

  /** Verifies an inbound envelope; a rejection is emitted, counted and answered with null. */
  admit(bytes: Uint8Array): Envelope | null {
    const verdict = this.verifier.verify(bytes, this.clockUs())
    if (verdict.verdict === "accepted") return verdict.envelope
    this.rejected.set(verdict.verdict, (this.rejected.get(verdict.verdict) ?? 0) + 1)
    this.port.emit("envelope.rejected", {
      at: this.id,
      verdict: verdict.verdict,
      sender: verdict.sender,
      orderId: verdict.orderId,
      detail: verdict.detail,
    })
    return null
  }

  /** Seals `message` for `to` and sends it over the link to `to`. */
  send(to: string, orderId: string, message: Message): void {
    const link = this.links.get(to)
    if (link === undefined) throw new Error(`${this.id} has no link to ${to}`)
    this.port.send(link, this.sealer.seal(to, orderId, message, this.clockUs()))
  }

  /** An institution's public key from its current, unrevoked MTPS certificate (a CA look-up). */
  publicKeyOf(institutionId: string): Sm2Point | null {
    const issued = this.options.ca.certificateOf(institutionId)
    if (issued === undefined || this.options.ca.statusOf(issued.serial).status !== "good") return null
    return issued.certificate.subjectPublicKey
  }

  /** SM2-encrypts (GB/T 32918.4, C1‖C3‖C2) to an institution's certified key. */
  encryptTo(institutionId: string, plain: Uint8Array): Uint8Array | null {
    const recipient = this.publicKeyOf(institutionId)
    if (recipient === null) return null
    const purpose = `encrypt/${this.id}/${this.encryptions++}`
    for (let attempt = 0; attempt < ENCRYPT_ATTEMPTS_MAX; attempt++) {
      const k = drawScalar(this.options.entropy, SM2P256V1, `${purpose}/${attempt}`)
      const cipher = this.options.crypto.sm2.encrypt(SM2P256V1, recipient, plain, k)
      if (cipher !== null) return cipher
    }
    throw new Error(`${this.id}: no SM2 ciphertext after ${ENCRYPT_ATTEMPTS_MAX} draws of k`)
  }

  /** Decrypts what another institution encrypted to this one's key. */
  decrypt(cipher: Uint8Array): Uint8Array | null {
    return this.options.crypto.sm2.decrypt(SM2P256V1, this.options.key.privateKey, cipher)
  }
}
