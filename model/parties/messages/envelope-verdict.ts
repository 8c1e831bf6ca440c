/**
 * What a receiving institution concludes about one envelope: accepted, or one reason to reject
 * it. Rejections are operating outcomes (STYLE.md rule 4), values the party reports (an
 * ErrorReport back, a signal for the audit), never exceptions.
 */
import type { Envelope } from "./envelope.ts"

export type RejectionKind =
  /** The bytes are not an envelope of this profile (bad layout, lengths, fields, payload). */
  | "malformed"
  /** The sender certificate serial is not one the MTPS CA issued. */
  | "unknown-sender"
  /** The signature does not verify, or the certificate belongs to another institution or CA. */
  | "forged"
  /** The certificate is on the CA's revocation list. */
  | "revoked"
  /** The certificate is outside its validity period at the receiver's time. */
  | "certificate-expired"
  /** Signed for another institution. */
  | "wrong-recipient"
  /** Sent further than the window away from the receiver's time (too old, or from the future). */
  | "expired"
  /** The same (sender, nonce) was accepted within the window. */
  | "replayed"
  /** The replay memory is full: accepting would mean forgetting what prevents replays. */
  | "overloaded"

export interface Rejection {
  readonly verdict: RejectionKind
  /** What could be read before the rejection, for the report; null when unreadable. */
  readonly sender: string | null
  readonly orderId: string | null
  readonly nonceHex: string | null
  readonly detail: string
}

export interface Acceptance {
  readonly verdict: "accepted"
  readonly envelope: Envelope
}

export type EnvelopeVerdict = Acceptance | Rejection
