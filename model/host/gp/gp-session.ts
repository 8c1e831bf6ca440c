/**
 * The GP host's secure channel session over a card's `transmit` (GP 2.3 §7.3 / Annex E / Amd D):
 * INITIALIZE UPDATE → verify the card cryptogram → EXTERNAL AUTHENTICATE, then every command
 * wrapped and every response unwrapped. Commands are built with channel-0 CLAs (80/00); the
 * session sets the logical channel bits after wrapping, as the card removes them before checking.
 */
import { type CommandApdu, command, encodeCommand } from "../../apdu/command.ts"
import { decodeResponse, type ResponseApdu } from "../../apdu/response.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import type { SecureChannelProtocol } from "../../card/applet.ts"
import { claForChannel } from "../../card/runtime/cla.ts"
import { openScp02Host } from "../../card/secure-channel/scp02.ts"
import { openScp03Host } from "../../card/secure-channel/scp03.ts"
import type { HostChannel, HostChannelError, StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import { openSm4Host } from "../../card/secure-channel/sm4-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"

export type Transmit = (command: Uint8Array) => Uint8Array

export type GpHostError =
  | { readonly kind: "status"; readonly sw: number; readonly step: string }
  | { readonly kind: "channel"; readonly error: HostChannelError }
  | { readonly kind: "malformed-response" }

export interface OpenOptions {
  readonly protocol: SecureChannelProtocol
  readonly keys: StaticKeys
  /** Key version number asked for in INITIALIZE UPDATE P1 (0 = the card's first key set). */
  readonly kvn: number
  readonly level: number
  /** 8 bytes from the caller's seeded stream. */
  readonly hostChallenge: Uint8Array
  readonly channel?: number
  /**
   * Sees every command in plaintext just before the secure channel wraps it (C-MAC, C-DECRYPTION),
   * so a trace can show what was sent inside the channel. It only observes: the bytes on the wire
   * and everything the session does are the same with or without it.
   */
  readonly observePlain?: (plain: CommandApdu) => void
}

export interface GpSession {
  readonly channel: HostChannel
  /** Wraps, sends, unwraps. Error status words are values in the response, not failures. */
  readonly send: (plain: CommandApdu) => Result<ResponseApdu, GpHostError>
}

const exchange = (transmit: Transmit, c: CommandApdu): Result<ResponseApdu, GpHostError> => {
  const r = decodeResponse(transmit(encodeCommand(c)))
  return r.ok ? ok(r.value) : err({ kind: "malformed-response" })
}

const onChannel = (c: CommandApdu, channel: number): CommandApdu => ({
  ...c,
  cla: claForChannel(c.cla, channel),
})

export const openSession = (
  crypto: Crypto,
  transmit: Transmit,
  options: OpenOptions,
): Result<GpSession, GpHostError> => {
  const lc = options.channel ?? 0
  const iu = exchange(
    transmit,
    onChannel(command(0x80, 0x50, options.kvn, 0x00, options.hostChallenge, 256), lc),
  )
  if (!iu.ok) return iu
  if (iu.value.sw !== 0x9000) return err({ kind: "status", sw: iu.value.sw, step: "INITIALIZE UPDATE" })
  const open =
    options.protocol === "SCP02"
      ? openScp02Host(crypto, options.keys, options.hostChallenge, iu.value.data, options.level)
      : options.protocol === "SCP03"
        ? openScp03Host(crypto, "AES", options.keys, options.hostChallenge, iu.value.data, options.level)
        : openSm4Host(crypto, options.keys, options.hostChallenge, iu.value.data, options.level)
  if (!open.ok) return err({ kind: "channel", error: open.error })
  const ea = exchange(transmit, onChannel(open.value.externalAuthenticate, lc))
  if (!ea.ok) return ea
  if (ea.value.sw !== 0x9000) return err({ kind: "status", sw: ea.value.sw, step: "EXTERNAL AUTHENTICATE" })
  const channel = open.value.channel
  return ok({
    channel,
    send: (plain) => {
      options.observePlain?.(plain)
      const r = exchange(transmit, onChannel(channel.wrap(plain), lc))
      if (!r.ok) return r
      const unwrapped = channel.unwrap(r.value)
      return unwrapped.ok ? ok(unwrapped.value) : err({ kind: "channel", error: unwrapped.error })
    },
  })
}
