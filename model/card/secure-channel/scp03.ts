/**
 * SCP03 (GP Card Spec 2.2 Amendment D v1.1), S8 mode, written once over a 16-byte block cipher
 * so that the SM4 profile (sm4-profile.ts) is the same construction with SM4 in place of AES.
 * C-MAC with a 16-byte chaining value, C-DECRYPTION with the counter ICV, R-MAC, R-ENCRYPTION.
 */
import type { CommandApdu } from "../../apdu/command.ts"
import type { ResponseApdu } from "../../apdu/response.ts"
import { concat, equalsConstantTime } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { SECURITY_LEVEL, type SecureChannelProtocol } from "../applet.ts"
import { SCP_IDENTIFIER, type Scp03Cipher, Scp03State, scp03Session } from "./scp03-session.ts"
import {
  type CardChannel,
  type CardChannelError,
  type CardPending,
  CLA_SECURE_MESSAGING,
  type HostChannel,
  type HostChannelError,
  type HostOpening,
  isSuccessOrWarning,
  type StaticKeys,
} from "./secure-channel.ts"

export type { Scp03Cipher } from "./scp03-session.ts"

const has = (level: number, bit: number): boolean => (level & bit) !== 0

const eaCommand = (level: number, data: Uint8Array): CommandApdu => ({
  cla: 0x80,
  ins: 0x82,
  p1: level,
  p2: 0x00,
  data,
  le: null,
})

/** Host side: checks the card cryptogram and builds EXTERNAL AUTHENTICATE (Amd D §7.1). */
export const openScp03Host = (
  crypto: Crypto,
  cipher: Scp03Cipher,
  keys: StaticKeys,
  hostChallenge: Uint8Array,
  initializeUpdateResponse: Uint8Array,
  level: number,
): Result<HostOpening, HostChannelError> => {
  const iu = initializeUpdateResponse
  if (iu.length !== 29 && iu.length !== 32) return err("initialize-update-length")
  if (iu[11] !== SCP_IDENTIFIER[cipher]) return err("scp-mismatch")
  const session = scp03Session(crypto, cipher, keys, concat(hostChallenge, iu.subarray(13, 21)))
  if (!equalsConstantTime(session.cardCryptogram, iu.subarray(21, 29))) return err("card-cryptogram")
  const state = new Scp03State(crypto, cipher, session.sk)
  const mac = state.commandMac(eaCommand(level, session.hostCryptogram), session.hostCryptogram)
  const externalAuthenticate = { ...eaCommand(level, concat(session.hostCryptogram, mac)), cla: 0x84 }
  const channel = scp03HostChannel(state, level, cipher === "AES" ? "SCP03" : "SM4")
  return ok({ ...session, channel, externalAuthenticate, sessionKeys: session.sk })
}

const scp03HostChannel = (
  state: Scp03State,
  level: number,
  protocol: SecureChannelProtocol,
): HostChannel => ({
  protocol,
  level,
  wrap: (command) => {
    state.step()
    if (!has(level, SECURITY_LEVEL.C_MAC)) return command
    const encrypt = has(level, SECURITY_LEVEL.C_DECRYPTION) && command.data.length > 0
    const body = encrypt ? state.encrypt(command.data, false) : command.data
    const mac = state.commandMac(command, body)
    return { ...command, cla: command.cla | CLA_SECURE_MESSAGING, data: concat(body, mac) }
  },
  unwrap: (response: ResponseApdu): Result<ResponseApdu, HostChannelError> => {
    let data = response.data
    if (has(level, SECURITY_LEVEL.R_MAC) && (isSuccessOrWarning(response.sw) || data.length > 0)) {
      if (data.length < 8) return err("response-length")
      const mac = data.subarray(data.length - 8)
      data = data.subarray(0, data.length - 8)
      if (!equalsConstantTime(state.responseMac(data, response.sw), mac)) return err("response-mac")
    }
    if (has(level, SECURITY_LEVEL.R_ENCRYPTION) && data.length > 0) {
      const plain = state.decrypt(data, true)
      if (!plain.ok) return err(plain.error === "length" ? "response-length" : "response-padding")
      data = plain.value
    }
    return ok({ data, sw: response.sw })
  },
  encryptData: (data) => state.dataCipher(data, false),
})

export interface Scp03CardSetup {
  readonly cipher: Scp03Cipher
  readonly keys: StaticKeys
  readonly kvn: number
  readonly kdd: Uint8Array
  /** The i parameter echoed in the response (0x70 for the profiles of this twin). */
  readonly i: number
  /** The key set's 3-byte sequence counter for this session. */
  readonly seq: Uint8Array
  readonly cardChallenge: Uint8Array
  readonly hostChallenge: Uint8Array
}

/** Card side of INITIALIZE UPDATE (Amd D §7.1.1): response data and pending authentication. */
export const initializeScp03Card = (crypto: Crypto, setup: Scp03CardSetup): CardPending => {
  const context = concat(setup.hostChallenge, setup.cardChallenge)
  const session = scp03Session(crypto, setup.cipher, setup.keys, context)
  const header = Uint8Array.of(setup.kvn, SCP_IDENTIFIER[setup.cipher], setup.i)
  const response = concat(setup.kdd, header, setup.cardChallenge, session.cardCryptogram, setup.seq)
  const protocol = setup.cipher === "AES" ? "SCP03" : "SM4"
  return {
    protocol,
    response,
    externalAuthenticate: (command) => {
      if (command.data.length !== 16) return err("length")
      const state = new Scp03State(crypto, setup.cipher, session.sk)
      const mac = state.commandMac(command, command.data.subarray(0, 8))
      const good =
        equalsConstantTime(session.hostCryptogram, command.data.subarray(0, 8)) &&
        equalsConstantTime(mac, command.data.subarray(8))
      return good ? ok(scp03CardChannel(state, command.p1, protocol)) : err("mac")
    },
  }
}

const scp03CardChannel = (
  state: Scp03State,
  level: number,
  protocol: SecureChannelProtocol,
): CardChannel => ({
  protocol,
  level,
  unwrap: (command): Result<CommandApdu, CardChannelError> => {
    state.step()
    if (!has(level, SECURITY_LEVEL.C_MAC)) return ok(command)
    if ((command.cla & CLA_SECURE_MESSAGING) === 0) return err("mac")
    if (command.data.length < 8) return err("length")
    const body = command.data.subarray(0, command.data.length - 8)
    const expected = state.commandMac(command, body)
    if (!equalsConstantTime(expected, command.data.subarray(body.length))) return err("mac")
    let plain = body
    if (has(level, SECURITY_LEVEL.C_DECRYPTION) && body.length > 0) {
      const decrypted = state.decrypt(body, false)
      if (!decrypted.ok) return err(decrypted.error)
      plain = decrypted.value
    }
    return ok({ ...command, cla: command.cla & ~CLA_SECURE_MESSAGING, data: plain })
  },
  wrap: (response) => {
    let data = response.data
    if (has(level, SECURITY_LEVEL.R_ENCRYPTION) && data.length > 0) data = state.encrypt(data, true)
    if (has(level, SECURITY_LEVEL.R_MAC) && isSuccessOrWarning(response.sw)) {
      data = concat(data, state.responseMac(data, response.sw))
    }
    return { data, sw: response.sw }
  },
  decryptData: (data) => (data.length % 16 === 0 ? ok(state.dataCipher(data, true)) : err("length" as const)),
})
