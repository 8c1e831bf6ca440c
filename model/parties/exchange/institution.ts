/**
 * What every institution party shares: its signer, its inbound gate, its outbound links by peer,
 * and the one place where a refused envelope becomes a signal (`envelope.rejected`, with the
 * reason), so the audit and the summary see forged, replayed and stale messages wherever they hit.
 */
import type { Port } from "../../../sim/kernel/port.ts"
import type { Link } from "../../../sim/network/link.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { type Envelope, EnvelopeGate, type KeyDirectory, type Signer, seal } from "./envelope.ts"
import type { PartyMessage } from "./party-messages.ts"

export interface InstitutionOptions {
  readonly crypto: Crypto
  readonly signer: Signer
  readonly directory: KeyDirectory
  /** Accepted clock skew plus transit time of an envelope (assumption: 5 minutes). */
  readonly windowUs: number
  readonly noncesMax: number
}

export class Institution {
  readonly gate: EnvelopeGate
  readonly links = new Map<string, Link<Envelope>>()
  private nonceCount = 0

  constructor(
    readonly port: Port,
    readonly options: InstitutionOptions,
  ) {
    this.gate = new EnvelopeGate({
      crypto: options.crypto,
      self: options.signer.id,
      directory: options.directory,
      windowUs: options.windowUs,
      noncesMax: options.noncesMax,
    })
  }

  get id(): string {
    return this.options.signer.id
  }

  /** Opens an inbound envelope; a refusal is emitted and answered with null. */
  admit(e: Envelope): Envelope | null {
    const opened = this.gate.open(e, this.port.now())
    if (opened.ok) return opened.value
    this.port.emit("envelope.rejected", {
      at: this.id,
      from: e.from,
      orderId: e.orderId,
      reason: opened.error,
    })
    return null
  }

  send(to: string, orderId: string, body: PartyMessage): void {
    const link = this.links.get(to)
    if (link === undefined) throw new Error(`${this.id} has no link to ${to}`)
    const e = seal(this.options.crypto, this.options.signer, {
      to,
      orderId,
      timeUs: this.port.now(),
      nonce: `${this.id}-${++this.nonceCount}`,
      body,
    })
    this.port.send(link, e)
  }
}
