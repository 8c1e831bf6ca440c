// Proves that every published gp_scp02 / gp_scp03 vector reproduces byte for byte through the host
// side AND the card side of the secure channels, with both Crypto implementations.
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { type CommandApdu, decodeCommand, encodeCommand } from "../../../../model/apdu/command.ts"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { unwrap } from "../../../../model/bytes/result.ts"
import { initializeScp02Card, openScp02Host } from "../../../../model/card/secure-channel/scp02.ts"
import { initializeScp03Card, openScp03Host } from "../../../../model/card/secure-channel/scp03.ts"
import type {
  CardPending,
  HostOpening,
  StaticKeys,
} from "../../../../model/card/secure-channel/secure-channel.ts"
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"

interface CommandVector {
  readonly plain_apdu_hex: string
  readonly wrapped_apdu_hex: string
  readonly response?: { wrapped_response_data_hex: string; sw_hex: string; plain_response_data_hex: string }
}

interface ScpVector {
  readonly id: string
  readonly static_enc_hex: string
  readonly static_mac_hex: string
  readonly static_dek_hex: string
  readonly i_param_hex: string
  readonly host_challenge_hex: string
  readonly initialize_update_response_hex: string
  readonly security_level_hex: string
  readonly s_enc_hex: string
  readonly s_mac_hex: string
  readonly s_rmac_hex: string
  readonly s_dek_hex?: string
  readonly card_cryptogram_hex: string
  readonly host_cryptogram_hex: string
  readonly external_authenticate_hex: string
  readonly commands: ReadonlyArray<CommandVector>
}

const vectorsDir = resolve(import.meta.dirname, "../../../vectors")
const load = (kind: string): ReadonlyArray<ScpVector> =>
  JSON.parse(readFileSync(resolve(vectorsDir, `${kind}.json`), "utf8")).vectors

const cryptos: ReadonlyArray<Crypto> = [nativeCrypto, referenceCrypto]
const keysOf = (v: ScpVector): StaticKeys => ({
  enc: hex(v.static_enc_hex),
  mac: hex(v.static_mac_hex),
  dek: hex(v.static_dek_hex),
})
const apdu = (text: string): CommandApdu => unwrap(decodeCommand(hex(text)), "vector APDU")

const checkHost = (v: ScpVector, opening: HostOpening): void => {
  expect(toHex(opening.sessionKeys.sEnc)).toBe(v.s_enc_hex)
  expect(toHex(opening.sessionKeys.sMac)).toBe(v.s_mac_hex)
  expect(toHex(opening.sessionKeys.sRmac)).toBe(v.s_rmac_hex)
  if (v.s_dek_hex !== undefined) expect(toHex(opening.sessionKeys.sDek)).toBe(v.s_dek_hex)
  expect(toHex(opening.cardCryptogram)).toBe(v.card_cryptogram_hex)
  expect(toHex(opening.hostCryptogram)).toBe(v.host_cryptogram_hex)
  expect(toHex(encodeCommand(opening.externalAuthenticate))).toBe(v.external_authenticate_hex)
  for (const c of v.commands) {
    expect(toHex(encodeCommand(opening.channel.wrap(apdu(c.plain_apdu_hex))))).toBe(c.wrapped_apdu_hex)
    if (c.response === undefined) continue
    const r = { data: hex(c.response.wrapped_response_data_hex), sw: Number.parseInt(c.response.sw_hex, 16) }
    const plain = unwrap(opening.channel.unwrap(r), `${v.id} response`)
    expect(toHex(plain.data)).toBe(c.response.plain_response_data_hex)
  }
}

const checkCard = (v: ScpVector, pending: CardPending): void => {
  expect(toHex(pending.response)).toBe(v.initialize_update_response_hex)
  const channel = unwrap(pending.externalAuthenticate(apdu(v.external_authenticate_hex)), `${v.id} EA`)
  expect(channel.level).toBe(Number.parseInt(v.security_level_hex, 16))
  for (const c of v.commands) {
    const plain = unwrap(channel.unwrap(apdu(c.wrapped_apdu_hex)), `${v.id} unwrap`)
    expect(toHex(encodeCommand(plain))).toBe(c.plain_apdu_hex)
    if (c.response === undefined) continue
    const sw = Number.parseInt(c.response.sw_hex, 16)
    const wrapped = channel.wrap({ data: hex(c.response.plain_response_data_hex), sw })
    expect(toHex(wrapped.data)).toBe(c.response.wrapped_response_data_hex)
  }
}

describe.each(cryptos)("secure channel vectors with $name crypto", (crypto) => {
  for (const v of load("gp_scp02")) {
    const iu = hex(v.initialize_update_response_hex)
    const level = Number.parseInt(v.security_level_hex, 16)
    it(`${v.id}: host side`, () => {
      checkHost(v, unwrap(openScp02Host(crypto, keysOf(v), hex(v.host_challenge_hex), iu, level), v.id))
    })
    it(`${v.id}: card side`, () => {
      const setup = {
        keys: keysOf(v),
        kvn: iu[10]!,
        kdd: iu.subarray(0, 10),
        seq: iu.subarray(12, 14),
        cardChallenge: iu.subarray(14, 20),
        hostChallenge: hex(v.host_challenge_hex),
      }
      checkCard(v, initializeScp02Card(crypto, setup))
    })
  }
  for (const v of load("gp_scp03")) {
    const iu = hex(v.initialize_update_response_hex)
    const level = Number.parseInt(v.security_level_hex, 16)
    it(`${v.id}: host side`, () => {
      checkHost(
        v,
        unwrap(openScp03Host(crypto, "AES", keysOf(v), hex(v.host_challenge_hex), iu, level), v.id),
      )
    })
    it(`${v.id}: card side`, () => {
      const setup = {
        cipher: "AES" as const,
        keys: keysOf(v),
        kvn: iu[10]!,
        kdd: iu.subarray(0, 10),
        i: iu[12]!,
        seq: iu.subarray(29, 32),
        cardChallenge: iu.subarray(13, 21),
        hostChallenge: hex(v.host_challenge_hex),
      }
      checkCard(v, initializeScp03Card(crypto, setup))
    })
  }
})
