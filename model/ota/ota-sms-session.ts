/**
 * One OTA session over SMS-PP, bytes end to end, for `tsm-twin card-demo --bearer sms-pp`: the
 * telco's OTA platform sends GP scripts to an NFC-SIM's ISD (TAR 000000) as secured command packets
 * (3DES, CC, ciphered, counter "higher"; PoR with CC, ciphered), each inside an SMS-DELIVER inside
 * an ENVELOPE (SMS-PP DOWNLOAD); the UICC's OTA layer answers each with a PoR. The last packet is a
 * replay of the first, which the SIM refuses with PoR status 02. Every ENVELOPE and its answer is
 * an exchange for the GSMTAP-SIM trace.
 */
import { type CommandApdu, command, encodeCommand } from "../apdu/command.ts"
import type { ApduExchange } from "../apdu/pcap-file.ts"
import { concat } from "../bytes/bytes.ts"
import { hex } from "../bytes/hex.ts"
import { createCard, issueCardImage } from "../card/card.ts"
import { NFC_SIM } from "../card/profile.ts"
import type { Crypto } from "../crypto/crypto.ts"
import { OtaPlatform } from "./ota-platform.ts"
import { decodeSpi, type PorStatus } from "./ota-security.ts"
import type { OtaKeys } from "./secured-packet.ts"
import { SimOtaLayer } from "./sim-ota-layer.ts"
import { commandPacketOf, envelopeSmsPpDownload, smsDeliverTpdu } from "./sms-pp.ts"

export interface OtaSmsStep {
  readonly title: string
  readonly expectedStatus: PorStatus
  readonly porStatus: PorStatus | null
  readonly sws: ReadonlyArray<number>
  readonly commandPacketBytes: number
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

/** Key bytes from the seed: a demo needs reproducible keys, not secret ones. */
const seeded = (seed: number, salt: number): Uint8Array =>
  Uint8Array.from({ length: 16 }, (_, i) => (seed * 131 + salt * 17 + i * 29) & 0xff)

const swOf = (r: Uint8Array): number => (r[r.length - 2]! << 8) | r[r.length - 1]!

export const runOtaSmsSession = (crypto: Crypto, seed: number): OtaSmsSession => {
  const profile = NFC_SIM
  const isdKeys = { kvn: 0x20, enc: seeded(seed, 1), mac: seeded(seed, 2), dek: seeded(seed, 3) }
  let n = seed >>> 0
  const entropy = (length: number) =>
    Uint8Array.from({ length }, () => {
      n = (Math.imul(n, 1103515245) + 12345) >>> 0
      return n >>> 24
    })
  const card = createCard({
    profile,
    image: issueCardImage(profile, { serial: hex("0A0B0C0D"), isdKeys }),
    crypto,
    entropy,
    appletClasses: [],
  })
  card.reset()
  const keys: OtaKeys = { algorithm: "3DES", index: 1, kic: seeded(seed, 4), kid: seeded(seed, 5) }
  const sim = new SimOtaLayer(crypto, [keys], [{ tar: ISD_TAR, transmit: card.transmit }])
  const uicc = (apdu: Uint8Array): Uint8Array => {
    const packet = commandPacketOf(apdu)
    if (!packet.ok) return card.transmit(apdu)
    return concat(sim.receive(packet.value) ?? new Uint8Array(0), Uint8Array.of(0x90, 0x00))
  }
  const platform = new OtaPlatform(crypto, keys, decodeSpi(0x16, 0x19))
  const scripts: ReadonlyArray<{ title: string; apdus: CommandApdu[] }> = [
    {
      title: "SELECT ISD, GET DATA CPLC",
      apdus: [
        command(0x00, 0xa4, 0x04, 0x00, profile.isdAid, 256),
        command(0x80, 0xca, 0x9f, 0x7f, undefined, 256),
      ],
    },
    { title: "GET DATA card recognition data", apdus: [command(0x80, 0xca, 0x00, 0x66, undefined, 256)] },
  ]
  const packets = scripts.map((s) => ({
    title: s.title,
    packet: platform.command(ISD_TAR, s.apdus.map(encodeCommand)),
    expectedStatus: 0 as PorStatus,
  }))
  const sends = [
    ...packets,
    { ...packets[0]!, title: `replay of "${packets[0]!.title}"`, expectedStatus: 2 as PorStatus },
  ]
  const exchanges: ApduExchange[] = []
  const steps = sends.map((send, i) => {
    const tpdu = smsDeliverTpdu({
      originator: PLATFORM_SHORT_CODE,
      timestamp: TIMESTAMP,
      commandPacket: send.packet,
    })
    if (!tpdu.ok) throw new RangeError("a demo script outgrew one SMS")
    const envelope = envelopeSmsPpDownload(SMSC, tpdu.value)
    const response = uicc(envelope)
    exchanges.push({ atUs: i * SMS_INTERVAL_US, command: envelope, response })
    const por = platform.por(response.subarray(0, response.length - 2))
    return {
      title: send.title,
      expectedStatus: send.expectedStatus,
      porStatus: por.ok ? por.value.status : null,
      sws: por.ok ? por.value.responses.map(swOf) : [],
      commandPacketBytes: send.packet.length,
    }
  })
  return { steps, exchanges, ok: steps.every((s) => s.porStatus === s.expectedStatus) }
}
