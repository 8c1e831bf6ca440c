/**
 * The applet API of the twin's card runtime: what an on-card application (the PBOC payment applet,
 * a test applet, ...) implements, and what the runtime hands it for each command.
 *
 * This plays the role of Java Card's `javacard.framework.Applet` plus the few GP API calls a
 * payment applet needs (`GPSystem.getSecureChannel()`), shaped for the twin:
 * - an applet *class* is a stateless object; all state lives in the context;
 * - persistent state is one byte string per instance (`ctx.state`), part of the card's compact
 *   byte image (DESIGN.md §4 "Cards are bytes"). Changes made while processing one command are
 *   committed atomically when the command returns (one transaction per APDU, so power loss leaves
 *   the before- or the after-state); an applet that wants its changes dropped returns
 *   `discard: true`;
 * - session (transient, RAM) state is an object the class creates on SELECT, one per logical
 *   channel, dropped on deselect, channel close and reset;
 * - randomness comes only from `ctx.entropy`, which the card's owner derives from a seeded stream.
 *
 * Load files are modelled, not interpreted (no Java Card bytecode): a LOAD file's C4 block names
 * the applet classes it provides by `AppletClass.name` (see runtime/load-file.ts), and INSTALL
 * [for install] creates an instance of the class whose `moduleAid` it names.
 *
 * This file is a stable contract: other helpers code against it.
 */
import type { CommandApdu } from "../apdu/command.ts"
import type { Result } from "../bytes/result.ts"
import type { Crypto } from "../crypto/crypto.ts"

/** What an applet answers to one command: response data and the status word (e.g. 0x9000). */
export interface AppletResponse {
  readonly data: Uint8Array
  readonly sw: number
  /** True drops the changes this command made to `ctx.state` (the transaction aborts). */
  readonly discard?: boolean
}

/**
 * Security level bits of a secure channel session, as GP Card Spec 2.3 §10.6 (SecureChannel
 * interface, getSecurityLevel) and Amd D §5.1 define them.
 */
export const SECURITY_LEVEL = {
  NONE: 0x00,
  C_MAC: 0x01,
  C_DECRYPTION: 0x02,
  R_MAC: 0x10,
  R_ENCRYPTION: 0x20,
  AUTHENTICATED: 0x80,
} as const

export type SecureChannelProtocol = "SCP02" | "SCP03" | "SM4"

/** Why the security domain could not decrypt sensitive data for an applet. */
export type DecryptError = "no-session" | "length"

/**
 * The view an applet gets of its associated security domain's secure channel on the current
 * logical channel (GP 2.3 §10.6 SecureChannel: getSecurityLevel, decryptData).
 */
export interface SecureChannelView {
  /** The SCP of the open session, or null when no session is open on this channel. */
  readonly protocol: SecureChannelProtocol | null
  /** OR of SECURITY_LEVEL bits; AUTHENTICATED is set once EXTERNAL AUTHENTICATE succeeded. */
  readonly securityLevel: number
  /**
   * Decrypts sensitive data (e.g. an encrypted DGI during personalization) with the session's
   * data-encryption key: SCP02 3DES-ECB under S-DEK, SCP03 AES-CBC (zero ICV) under the static DEK, the SM4
   * profile SM4-CBC (zero ICV) under the static DEK (GP 2.2 Annex E.4.7, Amd D §6.2.5 "key data encryption").
   * The input must be whole cipher blocks; no padding is removed.
   */
  readonly decryptData: (data: Uint8Array) => Result<Uint8Array, DecryptError>
}

/** The block of a STORE DATA command forwarded by the security domain to the applet. */
export interface StoreDataBlock {
  /** P1 of STORE DATA: b8 last block, b7-b6 encryption, b5-b4 structure (GP 2.3 §11.11.2.1). */
  readonly p1: number
  /** P2: the block number, 00..FF. */
  readonly p2: number
  /** The data field after secure messaging was removed (still DGI-encrypted if P1 says so). */
  readonly data: Uint8Array
}

/** Everything the runtime gives an applet for one command. */
export interface AppletContext<S> {
  /** The instance AID. */
  readonly aid: Uint8Array
  /** The logical channel (0..19) the command arrived on. */
  readonly channel: number
  /** Application life-cycle byte (GP 2.3 §5.3.1, e.g. 0x07 SELECTABLE, 0x0F personalized). */
  readonly lifeCycle: number
  readonly crypto: Crypto
  /** Deterministic entropy: `lengthBytes` fresh bytes from the card owner's seeded stream. */
  readonly entropy: (lengthBytes: number) => Uint8Array
  /** Transient state of this selection (created by `newSession` on SELECT). */
  readonly session: S
  /** The instance's persistent bytes; mutate in place, or replace with `setState`. */
  readonly state: Uint8Array
  /** Replaces the persistent bytes (to grow or shrink them), bounded by `stateBytesMax`. */
  readonly setState: (next: Uint8Array) => void
  /** Moves the instance's own life cycle to an application-specific state (GP 2.3 §11.1.1). */
  readonly setLifeCycle: (next: number) => void
  readonly secureChannel: SecureChannelView
}

/** The context of INSTALL [for install]: no session exists yet. */
export interface InstallContext {
  readonly aid: Uint8Array
  readonly crypto: Crypto
  readonly entropy: (lengthBytes: number) => Uint8Array
}

/**
 * An applet class: the code a load file provides. Methods use method syntax on purpose: it
 * makes `AppletClass<MySession>` assignable to `AppletClass` (bivariant parameters), so a card's
 * class list can hold applets with different session types.
 * Status words are numbers (0x9000); the runtime
 * turns them into response bytes in its one dispatch place.
 */
export interface AppletClass<S = unknown> {
  /** The name a load file's C4 block uses to say it provides this class (twin convention). */
  readonly name: string
  /** The executable module AID named in INSTALL [for install]. */
  readonly moduleAid: Uint8Array
  /** Upper bound of `ctx.state` bytes per instance (asserted by the runtime). */
  readonly stateBytesMax: number
  /**
   * Creates an instance: returns its initial persistent bytes, or a status word refusing the
   * install parameters (`C9` content of INSTALL, GP 2.3 §11.5.2.3.7).
   */
  install(ctx: InstallContext, installParams: Uint8Array): Result<Uint8Array, number>
  /** Creates the transient state of a new selection. */
  newSession(): S
  /** SELECT of this instance (by AID); the response is the FCI. */
  select(ctx: AppletContext<S>, command: CommandApdu): AppletResponse
  /** Any other command while the instance is selected on the channel. */
  process(ctx: AppletContext<S>, command: CommandApdu): AppletResponse
  /**
   * STORE DATA forwarded by the associated security domain after INSTALL [for personalization]
   * (GP 2.3 §11.5.2.3.4), secure messaging already removed and checked by the domain.
   */
  personalize(ctx: AppletContext<S>, block: StoreDataBlock): AppletResponse
}
