/**
 * A byte-level user's card between sessions, kept as DESIGN.md §4 "Cards are bytes" asks: the
 * card's committed persistent image (≈ 0.6 KiB) plus the keys its issuer holds and where its
 * byte streams stand, in one byte string and a few numbers. No live runtime, no GP session, no
 * closure and no key array that a cipher context could hang on to stays with the card between
 * sessions (at 100 % byte-level a 1× run holds ~1.7 M of them: ≈ 18 KiB each before, measured by
 * bench:card, ≤ 1 KiB now). Each session (a tap, an OTA key rotation) materializes the card from
 * its image, as an SE powers up in a field, and stores the image back after it.
 *
 * Same results: a payment session draws no card entropy and starts with SELECT PPSE either way,
 * and the image holds everything a transaction commits (balances, ATC, keys). The byte streams
 * (host challenges, terminal unpredictable numbers, the card's own entropy) are put away as their
 * positions and resumed there (seeded-bytes.ts `positionOf`), so every later draw is the byte the
 * live stream would have given. The card's entropy after issuance comes from its own stream
 * ("card/held" under the card's story seed), so it never repeats the issuance's challenges.
 */
import { type AlgorithmProfile, profileByName } from "../../card/applets/pboc/algorithm-profile.ts"
import { createCard } from "../../card/card.ts"
import { CARD_PROFILES, type CardProfile } from "../../card/profile.ts"
import type { StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { type ExchangeObserver, recordingCard, STORY_EPOCH_US } from "../../host/card-story/recording-card.ts"
import { type ByteSource, positionOf, seededBytes } from "../../host/card-story/seeded-bytes.ts"
import {
  SSD_KVN,
  STORY_CLASSES,
  type StoryContext,
  type StoryKeys,
} from "../../host/card-story/story-context.ts"
import type { PbocCardData } from "../../host/issuer/data-preparation.ts"
import { decodeImage, encodeImage } from "./image-delta.ts"

/** Every story key is double-length (16 bytes): ISD enc/mac/dek, SSD enc/mac/dek, three IMKs. */
const KEY_BYTES = 16
const KEY_COUNT = 9
const KEYS_BYTES = KEY_BYTES * KEY_COUNT
/** Where the encoded image starts: after the keys and the image's 2-byte length. */
const IMAGE_AT = KEYS_BYTES + 2

/**
 * Bytes are held as a one-byte string (one char per byte, V8 stores it as Latin-1: 16 B of
 * header), not a Uint8Array: a typed array's JS wrapper and ArrayBuffer cost ~150 B more per card,
 * measured by bench:card (1,063 → 898 B retained per held card). Decoding per session is ~1 µs.
 */
/**
 * One flat string from one call: concatenating or slicing would make a rope or a slice that keeps
 * its parent strings alive. The bound keeps the call's argument count far below engine limits.
 */
const HELD_BYTES_MAX = 16 * 1024
const toByteString = (bytes: Uint8Array): string => {
  if (bytes.length > HELD_BYTES_MAX) throw new RangeError(`held card of ${bytes.length} bytes`)
  return String.fromCharCode.apply(null, bytes as unknown as number[])
}

/** Keys ‖ the image's length (2 bytes) ‖ the image encoded against this thread's template (image-delta.ts). */
const pack = (keys: Uint8Array, image: Uint8Array): string => {
  if (image.length > 0xffff) throw new RangeError(`held card image of ${image.length} bytes`)
  const encoded = encodeImage(image)
  const bytes = new Uint8Array(IMAGE_AT + encoded.length)
  bytes.set(keys)
  bytes[KEYS_BYTES] = image.length >> 8
  bytes[KEYS_BYTES + 1] = image.length & 0xff
  bytes.set(encoded, IMAGE_AT)
  return toByteString(bytes)
}

/** The image `pack` put in `held` (a byte string of this thread). */
const unpackImage = (held: string): Uint8Array => {
  const imageBytes = (held.charCodeAt(KEYS_BYTES) << 8) | held.charCodeAt(KEYS_BYTES + 1)
  return decodeImage(fromByteString(held, IMAGE_AT, held.length), imageBytes)
}

/** Keys ‖ the raw image, for the wire: the image's template stays on its thread. */
const wireBytes = (keys: Uint8Array, image: Uint8Array): string => {
  const bytes = new Uint8Array(KEYS_BYTES + image.length)
  bytes.set(keys)
  bytes.set(image, KEYS_BYTES)
  return toByteString(bytes)
}

const fromByteString = (text: string, start: number, end: number): Uint8Array => {
  const out = new Uint8Array(end - start)
  for (let i = start; i < end; i++) out[i - start] = text.charCodeAt(i)
  return out
}

/**
 * The account data without the two fields that change per card (DKI and personalized balance),
 * shared by every card issued with equal data: the pilot issues one account layout per algorithm.
 * Bounded; past the bound a card keeps its own copy, which is correct, only larger.
 */
type AccountBase = Omit<PbocCardData, "dki" | "balanceFen">
/** The base with the PAN left out: each card's own PAN is kept beside it (`HeldCard.pan`). */
const NO_PAN = ""

const ACCOUNT_BASES_MAX = 64
const accountBases = new Map<string, AccountBase>()

const sharedBase = (data: PbocCardData): AccountBase => {
  const { dki: _dki, balanceFen: _balanceFen, ...rest } = data
  const base: AccountBase = { ...rest, account: { ...rest.account, pan: NO_PAN } }
  const key = JSON.stringify(base)
  const known = accountBases.get(key)
  if (known !== undefined) return known
  if (accountBases.size < ACCOUNT_BASES_MAX) accountBases.set(key, base)
  return base
}

const packKeys = (keys: StoryKeys): Uint8Array[] => [
  keys.isd.enc,
  keys.isd.mac,
  keys.isd.dek,
  keys.ssd.enc,
  keys.ssd.mac,
  keys.ssd.dek,
  keys.imks.imkAc,
  keys.imks.imkSmi,
  keys.imks.imkSmc,
]

export class HeldCard {
  /**
   * The keys (9 × 16 bytes, in packKeys order), the image's length, then the committed persistent
   * image as its difference from this thread's template (image-delta.ts).
   */
  private bytes: string
  private account: AccountBase
  private dki: number
  /** The card's PAN (the shared account base holds none). */
  private pan: string
  /** The balance the application was last personalized with (PbocCardData.balanceFen). */
  private personalizedFen: number
  /** Stream positions (seeded-bytes.ts): host challenges, terminal UNs, the card's entropy. */
  hostChallengeAt: number
  unpredictableNumberAt: number
  entropyAt = 0
  /** The key version number of the bank SSD's current key set. */
  ssdKvn = SSD_KVN
  /** Key rotations this card has been through. */
  rotations = 0
  balanceFen: number

  constructor(
    /** The card's story seed: every key and stream of this card derives from it. */
    readonly storySeed: number,
    readonly profile: CardProfile,
    readonly algorithm: AlgorithmProfile,
    from: StoryContext | HeldCardWire,
  ) {
    if (!("card" in from)) {
      // Through the constructor, not Object.create: a card from a worker keeps the class's shape.
      const data: PbocCardData = { ...from.data, profile: profileByName(from.data.profile) }
      this.bytes = pack(
        fromByteString(from.bytes, 0, KEYS_BYTES),
        fromByteString(from.bytes, KEYS_BYTES, from.bytes.length),
      )
      this.account = sharedBase(data)
      this.pan = data.account.pan
      this.dki = data.dki
      this.personalizedFen = data.balanceFen
      this.hostChallengeAt = from.hostChallengeAt
      this.unpredictableNumberAt = from.unpredictableNumberAt
      this.entropyAt = from.entropyAt
      this.ssdKvn = from.ssdKvn
      this.rotations = from.rotations
      this.balanceFen = from.balanceFen
      return
    }
    const ctx = from
    this.bytes = ""
    this.keys = ctx.keys
    this.image = ctx.card.image()
    this.account = sharedBase(ctx.data)
    this.pan = ctx.data.account.pan
    this.dki = ctx.data.dki
    this.personalizedFen = ctx.data.balanceFen
    this.balanceFen = ctx.data.balanceFen
    this.hostChallengeAt = positionOf(ctx.hostChallenge)
    this.unpredictableNumberAt = positionOf(ctx.unpredictableNumber)
  }

  /** The committed persistent image after the last session (a fresh copy). */
  get image(): Uint8Array {
    return unpackImage(this.bytes)
  }

  set image(image: Uint8Array) {
    this.bytes = pack(fromByteString(this.bytes, 0, KEYS_BYTES), image)
  }

  /** The issuer's current keys for this card, as fresh copies (a key rotation replaces them). */
  get keys(): StoryKeys {
    const key = (i: number) => fromByteString(this.bytes, i * KEY_BYTES, (i + 1) * KEY_BYTES)
    const set = (i: number): StaticKeys => ({ enc: key(i), mac: key(i + 1), dek: key(i + 2) })
    return { isd: set(0), ssd: set(3), imks: { imkAc: key(6), imkSmi: key(7), imkSmc: key(8) } }
  }

  set keys(keys: StoryKeys) {
    const packed = new Uint8Array(KEYS_BYTES)
    packKeys(keys).forEach((key, i) => {
      if (key.length !== KEY_BYTES) throw new RangeError(`held card key ${i} has ${key.length} bytes, not 16`)
      packed.set(key, i * KEY_BYTES)
    })
    this.bytes = pack(packed, this.bytes.length === 0 ? new Uint8Array(0) : unpackImage(this.bytes))
  }

  /** The personalized account; `dki` names the issuer master key generation. */
  get data(): PbocCardData {
    const account = { ...this.account.account, pan: this.pan }
    return { ...this.account, account, dki: this.dki, balanceFen: this.personalizedFen }
  }

  /** The card as plain data that survives structured cloning (a byte-plane worker hands it over). */
  toWire(): HeldCardWire {
    return {
      storySeed: this.storySeed,
      profile: this.profile.name,
      algorithm: this.algorithm.name,
      bytes: wireBytes(fromByteString(this.bytes, 0, KEYS_BYTES), this.image),
      data: wireData(this.data),
      hostChallengeAt: this.hostChallengeAt,
      unpredictableNumberAt: this.unpredictableNumberAt,
      entropyAt: this.entropyAt,
      ssdKvn: this.ssdKvn,
      rotations: this.rotations,
      balanceFen: this.balanceFen,
    }
  }

  /** The card `toWire` gave, its account layout shared again with the cards already held here. */
  static fromWire(w: HeldCardWire): HeldCard {
    return new HeldCard(w.storySeed, CARD_PROFILES[w.profile], profileByName(w.algorithm), w)
  }

  set data(data: PbocCardData) {
    this.account = sharedBase(data)
    this.pan = data.account.pan
    this.dki = data.dki
    this.personalizedFen = data.balanceFen
  }
}

/** A held card as plain data (HeldCard.toWire), profiles by name. */
export interface HeldCardWire {
  readonly storySeed: number
  readonly profile: CardProfile["name"]
  readonly algorithm: AlgorithmProfile["name"]
  /** Keys ‖ the raw image, one char per byte (an encoded image's template stays on its thread). */
  readonly bytes: string
  readonly data: Omit<PbocCardData, "profile"> & { readonly profile: AlgorithmProfile["name"] }
  readonly hostChallengeAt: number
  readonly unpredictableNumberAt: number
  readonly entropyAt: number
  readonly ssdKvn: number
  readonly rotations: number
  readonly balanceFen: number
}

/**
 * The account without its functions (the algorithm profile goes by name). The pilot's cards carry
 * no ODA material (byte-level-cards.ts issues without `oda`), whose issuer keys would not clone.
 */
const wireData = (data: PbocCardData): HeldCardWire["data"] => {
  if (data.oda !== undefined) throw new Error("a held card with ODA material cannot leave its thread")
  return { ...data, profile: data.profile.name }
}

/** Keeps what later sessions need from a story that has just issued the card. */
export const heldCardOf = (ctx: StoryContext, storySeed: number): HeldCard =>
  new HeldCard(storySeed, ctx.profile, ctx.algorithm, ctx)

/**
 * The card's entropy source of each live session, by its context: the context does not carry it
 * (only the card runtime draws from it), and putAway needs its position. Gone with the context.
 */
const sessionEntropy = new WeakMap<StoryContext, ByteSource>()

/** A powered-up card and the context the story's steps and the terminal work on. */
export const materialize = (
  held: HeldCard,
  crypto: Crypto,
  observe: ExchangeObserver | null = null,
): StoryContext => {
  const entropy = seededBytes(crypto, held.storySeed, "card/held", held.entropyAt)
  const card = createCard({
    profile: held.profile,
    image: held.image,
    crypto,
    entropy,
    appletClasses: STORY_CLASSES,
  })
  // A card is built powered up from its image (card-runtime.ts): a reset here would only decode
  // the same image again.
  const ctx: StoryContext = {
    crypto,
    profile: held.profile,
    algorithm: held.algorithm,
    card: recordingCard(card, STORY_EPOCH_US, false, observe),
    keys: held.keys,
    data: held.data,
    hostChallenge: seededBytes(crypto, held.storySeed, "host-challenge", held.hostChallengeAt),
    unpredictableNumber: seededBytes(crypto, held.storySeed, "terminal-un", held.unpredictableNumberAt),
    session: null,
    plainCommands: null,
  }
  sessionEntropy.set(ctx, entropy)
  return ctx
}

/** Stores the session's committed state and stream positions back (the SE keeps its NVM when the field goes). */
export const putAway = (held: HeldCard, ctx: StoryContext): void => {
  const entropy = sessionEntropy.get(ctx)
  if (entropy === undefined) throw new Error("putAway: the context was not made by materialize")
  held.image = ctx.card.image()
  held.hostChallengeAt = positionOf(ctx.hostChallenge)
  held.unpredictableNumberAt = positionOf(ctx.unpredictableNumber)
  held.entropyAt = positionOf(entropy)
}
