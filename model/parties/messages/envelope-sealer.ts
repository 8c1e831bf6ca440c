/**
 * The sending side of an institution: puts a message in a signed envelope with a fresh nonce.
 * Nonces and signing scalars come from the injected entropy under purposes numbered by a per-sealer
 * counter, so a run's envelopes are byte-identical for the same seed (DESIGN.md §4).
 */
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2_DEFAULT_USER_ID } from "../../crypto/sm2/sm2.ts"
import type { EntropySource } from "../../host/pki/entropy.ts"
import { type Sm2KeyPair, signWithEntropy } from "../../host/pki/sm2-key-pair.ts"
import { encodeEnvelope, NONCE_BYTES, signedPartOf } from "./envelope.ts"
import type { Message } from "./messages.ts"

export interface EnvelopeSealerOptions {
  readonly crypto: Crypto
  readonly institutionId: string
  readonly key: Sm2KeyPair
  /** The serial of the sender's current certificate, which receivers look up at the CA. */
  readonly certificateSerial: bigint
  readonly entropy: EntropySource
  readonly userId?: Uint8Array
}

export class EnvelopeSealer {
  private sealedCount = 0

  constructor(private readonly options: EnvelopeSealerOptions) {}

  /**
   * `purpose`, when given, names this envelope's draws instead of the sealer's counter: a caller
   * whose envelopes may be sealed by different sealer instances (the pilot's byte plane on several
   * threads) names them by what it sealed, so the bytes do not depend on which instance sealed.
   */
  seal(recipient: string, orderId: string, payload: Message, nowUs: number, purpose?: string): Uint8Array {
    const { crypto, institutionId, key, entropy } = this.options
    if (purpose === undefined) purpose = `envelope/${institutionId}/${this.sealedCount++}`
    const nonce = entropy(`${purpose}/nonce`).slice(0, NONCE_BYTES)
    if (nonce.length !== NONCE_BYTES) throw new RangeError(`entropy gave a nonce of ${nonce.length} bytes`)
    const header = {
      sender: institutionId,
      recipient,
      senderSerial: this.options.certificateSerial,
      orderId,
      sentAtUs: nowUs,
      nonce,
    }
    const signedPart = signedPartOf(header, payload)
    const userId = this.options.userId ?? SM2_DEFAULT_USER_ID
    const signature = signWithEntropy(crypto, key, userId, signedPart, entropy, `${purpose}/signature`)
    return encodeEnvelope(signedPart, signature)
  }
}
