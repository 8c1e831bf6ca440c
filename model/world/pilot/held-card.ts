/**
 * A byte-level user's card between sessions, kept as DESIGN.md §4 "Cards are bytes" asks: the
 * card's committed persistent image (≈ 0.6 KiB) plus the keys and byte streams its issuer and
 * terminals hold, instead of the live runtime and the issuance's GP session (≈ 44 KiB of objects
 * a card, which at 1× — 17,000 cards — the garbage collector walked on every major collection).
 * Each session (a tap, an OTA key rotation) materializes the card from its image, as an SE
 * powers up in a field, and stores the image back after it.
 *
 * Same results: a payment session draws no card entropy and starts with SELECT PPSE either way,
 * and the image holds everything a transaction commits (balances, ATC, keys). The card's entropy
 * after issuance (challenges of later secure-channel sessions) comes from its own stream
 * ("card/held" under the card's story seed), so it never repeats the issuance's challenges.
 */
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import { createCard } from "../../card/card.ts"
import type { CardProfile } from "../../card/profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { recordingCard, STORY_EPOCH_US } from "../../host/card-story/recording-card.ts"
import { type ByteSource, seededBytes } from "../../host/card-story/seeded-bytes.ts"
import {
  SSD_KVN,
  STORY_CLASSES,
  type StoryContext,
  type StoryKeys,
} from "../../host/card-story/story-context.ts"
import type { PbocCardData } from "../../host/issuer/data-preparation.ts"

export interface HeldCard {
  /** The card's story seed: every key and stream of this card derives from it. */
  readonly storySeed: number
  readonly profile: CardProfile
  readonly algorithm: AlgorithmProfile
  /** The committed persistent image after the last session. */
  image: Uint8Array
  /** The issuer's current keys for this card (replaced by a key rotation). */
  keys: StoryKeys
  /** The personalized account; `dki` names the issuer master key generation. */
  data: PbocCardData
  /** The key version number of the bank SSD's current key set. */
  ssdKvn: number
  /** Key rotations this card has been through. */
  rotations: number
  balanceFen: number
  readonly hostChallenge: ByteSource
  readonly unpredictableNumber: ByteSource
  readonly entropy: ByteSource
}

/** Keeps what later sessions need from a story that has just issued the card. */
export const heldCardOf = (ctx: StoryContext, storySeed: number): HeldCard => ({
  storySeed,
  profile: ctx.profile,
  algorithm: ctx.algorithm,
  image: ctx.card.image(),
  keys: ctx.keys,
  data: ctx.data,
  ssdKvn: SSD_KVN,
  rotations: 0,
  balanceFen: ctx.data.balanceFen,
  hostChallenge: ctx.hostChallenge,
  unpredictableNumber: ctx.unpredictableNumber,
  entropy: seededBytes(ctx.crypto, storySeed, "card/held"),
})

/** A powered-up card and the context the story's steps and the terminal work on. */
export const materialize = (held: HeldCard, crypto: Crypto): StoryContext => {
  const card = createCard({
    profile: held.profile,
    image: held.image,
    crypto,
    entropy: held.entropy,
    appletClasses: STORY_CLASSES,
  })
  card.reset()
  return {
    crypto,
    profile: held.profile,
    algorithm: held.algorithm,
    card: recordingCard(card, STORY_EPOCH_US, false),
    keys: held.keys,
    data: held.data,
    hostChallenge: held.hostChallenge,
    unpredictableNumber: held.unpredictableNumber,
    session: null,
    plainCommands: null,
  }
}

/** Stores the session's committed state back (the SE keeps its NVM when the field goes). */
export const putAway = (held: HeldCard, ctx: StoryContext): void => {
  held.image = ctx.card.image()
}
