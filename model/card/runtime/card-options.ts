/**
 * What a card is built from. It lives beside the runtime that consumes it, and card.ts re-exports
 * it, so that the public face (card.ts) and the runtime do not import each other.
 */
import type { Crypto } from "../../crypto/crypto.ts"
import type { AppletClass } from "../applet.ts"
import type { CardProfile } from "../profile.ts"

export interface CardOptions {
  readonly profile: CardProfile
  /** The persistent image (from `issueCardImage` or an earlier `image()`). */
  readonly image: Uint8Array
  readonly crypto: Crypto
  /** Returns `lengthBytes` deterministic bytes; the caller derives it from a seeded stream. */
  readonly entropy: (lengthBytes: number) => Uint8Array
  /** The applet classes this card's load files may name (security domains are built in). */
  readonly appletClasses: ReadonlyArray<AppletClass>
}
