/**
 * One twin secure element behind vpcd (`tsm-twin card serve`): the model's card
 * (model/card/card.ts) plus what a reader's contacts add — power. vpcd's control codes map onto
 * the card as on a real one: power off leaves only the NVM (the card answers nothing until powered
 * again), power on and reset are a cold reset (`Card.reset`: secure channels closed, transient
 * state cleared, an interrupted NVM transaction rolled back). GET ATR is vpcd's presence poll and
 * changes nothing.
 *
 * A power cut in the middle of a STORE DATA is the card's tearing hook: armed for the N-th STORE
 * DATA, power is lost right after that command's W-th NVM write (runtime/nvm.ts), the card goes
 * mute (6F00) until vpcd powers it off and on, and the next reset recovers the before- or
 * after-state. Every event is logged with a digest of the committed NVM image, so a test can
 * compare states without reaching into the card.
 */
import { createHash } from "node:crypto"
import type { ApduExchange } from "../../model/apdu/pcap-file.ts"
import { toHex } from "../../model/bytes/hex.ts"
import { createCard, issueCardImage, type SimulatedCard } from "../../model/card/card.ts"
import type { CardProfile } from "../../model/card/profile.ts"
import type { Crypto } from "../../model/crypto/crypto.ts"
import { recordingCard, STORY_EPOCH_US } from "../../model/host/card-story/recording-card.ts"
import { seededBytes } from "../../model/host/card-story/seeded-bytes.ts"
import { STORY_CLASSES } from "../../model/host/card-story/story-context.ts"
import type { CardKeys } from "./card-keys.ts"
import { contextOnCard, type IssuanceRecord, issuePboc } from "./pboc-issuance.ts"
import { VpcdControl, type VpcdMessage } from "./vpcd-frame.ts"

export type CardContent = "empty" | "pboc"
export const CARD_CONTENTS: ReadonlyArray<CardContent> = ["empty", "pboc"]

/** Power is lost right after NVM write `afterWrite` (0-based) of the `storeData`-th STORE DATA (1-based). */
export interface PowerCut {
  readonly storeData: number
  readonly afterWrite: number
}

export interface ServedCardOptions {
  readonly profile: CardProfile
  readonly content: CardContent
  readonly keys: CardKeys
  readonly seed: number
  readonly crypto: Crypto
  readonly powerCut: PowerCut | null
  readonly log: (line: string) => void
  /** Wall-clock µs for the pcap's timestamps (the control plane's clock, injected). */
  readonly clockUs: () => number
  /** Sees every exchange as it happens (the pcap writer). */
  readonly onExchange?: (exchange: ApduExchange) => void
}

export interface ServedCard {
  /** The answer to one vpcd message: a payload to frame, or null when the message has none. */
  readonly respond: (message: VpcdMessage) => Uint8Array | null
  /** What the TSM's issuance did before serving (`--content pboc`), empty otherwise. */
  readonly issuance: ReadonlyArray<IssuanceRecord>
  readonly atr: Uint8Array
  readonly nvmDigest: () => string
}

const MUTE = Uint8Array.of(0x6f, 0x00)
/** GP 2.3 §11.11: STORE DATA is INS E2 in any class. */
const INS_STORE_DATA = 0xe2

const digestOf = (card: SimulatedCard): string =>
  createHash("sha256").update(card.image()).digest("hex").slice(0, 16)

const buildCard = (options: ServedCardOptions): { card: SimulatedCard; issuance: IssuanceRecord[] } => {
  const { crypto, profile, seed, keys } = options
  const image = issueCardImage(profile, { serial: seededBytes(crypto, seed, "serial")(4), isdKeys: keys.isd })
  const card = createCard({
    profile,
    image,
    crypto,
    entropy: seededBytes(crypto, seed, "card"),
    appletClasses: STORY_CLASSES,
  })
  card.reset()
  if (options.content === "empty") return { card, issuance: [] }
  const ctx = contextOnCard(crypto, profile, seed, keys, recordingCard(card, STORY_EPOCH_US, false))
  const issuance = [...issuePboc(ctx, keys)]
  card.reset()
  return { card, issuance }
}

export const serveCard = (options: ServedCardOptions): ServedCard => {
  const { card, issuance } = buildCard(options)
  const { log, powerCut } = options
  let powered = false
  let storeDataSeen = 0
  let apduCount = 0
  const powerOn = (what: string): Uint8Array => {
    const atr = card.reset()
    powered = true
    log(`${what} atr: ${toHex(atr)} nvm: ${digestOf(card)}`)
    return atr
  }
  const transmit = (command: Uint8Array): Uint8Array => {
    apduCount += 1
    if (!powered) {
      log(`apdu #${apduCount} while powered off: answered 6F00`)
      return MUTE.slice()
    }
    const isStoreData = command.length >= 4 && command[1] === INS_STORE_DATA
    if (isStoreData) storeDataSeen += 1
    const armed = isStoreData && powerCut !== null && powerCut.storeData === storeDataSeen
    if (armed) card.tearAfterWrite(powerCut.afterWrite)
    const writesBefore = card.writeCount()
    const response = card.transmit(command)
    const writes = card.writeCount() - writesBefore
    card.tearAfterWrite(null)
    const tag = isStoreData ? ` store-data #${storeDataSeen}` : ""
    log(
      `apdu #${apduCount}${tag} c: ${toHex(command)} r: ${toHex(response)} writes: ${writes} nvm: ${digestOf(card)}`,
    )
    if (armed && response.length === 2 && response[0] === 0x6f && writes === powerCut.afterWrite + 1) {
      log(
        `power cut after NVM write ${powerCut.afterWrite} of store-data #${storeDataSeen}: mute until power off/on`,
      )
    } else if (armed) {
      log(
        `power cut armed at write ${powerCut.afterWrite} but store-data #${storeDataSeen} made ${writes} writes`,
      )
    }
    options.onExchange?.({ atUs: options.clockUs(), command: command.slice(), response: response.slice() })
    return response
  }
  const respond = (message: VpcdMessage): Uint8Array | null => {
    if (message.kind === "apdu") return transmit(message.command)
    if (message.kind === "empty") {
      log("empty frame from vpcd: ignored")
      return null
    }
    switch (message.code) {
      case VpcdControl.powerOff:
        powered = false
        log(`power off nvm: ${digestOf(card)}`)
        return null
      case VpcdControl.powerOn:
        powerOn("power on")
        return null
      case VpcdControl.reset:
        powerOn("reset")
        return null
      case VpcdControl.getAtr:
        return options.profile.atr.slice()
      default:
        log(`unknown vpcd control code ${message.code.toString(16).padStart(2, "0")}: ignored`)
        return null
    }
  }
  return { respond, issuance, atr: options.profile.atr.slice(), nvmDigest: () => digestOf(card) }
}
