/**
 * A GP secure-channel session split into the two round trips a remote manager needs when APDUs
 * travel in batches (GP SERAM's SE RAM commands; an OTA bearer's script): round 1 selects the
 * security domain and sends INITIALIZE UPDATE; round 2 carries EXTERNAL AUTHENTICATE and every
 * wrapped command, because with C-MAC (and no R-MAC) the host can wrap the whole script without
 * seeing the card's answers (GP 2.3 §7.3 and Annex E; SERAM "Command Exchange" carries lists of
 * C-APDUs). `model/host/gp/gp-session.ts` does the same over a synchronous transmit; this file is
 * its batched twin and picks the same protocol openers.
 */
import { type CommandApdu, command, encodeCommand } from "../../apdu/command.ts"
import { decodeResponse } from "../../apdu/response.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import type { SecureChannelProtocol } from "../../card/applet.ts"
import { openScp02Host } from "../../card/secure-channel/scp02.ts"
import { openScp03Host } from "../../card/secure-channel/scp03.ts"
import type { HostChannel, StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import { openSm4Host } from "../../card/secure-channel/sm4-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { selectCommand } from "../../host/terminal/card-dialogue.ts"

/** C-MAC and C-DECRYPTION (GP 2.3 §10.6): every command authenticated, key data encrypted. */
export const LEVEL_MAC_ENC = 0x03

export interface DomainAccess {
  readonly protocol: SecureChannelProtocol
  readonly aid: Uint8Array
  readonly kvn: number
  readonly keys: StaticKeys
}

/** Round 1: SELECT the domain, INITIALIZE UPDATE with the host challenge (8 seeded bytes). */
export const openingRound = (access: DomainAccess, hostChallenge: Uint8Array): Uint8Array[] => [
  encodeCommand(selectCommand(access.aid)),
  encodeCommand(command(0x80, 0x50, access.kvn, 0x00, hostChallenge, 256)),
]

export type ScriptFailure =
  | { readonly kind: "status"; readonly index: number; readonly sw: number }
  | { readonly kind: "missing"; readonly index: number }
  | { readonly kind: "channel"; readonly reason: string }

const swOf = (rapdu: Uint8Array | undefined): number =>
  rapdu === undefined || rapdu.length < 2 ? -1 : (rapdu[rapdu.length - 2]! << 8) | rapdu[rapdu.length - 1]!

/**
 * Round 2 from round 1's answers: EXTERNAL AUTHENTICATE, then `script(channel)` wrapped (the
 * script may use the channel's DEK cipher for PUT KEY and DGI 8000).
 */
export const commandRound = (
  crypto: Crypto,
  access: DomainAccess,
  hostChallenge: Uint8Array,
  opening: ReadonlyArray<Uint8Array>,
  script: (channel: HostChannel) => ReadonlyArray<CommandApdu>,
): Result<Uint8Array[], ScriptFailure> => {
  for (const i of [0, 1]) {
    const sw = swOf(opening[i])
    if (sw === -1) return err({ kind: "missing", index: i })
    if (sw !== 0x9000) return err({ kind: "status", index: i, sw })
  }
  const iu = decodeResponse(opening[1]!)
  if (!iu.ok) return err({ kind: "channel", reason: "malformed INITIALIZE UPDATE response" })
  const open =
    access.protocol === "SCP02"
      ? openScp02Host(crypto, access.keys, hostChallenge, iu.value.data, LEVEL_MAC_ENC)
      : access.protocol === "SCP03"
        ? openScp03Host(crypto, "AES", access.keys, hostChallenge, iu.value.data, LEVEL_MAC_ENC)
        : openSm4Host(crypto, access.keys, hostChallenge, iu.value.data, LEVEL_MAC_ENC)
  if (!open.ok) return err({ kind: "channel", reason: open.error })
  const channel = open.value.channel
  return ok([
    encodeCommand(open.value.externalAuthenticate),
    ...script(channel).map((c) => encodeCommand(channel.wrap(c))),
  ])
}

/**
 * Checks round 2's answers: every response present and 9000, except where `tolerated` names
 * other status words for an index (a DELETE that finds nothing, 6A88, keeps a retry idempotent).
 */
export const checkRound = (
  sent: number,
  answers: ReadonlyArray<Uint8Array>,
  tolerated: ReadonlyMap<number, ReadonlyArray<number>> = new Map(),
): Result<void, ScriptFailure> => {
  for (let i = 0; i < sent; i++) {
    const sw = swOf(answers[i])
    if (sw === -1) return err({ kind: "missing", index: i })
    if (sw !== 0x9000 && !(tolerated.get(i) ?? []).includes(sw)) return err({ kind: "status", index: i, sw })
  }
  return ok(undefined)
}

export const describeFailure = (f: ScriptFailure): string =>
  f.kind === "status"
    ? `APDU ${f.index} answered ${f.sw.toString(16).toUpperCase().padStart(4, "0")}`
    : f.kind === "missing"
      ? `no answer for APDU ${f.index}`
      : `secure channel: ${f.reason}`
