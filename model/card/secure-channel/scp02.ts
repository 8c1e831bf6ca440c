/**
 * SCP02 (GP Card Spec 2.2 Annex E), 3DES, implementation options i = 15 and 55: C-MAC on the
 * modified APDU, ICV encryption with single DES under the left half of S-MAC, C-DECRYPTION,
 * R-MAC. Host and card sides share one MAC chain class, so both compute the same bytes.
 */
import type { CommandApdu } from "../../apdu/command.ts"
import type { ResponseApdu } from "../../apdu/response.ts"
import { concat, equalsConstantTime } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { scp02SessionKeys } from "../../crypto/kdf-scp02.ts"
import { mac9797Alg1, retailMac } from "../../crypto/mac.ts"
import { padIso9797Method2, unpadIso9797Method2 } from "../../crypto/padding.ts"
import { SECURITY_LEVEL } from "../applet.ts"
import {
  type CardChannel,
  type CardPending,
  CLA_SECURE_MESSAGING,
  type HostChannelError,
  type HostOpening,
  type SessionKeys,
  type StaticKeys,
} from "./secure-channel.ts"

const ZERO_ICV = new Uint8Array(8)
/** Levels an SCP02 EXTERNAL AUTHENTICATE may request (GP 2.2 Annex E.5.2.3 Table E-6). */
export const SCP02_LEVELS: ReadonlySet<number> = new Set([0x00, 0x01, 0x03, 0x11, 0x13])

/** Card cryptogram input = host challenge ‖ seq ‖ card challenge (Annex E.4.2.1). */
const cryptogram = (crypto: Crypto, sEnc: Uint8Array, data: Uint8Array): Uint8Array =>
  mac9797Alg1(crypto, "TDES", sEnc, data, 2)

/** The C-MAC chain; Annex E.4.4: the ICV is the previous C-MAC, DES-encrypted for i = 15/55. */
class Scp02Chain {
  private lastMac: Uint8Array | null = null
  constructor(
    private readonly crypto: Crypto,
    private readonly sMac: Uint8Array,
  ) {}

  next(header: Uint8Array, data: Uint8Array): Uint8Array {
    const icv =
      this.lastMac === null ? ZERO_ICV : this.crypto.encryptEcb("DES", this.sMac.subarray(0, 8), this.lastMac)
    const mac = retailMac(this.crypto, this.sMac, concat(header, data), 2, icv)
    this.lastMac = mac
    return mac
  }
}

/** The R-MAC chain (Annex E.4.5): retail MAC under S-RMAC, each R-MAC the next ICV. */
class Scp02ResponseChain {
  private icv: Uint8Array = ZERO_ICV
  constructor(
    private readonly crypto: Crypto,
    private readonly sRmac: Uint8Array,
  ) {}

  next(command: CommandApdu, response: ResponseApdu): Uint8Array {
    const head = Uint8Array.of(command.cla & ~0x07 & 0xff, command.ins, command.p1, command.p2)
    const lc =
      command.data.length > 0 ? concat(Uint8Array.of(command.data.length), command.data) : new Uint8Array(0)
    const tail = concat(
      Uint8Array.of(response.data.length),
      response.data,
      Uint8Array.of(response.sw >> 8, response.sw & 0xff),
    )
    this.icv = retailMac(this.crypto, this.sRmac, concat(head, lc, tail), 2, this.icv)
    return this.icv
  }
}

const header = (command: CommandApdu, lc: number): Uint8Array =>
  Uint8Array.of(command.cla | CLA_SECURE_MESSAGING, command.ins, command.p1, command.p2, lc)

const parseInitializeUpdate = (response: Uint8Array) => ({
  kdd: response.subarray(0, 10),
  kvn: response[10]!,
  scp: response[11]!,
  seq: response.subarray(12, 14),
  cardChallenge: response.subarray(14, 20),
  cardCryptogram: response.subarray(20, 28),
})

