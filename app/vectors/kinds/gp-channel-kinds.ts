/**
 * Checkers for whole GlobalPlatform secure-channel sessions (vectors/README.md: gp_scp02, gp_scp03),
 * run through the same host-side channel code the twin's TSMs use to manage cards: session keys,
 * cryptograms, EXTERNAL AUTHENTICATE, then every command of the session in order (the MAC chain
 * and counters carry over from entry to entry), and every response unwrapped.
 */
import { decodeCommand, encodeCommand } from "../../../model/apdu/command.ts"
import type { Result } from "../../../model/bytes/result.ts"
import { openScp02Host } from "../../../model/card/secure-channel/scp02.ts"
import { openScp03Host } from "../../../model/card/secure-channel/scp03.ts"
import type { HostOpening } from "../../../model/card/secure-channel/secure-channel.ts"
import type { Crypto } from "../../../model/crypto/crypto.ts"
import { type KindChecker, Mismatches } from "../vector-check.ts"
import type { VectorFields } from "../vector-fields.ts"

interface SessionInputs {
  readonly keys: { readonly enc: Uint8Array; readonly mac: Uint8Array; readonly dek: Uint8Array }
  readonly hostChallenge: Uint8Array
  readonly initializeUpdateResponse: Uint8Array
  readonly level: number
}

const readInputs = (f: VectorFields): SessionInputs => ({
  keys: { enc: f.hex("static_enc_hex"), mac: f.hex("static_mac_hex"), dek: f.hex("static_dek_hex") },
  hostChallenge: f.hex("host_challenge_hex", 8),
  initializeUpdateResponse: f.hex("initialize_update_response_hex"),
  level: f.hex("security_level_hex", 1)[0] ?? 0,
})

const checkSession = (
  f: VectorFields,
  open: (inputs: SessionInputs) => Result<HostOpening, string>,
  withDek: boolean,
): ReadonlyArray<string> => {
  const m = new Mismatches()
  const inputs = readInputs(f)
  f.hex("i_param_hex", 1)
  const expected = {
    sEnc: f.hex("s_enc_hex"),
    sMac: f.hex("s_mac_hex"),
    sRmac: f.hex("s_rmac_hex"),
    sDek: withDek ? f.hex("s_dek_hex") : undefined,
    card: f.hex("card_cryptogram_hex", 8),
    host: f.hex("host_cryptogram_hex", 8),
    ea: f.hex("external_authenticate_hex"),
  }
  const commands = f.array("commands")
  if (f.problems.length > 0) return m.list
  const opened = open(inputs)
  if (!opened.ok) return [`opening the channel failed: ${opened.error}`]
  const o = opened.value
  m.bytes("s_enc_hex", expected.sEnc, o.sessionKeys.sEnc)
  m.bytes("s_mac_hex", expected.sMac, o.sessionKeys.sMac)
  m.bytes("s_rmac_hex", expected.sRmac, o.sessionKeys.sRmac)
  if (expected.sDek !== undefined) m.bytes("s_dek_hex", expected.sDek, o.sessionKeys.sDek)
  m.bytes("card_cryptogram_hex", expected.card, o.cardCryptogram)
  m.bytes("host_cryptogram_hex", expected.host, o.hostCryptogram)
  m.bytes("external_authenticate_hex", expected.ea, encodeCommand(o.externalAuthenticate))
  for (const [i, entry] of commands.entries()) checkCommand(entry, i, o, m)
  return m.list
}

const checkCommand = (entry: VectorFields, index: number, opening: HostOpening, m: Mismatches): void => {
  const plain = decodeCommand(entry.hex("plain_apdu_hex"))
  const wrapped = entry.hex("wrapped_apdu_hex")
  if (!plain.ok) {
    entry.problems.push(`commands[${index}].plain_apdu_hex: not a command APDU (${plain.error.message})`)
    return
  }
  m.bytes(`commands[${index}].wrapped_apdu_hex`, wrapped, encodeCommand(opening.channel.wrap(plain.value)))
  if (!entry.has("response")) return
  const r = entry.object("response")
  const data = r.hex("wrapped_response_data_hex")
  const sw = r.hex("sw_hex", 2)
  const expectedPlain = r.hex("plain_response_data_hex")
  if (sw.length !== 2) return
  const unwrapped = opening.channel.unwrap({ data, sw: (sw[0]! << 8) | sw[1]! })
  m.bytes(
    `commands[${index}].response.plain_response_data_hex`,
    expectedPlain,
    unwrapped.ok ? unwrapped.value.data : null,
  )
}

export const gpScp02Checker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto: Crypto) =>
    checkSession(
      f,
      (s) => openScp02Host(crypto, s.keys, s.hostChallenge, s.initializeUpdateResponse, s.level),
      true,
    ),
}

export const gpScp03Checker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto: Crypto) =>
    checkSession(
      f,
      (s) => openScp03Host(crypto, "AES", s.keys, s.hostChallenge, s.initializeUpdateResponse, s.level),
      false,
    ),
}
