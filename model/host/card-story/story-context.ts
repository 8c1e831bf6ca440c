/**
 * What one card story works on: a freshly issued card (recorded, model/host/card-story/
 * recording-card.ts), the keys of the telco's ISD, the bank's SSD and the bank's issuer master
 * keys, the account personalized onto the card, and the seeded byte streams for challenges and
 * unpredictable numbers. Everything secret or random is drawn from the story's seed.
 */

import { hex } from "../../bytes/hex.ts"
import type { AppletClass } from "../../card/applet.ts"
import { type AlgorithmProfile, TDES_PBOC } from "../../card/applets/pboc/algorithm-profile.ts"
import { PBOC_APPLET } from "../../card/applets/pboc/pboc-applet.ts"
import { PBOC_AID } from "../../card/applets/pboc/pboc-constants.ts"
import type { OdaAlgorithm } from "../../card/applets/pboc/pboc-oda.ts"
import { PPSE_APPLET } from "../../card/applets/pboc/ppse-applet.ts"
import { createCard, issueCardImage } from "../../card/card.ts"
import { type CardProfile, NFC_SIM } from "../../card/profile.ts"
import type { StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { GpSession } from "../gp/gp-session.ts"
import type { PbocCardData } from "../issuer/data-preparation.ts"
import type { IssuerMasterKeys } from "../issuer/issuer-keys.ts"
import { createIssuerOda } from "../oda/issuer-oda.ts"
import { createSchemeCa } from "../oda/scheme-ca.ts"
import type { KernelConfig } from "../terminal/qpboc-kernel.ts"
import { transitCardData } from "../transit/transit-card.ts"
import { type ExchangeObserver, type RecordingCard, recordingCard, STORY_EPOCH_US } from "./recording-card.ts"
import { type ByteSource, seededBytes } from "./seeded-bytes.ts"

/** The bank's supplementary security domain (a twin AID under UnionPay's RID A000000333). */
export const BANK_SSD_AID = hex("A00000033353534401")
/** The executable load file that provides the PBOC and PPSE applet classes. */
export const PBOC_PACKAGE_AID = hex("A0000003330101")
export const ISD_KVN = 0x20
export const SSD_KVN = 0x30
export const STORY_CLASSES: ReadonlyArray<AppletClass> = [
  PBOC_APPLET,
  PPSE_APPLET,
] as ReadonlyArray<AppletClass>

export interface StoryOptions {
  readonly seed: number
  readonly crypto: Crypto
  /** The SE form factor; the pilot's NFC-SIM unless a caller wants another. */
  readonly profile?: CardProfile
  /** The PBOC cryptogram profile of the payment applet; 3DES with PBOC process keys unless given. */
  readonly algorithm?: AlgorithmProfile
  /** Keep every exchange for a trace (default true); benchmarks turn it off. */
  readonly record?: boolean
  /** Simulated instant of the first command, µs since the Unix epoch. */
  readonly startUs?: number
  /**
   * Also keep each secure-channel command in plaintext, as the host built it before wrapping
   * (default false), keyed by the index of the exchange that carried it wrapped; meant with
   * `record` so the indices point into the trace. Observing changes no byte on the wire.
   */
  readonly recordPlain?: boolean
  /**
   * Offline data authentication: the issuer certifies an RSA or SM2 ICC key under the twin's
   * scheme CA (model/host/oda), the card signs 9F4B and the story's reader checks fDDA with the
   * CA public keys. Absent: a card without ODA and a reader that does not check.
   */
  readonly oda?: OdaAlgorithm
  /**
   * The issuing bank's master keys and the card's PAN (the pilot's banks hold their IMKs, so
   * their hosts can verify ARQCs without the card's copy); absent: IMKs from the story's seed and
   * the story's PAN. The seed's key stream is drawn either way, so the GP keys stay the same.
   */
  readonly issuer?: { readonly imks: IssuerMasterKeys; readonly pan: string }
  /** Sees every exchange as it crosses (recording-card.ts); changes no byte. */
  readonly observe?: ExchangeObserver
}

export interface StoryKeys {
  readonly isd: StaticKeys
  readonly ssd: StaticKeys
  readonly imks: IssuerMasterKeys
  /** 贵州通's transit SSD (its own stream, so the other keys keep their bytes). */
  readonly transitSsd?: StaticKeys
}

/**
 * The online PIN of the story's cardholder: the reader's terminal PIN key, the zone PIN key of
 * the acquirer/UnionPay HSM, the issuer's PIN verification key, and the PIN the cardholder types.
 */
export interface StoryPin {
  readonly tpk: Uint8Array
  readonly zpk: Uint8Array
  readonly pvk: Uint8Array
  readonly pin: string
}

export interface StoryContext {
  readonly crypto: Crypto
  readonly profile: CardProfile
  readonly algorithm: AlgorithmProfile
  readonly card: RecordingCard
  readonly keys: StoryKeys
  readonly data: PbocCardData
  /** 8-byte host challenges for INITIALIZE UPDATE. */
  readonly hostChallenge: ByteSource
  /** 4-byte terminal unpredictable numbers (9F37). */
  readonly unpredictableNumber: ByteSource
  /**
   * The 贵州通 transit application issued beside the bank's (model/host/transit/transit-card.ts)
   * and the cardholder's online PIN; absent in contexts rebuilt from a held card, whose world
   * runs no transit or PIN step.
   */
  readonly transit?: PbocCardData
  readonly pin?: StoryPin
  /** The reader's CA keys when the story runs with ODA (StoryOptions.oda). */
  readonly kernel?: KernelConfig | undefined
  /** The GP session the next card-management step uses (ISD, then SSD). */
  session: GpSession | null
  /** Plaintext commands by the index of the exchange that carried them wrapped; null when not kept. */
  readonly plainCommands: Map<number, Uint8Array> | null
}

const KEY_BYTES = 16

const staticKeys = (draw: ByteSource): StaticKeys => ({
  enc: draw(KEY_BYTES),
  mac: draw(KEY_BYTES),
  dek: draw(KEY_BYTES),
})

export const newStoryContext = (options: StoryOptions): StoryContext => {
  const { crypto, seed } = options
  const profile = options.profile ?? NFC_SIM
  const algorithm = options.algorithm ?? TDES_PBOC
  const keyStream = seededBytes(crypto, seed, "keys")
  const isd = staticKeys(keyStream)
  const ssd = staticKeys(keyStream)
  const drawn = { imkAc: keyStream(KEY_BYTES), imkSmi: keyStream(KEY_BYTES), imkSmc: keyStream(KEY_BYTES) }
  const keys: StoryKeys = { isd, ssd, imks: options.issuer?.imks ?? drawn }
  const image = issueCardImage(profile, {
    serial: seededBytes(crypto, seed, "serial")(4),
    isdKeys: { kvn: ISD_KVN, ...keys.isd },
  })
  const card = createCard({
    profile,
    image,
    crypto,
    entropy: seededBytes(crypto, seed, "card"),
    appletClasses: STORY_CLASSES,
  })
  card.reset()
  const oda = options.oda === undefined ? undefined : storyOda(crypto, seed, options.oda)
  const story = storyAccount(algorithm)
  const pan = options.issuer?.pan
  const account = pan === undefined ? story : { ...story, account: { ...story.account, pan } }
  const data = oda === undefined ? account : { ...account, oda: oda.perso }
  return {
    crypto,
    profile,
    algorithm,
    card: recordingCard(
      card,
      options.startUs ?? STORY_EPOCH_US,
      options.record ?? true,
      options.observe ?? null,
    ),
    keys: { ...keys, transitSsd: staticKeys(seededBytes(crypto, seed, "transit-keys")) },
    data,
    transit: transitCardData(data, STORY_TRANSIT_PAN),
    pin: storyPin(seededBytes(crypto, seed, "pin-keys")),
    kernel: oda?.kernel,
    hostChallenge: seededBytes(crypto, seed, "host-challenge"),
    unpredictableNumber: seededBytes(crypto, seed, "terminal-un"),
    session: null,
    plainCommands: options.recordPlain === true ? new Map() : null,
  }
}

/** The transit account under the bank's BIN (transit-card.ts). */
export const STORY_TRANSIT_PAN = "6230529000000001"

const storyPin = (draw: ByteSource): StoryPin => ({
  tpk: draw(KEY_BYTES),
  zpk: draw(KEY_BYTES),
  pvk: draw(KEY_BYTES),
  pin: "147258",
})

const ODA_DATES = { expiryMmyy: new Uint8Array([0x12, 0x20]), serial: new Uint8Array([0, 0, 1]) }

/** The scheme CA, the bank's ODA keys and the reader's CA key list, all from the story's seed. */
const storyOda = (crypto: Crypto, seed: number, algorithm: OdaAlgorithm) => {
  const ca = createSchemeCa(crypto, seed)
  const issuer = createIssuerOda(crypto, ca, algorithm, "623052", ODA_DATES, seed)
  return {
    perso: { issuer, dates: ODA_DATES, seed },
    kernel: { crypto, caKeys: ca.publicKeys },
  }
}

/** The account a local bank issues onto the card, with a 500 yuan e-cash balance preloaded. */
const storyAccount = (algorithm: AlgorithmProfile): PbocCardData => ({
  profile: algorithm,
  account: { pan: "6230520000000001", psn: "01" },
  expiryYymm: "2012",
  label: "PBOC DEBIT",
  aid: PBOC_AID.debit,
  dki: 0x01,
  balanceFen: 50_000,
  balanceLimitFen: 100_000,
  singleLimitFen: 20_000,
  resetThresholdFen: 0,
})