/** Host side: verifies the card cryptogram and builds EXTERNAL AUTHENTICATE (Annex E.5.2). */
export const openScp02Host = (
  crypto: Crypto,
  keys: StaticKeys,
  hostChallenge: Uint8Array,
  initializeUpdateResponse: Uint8Array,
  level: number,
): Result<HostOpening, HostChannelError> => {
  if (initializeUpdateResponse.length !== 28) return err("initialize-update-length")
  const iu = parseInitializeUpdate(initializeUpdateResponse)
  if (iu.scp !== 0x02) return err("scp-mismatch")
  const sk: SessionKeys = scp02SessionKeys(crypto, keys, iu.seq)
  const cardCryptogram = cryptogram(crypto, sk.sEnc, concat(hostChallenge, iu.seq, iu.cardChallenge))
  if (!equalsConstantTime(cardCryptogram, iu.cardCryptogram)) return err("card-cryptogram")
  const hostCryptogram = cryptogram(crypto, sk.sEnc, concat(iu.seq, iu.cardChallenge, hostChallenge))
  const chain = new Scp02Chain(crypto, sk.sMac)
  const ea: CommandApdu = { cla: 0x80, ins: 0x82, p1: level, p2: 0x00, data: hostCryptogram, le: null }
  const mac = chain.next(header(ea, 16), hostCryptogram)
  const externalAuthenticate = { ...ea, cla: 0x84, data: concat(hostCryptogram, mac) }
  const rChain = new Scp02ResponseChain(crypto, sk.sRmac)
  let lastCommand: CommandApdu = ea
  const channel = {
    protocol: "SCP02" as const,
    level,
    wrap: (command: CommandApdu): CommandApdu => {
      lastCommand = command
      if ((level & SECURITY_LEVEL.C_MAC) === 0) return command
      const mac = chain.next(header(command, command.data.length + 8), command.data)
      const encrypt = (level & SECURITY_LEVEL.C_DECRYPTION) !== 0 && command.data.length > 0
      const body = encrypt
        ? crypto.encryptCbc("TDES", sk.sEnc, ZERO_ICV, padIso9797Method2(command.data, 8))
        : command.data
      return { ...command, cla: command.cla | CLA_SECURE_MESSAGING, data: concat(body, mac) }
    },
    unwrap: (response: ResponseApdu): Result<ResponseApdu, HostChannelError> => {
      if ((level & SECURITY_LEVEL.R_MAC) === 0) return ok(response)
      if (response.data.length < 8) return err("response-length")
      const data = response.data.subarray(0, response.data.length - 8)
      const expected = rChain.next(lastCommand, { data, sw: response.sw })
      if (!equalsConstantTime(expected, response.data.subarray(data.length))) return err("response-mac")
      return ok({ data, sw: response.sw })
    },
    encryptData: (data: Uint8Array) => crypto.encryptEcb("TDES", sk.sDek, data),
  }
  return ok({ channel, externalAuthenticate, cardCryptogram, hostCryptogram, sessionKeys: sk })
}

export interface Scp02CardSetup {
  readonly keys: StaticKeys
  readonly kvn: number
  readonly kdd: Uint8Array
  /** The key set's 2-byte sequence counter for this session. */
  readonly seq: Uint8Array
  readonly cardChallenge: Uint8Array
  readonly hostChallenge: Uint8Array
}

/** Card side of INITIALIZE UPDATE: the 28-byte response and the pending authentication. */
export const initializeScp02Card = (crypto: Crypto, setup: Scp02CardSetup): CardPending => {
  const sk = scp02SessionKeys(crypto, setup.keys, setup.seq)
  const { seq, cardChallenge, hostChallenge } = setup
  const cardCryptogram = cryptogram(crypto, sk.sEnc, concat(hostChallenge, seq, cardChallenge))
  const response = concat(setup.kdd, Uint8Array.of(setup.kvn, 0x02), seq, cardChallenge, cardCryptogram)
  return {
    protocol: "SCP02",
    response,
    externalAuthenticate: (command) => {
      if (command.data.length !== 16) return err("length")
      const hostCryptogram = cryptogram(crypto, sk.sEnc, concat(seq, cardChallenge, hostChallenge))
      const chain = new Scp02Chain(crypto, sk.sMac)
      const mac = chain.next(header(command, 16), command.data.subarray(0, 8))
      const good =
        equalsConstantTime(hostCryptogram, command.data.subarray(0, 8)) &&
        equalsConstantTime(mac, command.data.subarray(8))
      return good ? ok(scp02CardChannel(crypto, sk, chain, command.p1)) : err("mac")
    },
  }
}

const scp02CardChannel = (crypto: Crypto, sk: SessionKeys, chain: Scp02Chain, level: number): CardChannel => {
  const rChain = new Scp02ResponseChain(crypto, sk.sRmac)
  let lastCommand: CommandApdu | null = null
  return {
    protocol: "SCP02",
    level,
    unwrap: (command) => {
      if ((level & SECURITY_LEVEL.C_MAC) === 0) {
        lastCommand = command
        return ok(command)
      }
      if ((command.cla & CLA_SECURE_MESSAGING) === 0) return err("mac")
      if (command.data.length < 8) return err("length")
      const body = command.data.subarray(0, command.data.length - 8)
      let plain = body
      if ((level & SECURITY_LEVEL.C_DECRYPTION) !== 0 && body.length > 0) {
        if (body.length % 8 !== 0) return err("length")
        const unpadded = unpadIso9797Method2(crypto.decryptCbc("TDES", sk.sEnc, ZERO_ICV, body))
        if (!unpadded.ok) return err("padding")
        plain = unpadded.value
      }
      if (plain.length + 8 > 255) return err("length")
      const plainCommand = { ...command, cla: command.cla & ~CLA_SECURE_MESSAGING, data: plain }
      const expected = chain.next(header(plainCommand, plain.length + 8), plain)
      if (!equalsConstantTime(expected, command.data.subarray(body.length))) return err("mac")
      lastCommand = plainCommand
      return ok(plainCommand)
    },
    wrap: (response) => {
      if ((level & SECURITY_LEVEL.R_MAC) === 0 || lastCommand === null) return response
      if (response.data.length + 8 > 256) return response
      return { data: concat(response.data, rChain.next(lastCommand, response)), sw: response.sw }
    },
    decryptData: (data) =>
      data.length % 8 === 0 ? ok(crypto.decryptEcb("TDES", sk.sDek, data)) : err("length" as const),
  }
}
