/**
 * One OTA session over SMS-PP, bytes end to end, for `tsm-twin card-demo --bearer sms-pp`: the
 * telco's OTA platform sends GP scripts to an NFC-SIM's ISD (TAR 000000) as secured command packets
 * (3DES, CC, ciphered, counter "higher"; PoR with CC, ciphered), each inside one SMS-DELIVER — or,
 * when longer than one SMS, inside concatenated SMS-DELIVERs (sms-concatenation.ts) — each in an
 * ENVELOPE (SMS-PP DOWNLOAD); the UICC's OTA layer reassembles, answers 9000 to the segments
 * before the last and a PoR to the whole packet. The scripts: GET DATA, then a GP secure channel
 * carried inside the OTA packets (SELECT and INITIALIZE UPDATE; then EXTERNAL AUTHENTICATE,
 * INSTALL [for load] and the LOAD blocks of a CAP load file, which takes several SMS), then a
 * replay of the first packet, which the SIM refuses with PoR status 02. Every ENVELOPE and its
 * answer is an exchange for the GSMTAP-SIM trace.
 */
import { command, encodeCommand } from "../apdu/command.ts"
import type { ApduExchange } from "../apdu/pcap-file.ts"
import { concat } from "../bytes/bytes.ts"
import { hex } from "../bytes/hex.ts"
import { PBOC_APPLET } from "../card/applets/pboc/pboc-applet.ts"
import { PPSE_APPLET } from "../card/applets/pboc/ppse-applet.ts"
import { loadFileBlock } from "../card/applets/security-domain/sd-load.ts"
import { createCard, issueCardImage } from "../card/card.ts"
import { NFC_SIM } from "../card/profile.ts"
import type { Crypto } from "../crypto/crypto.ts"
import { loadFileHash } from "../host/gp/dap.ts"
import { installForLoad, loadBlocks } from "../host/gp/gp-commands.ts"
import { commandRound, type DomainAccess, openingRound } from "../parties/ota/domain-script.ts"
import { OtaPlatform } from "./ota-platform.ts"
import { decodeSpi, type PorStatus } from "./ota-security.ts"
import type { OtaKeys } from "./secured-packet.ts"
import { SimOtaLayer } from "./sim-ota-layer.ts"
import { SmsReassembly, segmentCommandPacket } from "./sms-concatenation.ts"
import { envelopeSmsPpDownload, smsDeliverTpdu, userDataOf } from "./sms-pp.ts"

export interface OtaSmsStep {
  readonly title: string
  readonly expectedStatus: PorStatus
  readonly porStatus: PorStatus | null
  readonly sws: ReadonlyArray<number>
  readonly commandPacketBytes: number
  /** SMS-DELIVERs (ENVELOPEs) the packet took: 1, or its concatenated segments. */
  readonly smsCount: number
}

export interface OtaSmsSession {
  readonly steps: ReadonlyArray<OtaSmsStep>
  readonly exchanges: ReadonlyArray<ApduExchange>
  readonly ok: boolean
}

const ISD_TAR = hex("000000")
const PLATFORM_SHORT_CODE = "10658000"
const SMSC = "8613800851500"
/** TP-SCTS 2015-07-01 10:00:00 +08:00 as semi-octets (TS 23.040 §9.2.3.11). */
const TIMESTAMP = hex("51701001000023")
const SMS_INTERVAL_US = 2_000_000
const PBOC_PACKAGE_AID = hex("A0000003330101")

/** Key bytes from the seed: a demo needs reproducible keys, not secret ones. */
const seeded = (seed: number, salt: number): Uint8Array =>
  Uint8Array.from({ length: 16 }, (_, i) => (seed * 131 + salt * 17 + i * 29) & 0xff)

const swOf = (r: Uint8Array): number => (r[r.length - 2]! << 8) | r[r.length - 1]!

