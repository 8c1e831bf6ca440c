/**
 * SCP02 (GP Card Spec 2.2 Annex E), 3DES, implementation options i = 15 and 55: C-MAC on the
 * modified APDU, ICV encryption with single DES under the left half of S-MAC, C-DECRYPTION,
 * R-MAC (from EXTERNAL AUTHENTICATE level 11/13, or inside BEGIN / END R-MAC SESSION, Annex E.5), and for i = 55 the pseudo-random card challenge. Host and card sides share one MAC
 * chain class, so both compute the same bytes.
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

/**
 * The i-parameter bit of the "well-known pseudo-random algorithm" for the card challenge (i = 55 has
 * it, i = 15 has not; GP 2.2 Annex E.1.1).
 */
export const SCP02_I_PSEUDO_RANDOM = 0x40

/**
 * Pseudo-random card challenge (GP 2.2 Annex E.4.2.1 with i bit 40): the first 6 bytes of a C-MAC
 * (retail MAC, ICV zero, padding method 2) over the AID of the security domain, under the S-MAC
 * session key derived with the sequence counter of this session. Since the counter advances at
 * every INITIALIZE UPDATE, no two sessions share a challenge, and an off-card entity that knows the
 * keys can predict it (what lets a TSM pre-compute a script for a card it cannot talk to live, as
 * an OTA platform does).
 */
export const scp02CardChallenge = (
  crypto: Crypto,
  keys: StaticKeys,
  seq: Uint8Array,
  aid: Uint8Array,
): Uint8Array => retailMac(crypto, scp02SessionKeys(crypto, keys, seq).sMac, aid, 2, ZERO_ICV).slice(0, 6)

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

/**
 * The R-MAC chain (Annex E.4.5): retail MAC under S-RMAC over the command (CLA with the channel and
 * secure-messaging bits cleared, INS, P1, P2, Lc, data) ‖ Lr ‖ response data ‖ SW1 SW2, each
 * R-MAC the next ICV. The first ICV is zero (as GlobalPlatformPro's SCP02Wrapper computes it; no
 * public trace settles it, PROTOCOLS.md §1.1), also at the start of a BEGIN R-MAC SESSION.
 */
export class Scp02ResponseChain {
  private icv: Uint8Array = ZERO_ICV
  constructor(
    private readonly crypto: Crypto,
    private readonly sRmac: Uint8Array,
  ) {}

  next(command: CommandApdu, response: ResponseApdu): Uint8Array {
    const head = Uint8Array.of(command.cla & ~0x07 & 0xff, command.ins, command.p1, command.p2)
    // Lc is always there, 00 for a command without data (GlobalPlatformPro's SCP02Wrapper writes
    // getNc() unconditionally; skythen/scp02 says so for case 1 and 2 commands).
    const lc = concat(Uint8Array.of(command.data.length), command.data)
    const tail = concat(
      Uint8Array.of(response.data.length),
      response.data,
      Uint8Array.of(response.sw >> 8, response.sw & 0xff),
    )
    this.icv = retailMac(this.crypto, this.sRmac, concat(head, lc, tail), 2, this.icv)
    return this.icv
  }

  restart(): void {
    this.icv = ZERO_ICV
  }
}

/** BEGIN R-MAC SESSION (GP 2.2 Annex E.5): CLA 80, INS 7A, P1 10 = R-MAC, data = LV of host data. */
export const INS_BEGIN_RMAC_SESSION = 0x7a
/** END R-MAC SESSION (Annex E.5): INS 78, P2 01 = return the R-MAC, 03 = return it and end. */
export const INS_END_RMAC_SESSION = 0x78

/** Whether a plain command begins (true), ends (false) or leaves (null) the R-MAC session. */
const rmacSessionEffect = (command: CommandApdu): boolean | null => {
  if ((command.cla & 0x80) === 0) return null
  if (command.ins === INS_BEGIN_RMAC_SESSION && command.p1 === 0x10) return true
  if (command.ins === INS_END_RMAC_SESSION && command.p2 === 0x03) return false
  return null
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
  let rmacOn = (level & SECURITY_LEVEL.R_MAC) !== 0
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
      // A BEGIN R-MAC SESSION the card accepted answers with the first R-MAC of the new session;
      // an END R-MAC SESSION (P2 03) answers with the last one and ends it (Annex E.5).
      const effect = response.sw === 0x9000 ? rmacSessionEffect(lastCommand) : null
      if (effect === true) {
        rChain.restart()
        rmacOn = true
      }
      if (!rmacOn) return ok(response)
      if (effect === false) rmacOn = false
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
  let rmacOn = (level & SECURITY_LEVEL.R_MAC) !== 0
  let endAfterResponse = false
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
      if (!rmacOn || lastCommand === null || response.data.length + 8 > 256) return response
      const wrapped = { data: concat(response.data, rChain.next(lastCommand, response)), sw: response.sw }
      if (endAfterResponse) rmacOn = false
      endAfterResponse = false
      return wrapped
    },
    decryptData: (data) =>
      data.length % 8 === 0 ? ok(crypto.decryptEcb("TDES", sk.sDek, data)) : err("length" as const),
    responseMacSession: {
      begin: () => {
        rChain.restart()
        rmacOn = true
      },
      end: () => {
        endAfterResponse = true
      },
      active: () => rmacOn,
    },
  }
}
