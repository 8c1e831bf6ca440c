/**
 * Card profiles: the secure-element form factors of the pilot, with their quirks as named data
 * (STYLE.md, after GlobalPlatformPro: "card quirks are named profiles, never environment switches").
 *
 * The figures are representative of 2014-2017 parts (a UICC with SWP for NFC-SIM, a microSD with
 * an NFC antenna for NFC-SD, a phone's embedded SE), not taken from one product's datasheet.
 */
import { hex } from "../bytes/hex.ts"
import type { SecureChannelProtocol } from "./applet.ts"

export type CardProfileName = "NFC-SIM" | "NFC-SD" | "eSE"

/** Which secure channel the card's security domains speak, with the SCP "i" parameter. */
export interface ScpSupport {
  readonly protocol: SecureChannelProtocol
  /**
   * SCP02: 0x15 or 0x55 (GP 2.2 Annex E.1.1); SCP03 / SM4 profile: 0x70 (pseudo-random card
   * challenge, R-MAC and R-ENCRYPTION supported; Amd D §5.1).
   */
  readonly i: number
}

export interface CardProfile {
  readonly name: CardProfileName
  /** Answer to reset as returned by `Card.reset()` (ISO 7816-3 §8). */
  readonly atr: Uint8Array
  /** Logical channels including the basic channel 0 (ISO 7816-4 §5.1.1.2 allows up to 20). */
  readonly logicalChannelsMax: number
  readonly scp: ScpSupport
  /** Non-volatile bytes available to the card's persistent image (registry, keys, applet state). */
  readonly imageBytesMax: number
  /** AID of the issuer security domain. */
  readonly isdAid: Uint8Array
  /** CPLC fields fixed by the silicon and OS (GP 2.3 Table H-2): fabricator, IC type, OS id. */
  readonly cplcChip: Uint8Array
  /** Short responses above this size are chunked with 61xx / GET RESPONSE (T=0 style SIMs). */
  readonly responseBytesMax: number
}

/** GP's default ISD AID (GP 2.3 §H.1.3, "A000000151000000"). */
const GP_ISD_AID = hex("A000000151000000")

/** China Mobile-style NFC-SIM (UICC + SWP): SCP02 i=55, four channels, T=0 response chunking. */
export const NFC_SIM: CardProfile = {
  name: "NFC-SIM",
  atr: hex("3B9F95801FC78031E073FE211B63E208A8830F9000"),
  logicalChannelsMax: 4,
  scp: { protocol: "SCP02", i: 0x55 },
  imageBytesMax: 64 * 1024,
  isdAid: GP_ISD_AID,
  cplcChip: hex("47904060"),
  responseBytesMax: 256,
}

/** NFC-SD (microSD with antenna): SCP02 i=15, eight channels. */
export const NFC_SD: CardProfile = {
  name: "NFC-SD",
  atr: hex("3BFA1800008131FE454A434F5033315632333298"),
  logicalChannelsMax: 8,
  scp: { protocol: "SCP02", i: 0x15 },
  imageBytesMax: 128 * 1024,
  isdAid: hex("A000000003000000"),
  cplcChip: hex("40907020"),
  responseBytesMax: 256,
}

/** A phone's embedded SE: SCP03 i=70 (AES), twenty channels. */
export const EMBEDDED_SE: CardProfile = {
  name: "eSE",
  atr: hex("3B8F8001804F0CA0000003060300030000000068"),
  logicalChannelsMax: 20,
  scp: { protocol: "SCP03", i: 0x70 },
  imageBytesMax: 256 * 1024,
  isdAid: GP_ISD_AID,
  cplcChip: hex("47905168"),
  responseBytesMax: 256,
}

/** A profile for the twin's own SM4 secure channel (PROTOCOLS.md §1.3): an NFC-SIM speaking it. */
export const NFC_SIM_SM4: CardProfile = { ...NFC_SIM, scp: { protocol: "SM4", i: 0x70 } }

export const CARD_PROFILES: Readonly<Record<CardProfileName, CardProfile>> = {
  "NFC-SIM": NFC_SIM,
  "NFC-SD": NFC_SD,
  eSE: EMBEDDED_SE,
}