/** The UICC: ENVELOPE SMS-PP DOWNLOADs go through reassembly to the OTA layer, the rest to the card. */
const uiccOf = (crypto: Crypto, seed: number, keys: OtaKeys, isdKeys: DomainAccess["keys"]) => {
  let n = seed >>> 0
  const entropy = (length: number) =>
    Uint8Array.from({ length }, () => {
      n = (Math.imul(n, 1103515245) + 12345) >>> 0
      return n >>> 24
    })
  const card = createCard({
    profile: NFC_SIM,
    image: issueCardImage(NFC_SIM, { serial: hex("0A0B0C0D"), isdKeys: { kvn: 0x20, ...isdKeys } }),
    crypto,
    entropy,
    appletClasses: [PBOC_APPLET, PPSE_APPLET],
  })
  card.reset()
  const sim = new SimOtaLayer(crypto, [keys], [{ tar: ISD_TAR, transmit: card.transmit }])
  const reassembly = new SmsReassembly()
  return (apdu: Uint8Array): Uint8Array => {
    const userData = userDataOf(apdu)
    if (!userData.ok) return card.transmit(apdu)
    const packet = reassembly.accept(userData.value)
    if (!packet.ok) return Uint8Array.of(0x6f, 0x00)
    const por = packet.value === null ? null : sim.receive(packet.value)
    return concat(por ?? new Uint8Array(0), Uint8Array.of(0x90, 0x00))
  }
}

export const runOtaSmsSession = (crypto: Crypto, seed: number): OtaSmsSession => {
  const isdKeys = { enc: seeded(seed, 1), mac: seeded(seed, 2), dek: seeded(seed, 3) }
  const keys: OtaKeys = { algorithm: "3DES", index: 1, kic: seeded(seed, 4), kid: seeded(seed, 5) }
  const uicc = uiccOf(crypto, seed, keys, isdKeys)
  const platform = new OtaPlatform(crypto, keys, decodeSpi(0x16, 0x19))
  const exchanges: ApduExchange[] = []
  let reference = seed & 0xff
  const send = (title: string, packet: Uint8Array, expectedStatus: PorStatus) => {
    const segments = segmentCommandPacket(packet, reference++)
    if (!segments.ok) throw new RangeError("a demo script outgrew 255 SMS")
    let response: Uint8Array = new Uint8Array(0)
    segments.value.forEach((userData, i) => {
      const moreMessages = i < segments.value.length - 1
      const tpdu = smsDeliverTpdu({
        originator: PLATFORM_SHORT_CODE,
        timestamp: TIMESTAMP,
        userData,
        moreMessages,
      })
      if (!tpdu.ok) throw new RangeError("a segment outgrew one SMS")
      const envelope = envelopeSmsPpDownload(SMSC, tpdu.value)
      response = uicc(envelope)
      exchanges.push({ atUs: exchanges.length * SMS_INTERVAL_US, command: envelope, response })
    })
    const por = platform.por(response.subarray(0, response.length - 2))
    const step: OtaSmsStep = {
      title,
      expectedStatus,
      porStatus: por.ok ? por.value.status : null,
      sws: por.ok ? por.value.responses.map(swOf) : [],
      commandPacketBytes: packet.length,
      smsCount: segments.value.length,
    }
    return { step, responses: por.ok ? por.value.responses : [] }
  }
  const getData = platform.command(ISD_TAR, [
    encodeCommand(command(0x00, 0xa4, 0x04, 0x00, NFC_SIM.isdAid, 256)),
    encodeCommand(command(0x80, 0xca, 0x9f, 0x7f, undefined, 256)),
  ])
  const first = send("SELECT ISD, GET DATA CPLC", getData, 0 as PorStatus)
  const access: DomainAccess = { protocol: "SCP02", aid: NFC_SIM.isdAid, kvn: 0x20, keys: isdKeys }
  const hostChallenge = seeded(seed, 6).subarray(0, 8)
  const opening = send(
    "SELECT ISD, INITIALIZE UPDATE",
    platform.command(ISD_TAR, openingRound(access, hostChallenge)),
    0 as PorStatus,
  )
  const c4 = loadFileBlock([PBOC_APPLET.name, PPSE_APPLET.name], PBOC_PACKAGE_AID)
  const hash = loadFileHash(crypto, c4)
  if (!hash.ok) throw new RangeError("loadFileBlock built no C4 block")
  const round2 = commandRound(crypto, access, hostChallenge, opening.responses, () => [
    installForLoad(PBOC_PACKAGE_AID, new Uint8Array(0), hash.value),
    ...loadBlocks(c4),
  ])
  if (!round2.ok) throw new RangeError("the demo card refused its own secure channel")
  const load = send(
    "EXTERNAL AUTHENTICATE, INSTALL [for load], LOAD CAP",
    platform.command(ISD_TAR, round2.value),
    0 as PorStatus,
  )
  const replay = send(`replay of "${first.step.title}"`, getData, 2 as PorStatus)
  const steps = [first.step, opening.step, load.step, replay.step]
  const ok =
    steps.every((s) => s.porStatus === s.expectedStatus) && load.step.sws.every((sw) => sw === 0x9000)
  return { steps, exchanges, ok }
}
