/**
 * A card is bytes (DESIGN.md §4): `reset()` gives the ATR, `transmit(command)` gives the response.
 * Parties never reach inside; they see a card only through this file.
 *
 * The persistent state of a card is one compact byte image (registry, keys, sequence counters,
 * applet instance state). The card materializes it on reset and writes it back through journaled
 * transactions, one per state-changing command, so that a power cut after any NVM write leaves
 * the card, after the next reset, in the before- or the after-state (runtime/nvm.ts).
 */
import type { CardOptions } from "./runtime/card-options.ts"
import { CardRuntime } from "./runtime/card-runtime.ts"

export type { CardOptions } from "./runtime/card-options.ts"

export interface Card {
  /** Cold reset: drops sessions and channels, recovers a torn transaction, answers the ATR. */
  readonly reset: () => Uint8Array
  /**
   * One command APDU in, one response out: always ≥ 2 bytes ending in a status word. Malformed
   * bytes get an ISO 7816-4 status word (6700, 6E00, 6D00, ...), never an exception. A card whose
   * power was cut (tearing) answers 6F00 until it is reset, as a reader would report a mute card.
   */
  readonly transmit: (command: Uint8Array) => Uint8Array
}

/** A card plus the handles its owner (a population store, a test) needs. */
export interface SimulatedCard extends Card {
  /** The committed persistent image; store it to rebuild the card later with the same state. */
  readonly image: () => Uint8Array
  /**
   * Tearing hook: power is cut right after the NVM write with this 0-based index, counted from
   * now. `null` disarms it. Used by fault plans and by the atomicity properties.
   */
  readonly tearAfterWrite: (writeIndex: number | null) => void
  /** NVM writes performed since the card was built (each journal or page write counts one). */
  readonly writeCount: () => number
}

/** Builds a card. A malformed image is a programmer error (images only come from the runtime). */
export const createCard = (options: CardOptions): SimulatedCard => {
  const runtime = new CardRuntime(options)
  return {
    reset: () => runtime.reset(),
    transmit: (command) => runtime.transmit(command),
    image: () => runtime.image(),
    tearAfterWrite: (writeIndex) => runtime.tearAfterWrite(writeIndex),
    writeCount: () => runtime.writeCount(),
  }
}

export type { CardIssuance } from "./runtime/issuance.ts"
/** GP facts a card issuer needs to address a card's security domains (GP 2.3 §11.1.2, §6.6). */
export {
  issueCardImage,
  SECURITY_DOMAIN_LOAD_FILE_AID,
  SECURITY_DOMAIN_MODULE_AID,
} from "./runtime/issuance.ts"
export { Privilege } from "./runtime/registry.ts"
