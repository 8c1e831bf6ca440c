/**
 * The host side on PC/SC: a card in a reader seen by the twin's TSM and terminal code as the
 * story's recorded card. `card personalize` runs the TSM's issuance on it (pboc-issuance.ts) and
 * `card pay` the terminal kernel with the issuer host behind it (reader-payment.ts).
 */
import { toHex } from "../../model/bytes/hex.ts"
import type { SimulatedCard } from "../../model/card/card.ts"
import { CARD_PROFILES, type CardProfile } from "../../model/card/profile.ts"
import { type RecordingCard, recordingCard } from "../../model/host/card-story/recording-card.ts"
import { connectReader, type ReaderCard } from "./pcsc-reader.ts"

/** The profile whose ATR the card answered with, if it is one of the twin's. */
export const profileOfAtr = (atr: Uint8Array): CardProfile | undefined =>
  Object.values(CARD_PROFILES).find((p) => toHex(p.atr) === toHex(atr))

/**
 * A reader's card as the `SimulatedCard` the story's recorder wraps. A card behind PC/SC shows its
 * bytes only: there is no NVM image to read and no tearing hook to arm, and no host step asks.
 */
const asSimulated = (reader: ReaderCard): SimulatedCard => ({
  reset: () => reader.atr.slice(),
  transmit: reader.transmit,
  image: () => {
    throw new Error("a card in a PC/SC reader has no readable NVM image")
  },
  tearAfterWrite: () => {
    throw new Error("a card in a PC/SC reader has no tearing hook")
  },
  writeCount: () => 0,
})

export interface ReaderSession {
  readonly reader: ReaderCard
  readonly card: RecordingCard
  readonly profile: CardProfile
}

export type SessionOpening =
  | { readonly ok: true; readonly session: ReaderSession }
  | { readonly ok: false; readonly error: string }

/** Connects, and picks the profile: the one asked for, else the one whose ATR the card gave. */
export const openReaderSession = (
  readerName: string,
  profile: CardProfile | null,
  startUs: number,
): SessionOpening => {
  const reader = connectReader(readerName)
  const chosen = profile ?? profileOfAtr(reader.atr)
  if (chosen === undefined) {
    reader.close(false)
    return {
      ok: false,
      error: `the card's ATR ${toHex(reader.atr)} is none of the twin's profiles; name one with --profile`,
    }
  }
  return { ok: true, session: { reader, card: recordingCard(asSimulated(reader), startUs), profile: chosen } }
}
