/**
 * The shape every GlobalPlatform secure channel shares, on both sides of the wire (after
 * GlobalPlatformPro's SecureChannelWrapper: a channel is `wrap(command)` / `unwrap(response)`).
 *
 * - The host side wraps plain commands and unwraps (R-MAC check, R-ENC decryption) responses.
 * - The card side unwraps commands (C-MAC check, C-DECRYPTION) into the plain APDU the card
 *   manager processes, and wraps responses (R-MAC, R-ENCRYPTION).
 *
 * MAC chaining values, ICVs and counters advance on every command, whatever status word the card
 * answered (GP 2.2 Annex E.4.4; Amd D §6.2.4; the kaoh trace in vectors/gp_scp02.json). A failed
 * check on the card side closes the session (GP 2.3 §10.2.3: "the Secure Channel Session shall be
 * terminated"), so a replayed, reordered or tampered command ends it.
 */
import type { CommandApdu } from "../../apdu/command.ts"
import type { ResponseApdu } from "../../apdu/response.ts"
import type { Result } from "../../bytes/result.ts"
import type { SecureChannelProtocol } from "../applet.ts"

/** A static key set of a security domain (GP 2.3 §11.8: ENC, MAC, DEK under one KVN). */
export interface StaticKeys {
  readonly enc: Uint8Array
  readonly mac: Uint8Array
  readonly dek: Uint8Array
}

/** Why the host refused a card's answer during set-up or a response afterwards. */
export type HostChannelError =
  | "initialize-update-length"
  | "scp-mismatch"
  | "card-cryptogram"
  | "response-mac"
  | "response-length"
  | "response-padding"

/** Why the card refused a wrapped command; each maps to one status word in the card manager. */
export type CardChannelError = "mac" | "length" | "padding" | "no-session"

export interface HostChannel {
  readonly protocol: SecureChannelProtocol
  /** Security level bits (SECURITY_LEVEL in applet.ts) of the session. */
  readonly level: number
  readonly wrap: (command: CommandApdu) => CommandApdu
  /** Checks the R-MAC and decrypts R-ENC data when the level asks for them. */
  readonly unwrap: (response: ResponseApdu) => Result<ResponseApdu, HostChannelError>
  /** Encrypts sensitive data (keys, DGIs) under the data-encryption key of the session. */
  readonly encryptData: (data: Uint8Array) => Uint8Array
}

export interface CardChannel {
  readonly protocol: SecureChannelProtocol
  readonly level: number
  /**
   * Checks and removes secure messaging. A command without the secure-messaging CLA bit is refused
   * with "mac" when the level requires C-MAC, since GP forbids plain commands inside a session.
   */
  readonly unwrap: (command: CommandApdu) => Result<CommandApdu, CardChannelError>
  /** Adds R-MAC / R-ENCRYPTION for the command just unwrapped. */
  readonly wrap: (response: ResponseApdu) => ResponseApdu
  readonly decryptData: (data: Uint8Array) => Result<Uint8Array, "length">
  /**
   * SCP02 only: BEGIN / END R-MAC SESSION (GP 2.2 Annex E.5). `begin` restarts the R-MAC
   * chain and R-MACs every response from the BEGIN's own; `end` R-MACs the next response (the END's)
   * and then stops.
   */
  readonly responseMacSession?: {
    readonly begin: () => void
    readonly end: () => void
    readonly active: () => boolean
  }
}

/** The result of opening a channel on the host side: the EXTERNAL AUTHENTICATE to send. */
export interface HostOpening {
  readonly channel: HostChannel
  readonly externalAuthenticate: CommandApdu
  readonly cardCryptogram: Uint8Array
  readonly hostCryptogram: Uint8Array
  readonly sessionKeys: SessionKeys
}

export interface SessionKeys {
  readonly sEnc: Uint8Array
  readonly sMac: Uint8Array
  readonly sRmac: Uint8Array
  /** SCP02 derives a session DEK; SCP03 and the SM4 profile use the static DEK. */
  readonly sDek: Uint8Array
}

/** The card's pending state between INITIALIZE UPDATE and EXTERNAL AUTHENTICATE. */
export interface CardPending {
  readonly protocol: SecureChannelProtocol
  /** The INITIALIZE UPDATE response data (SW excluded). */
  readonly response: Uint8Array
  /** Verifies EXTERNAL AUTHENTICATE; on success the channel is open with the requested level. */
  readonly externalAuthenticate: (command: CommandApdu) => Result<CardChannel, CardChannelError>
}

/** Security level bits that a command-side MAC covers: the secure-messaging CLA bit (ISO 7816-4). */
export const CLA_SECURE_MESSAGING = 0x04

/** True for status words after which GP responses carry an R-MAC (Amd D §6.2.5: 9000, 62xx, 63xx). */
export const isSuccessOrWarning = (sw: number): boolean =>
  sw === 0x9000 || sw >> 8 === 0x62 || sw >> 8 === 0x63
