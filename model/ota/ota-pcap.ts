/**
 * OTA traffic as a pcap that tshark decodes, one framing per bearer in one Ethernet capture
 * (link type 1), from the frames `planOtaDelivery` returns (ota-delivery.ts `OtaFrame`):
 * - SMS-PP: each SMS's user data in an SMS-DELIVER TPDU inside an ENVELOPE (SMS-PP DOWNLOAD), as
 *   the phone hands it to the UICC, in GSMTAP-SIM (pcap-gsmtap-sim.ts): Wireshark's gsm_sim,
 *   etsi_cat and gsm_sms dissectors read the ENVELOPE, the TPDU and its UDH (IEI 70, and 00 for a
 *   concatenated SMS). The answer shown is 90 00: the pilot's card runs the script through its own
 *   interface, not through the SIM's OTA layer, so the PoR (counted in the plan) is not traced;
 * - BIP: each CAT-TP PDU (TS 102 127) in a UDP datagram between the UICC (10.0.0.2, port 1024)
 *   and the OTA server (10.0.0.1, port 9), read with `-d udp.port==9,cattp`;
 * - HTTP admin: each GP Amendment B message in a TCP segment between the agent (10.0.0.2) and the
 *   admin server (10.0.0.1, port 80), in the clear — the TLS-PSK around them is counted by the
 *   plan, not run — so tshark's http dissector reads the X-Admin headers and bodies.
 * Frames are spread evenly over the step's bearer time (the plan's time, not one per network event).
 */

import { pcapGlobalHeader, pcapRecord } from "../apdu/pcap-file.ts"
import { ipv4Checksum, t0Transcript } from "../apdu/pcap-gsmtap-sim.ts"
import { concat } from "../bytes/bytes.ts"
import { isoFromDays } from "../calendar/civil-calendar.ts"
import type { OtaBearerName } from "../parties/ota/ota-bearer.ts"
import type { OtaFrame } from "./ota-delivery.ts"
import { envelopeSmsPpDownload, smsDeliverTpdu } from "./sms-pp.ts"

export const LINKTYPE_ETHERNET = 1
export const CAT_TP_SERVER_PORT = 9
export const HTTP_ADMIN_SERVER_PORT = 80
const SE_SIDE_PORT = 1024
const GSMTAP_UDP_PORT = 4729
const SERVER_IP = [10, 0, 0, 1] as const
const SE_IP = [10, 0, 0, 2] as const
/** The telco OTA platform's short code and SMSC (the twin's own, China Mobile-style numbers). */
const PLATFORM_SHORT_CODE = "10658000"
const SMSC = "8613800851500"
const US_PER_DAY = 86_400_000_000

/** One bearer delivery to trace: its frames over [startUs, startUs + spanUs], civil µs since 1970. */
export interface OtaTraceDelivery {
  readonly bearer: OtaBearerName
  readonly frames: ReadonlyArray<OtaFrame>
  readonly startUs: number
  readonly spanUs: number
}

const semiOctet = (n: number): number => ((n % 10) << 4) | Math.floor(n / 10)

/** TP-SCTS (TS 23.040 §9.2.3.11) of a civil instant, China Standard Time (+08:00 = 32 quarters). */
export const smsTimestamp = (civilUs: number): Uint8Array => {
  const localUs = civilUs + 8 * 3_600_000_000
  const iso = isoFromDays(Math.floor(localUs / US_PER_DAY))
  const secondOfDay = Math.floor((localUs % US_PER_DAY) / 1_000_000)
  const [y, m, d] = [Number(iso.slice(2, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))]
  const hms = [Math.floor(secondOfDay / 3600), Math.floor(secondOfDay / 60) % 60, secondOfDay % 60]
  return Uint8Array.from([y, m, d, ...hms, 32], semiOctet)
}

/** Ethernet II + IPv4 around a transport header and payload (protocol 17 UDP or 6 TCP). */
const ipFrame = (protocol: number, uplink: boolean, transport: Uint8Array): Uint8Array => {
  const out = new Uint8Array(34 + transport.length)
  const v = new DataView(out.buffer)
  v.setUint16(12, 0x0800)
  out.set([0x45, 0, 0, 0, 0, 0, 0, 0, 64, protocol], 14)
  v.setUint16(16, 20 + transport.length)
  out.set(uplink ? [...SE_IP, ...SERVER_IP] : [...SERVER_IP, ...SE_IP], 26)
  v.setUint16(24, ipv4Checksum(out.subarray(14, 34)))
  out.set(transport, 34)
  return out
}

/** UDP header (checksum 0: allowed for IPv4 by RFC 768) and payload. */
const udp = (srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array => {
  const out = new Uint8Array(8 + payload.length)
  const v = new DataView(out.buffer)
  v.setUint16(0, srcPort)
  v.setUint16(2, dstPort)
  v.setUint16(4, out.length)
  out.set(payload, 8)
  return out
}

/** A TCP segment with PSH+ACK and the stream positions (checksum 0: tshark does not check by default). */
const tcp = (srcPort: number, dstPort: number, seq: number, ack: number, payload: Uint8Array): Uint8Array => {
  const out = new Uint8Array(20 + payload.length)
  const v = new DataView(out.buffer)
  v.setUint16(0, srcPort)
  v.setUint16(2, dstPort)
  v.setUint32(4, seq >>> 0)
  v.setUint32(8, ack >>> 0)
  out[12] = 5 << 4
  out[13] = 0x18
  v.setUint16(14, 65_535)
  out.set(payload, 20)
  return out
}

/** GSMTAP (version 2, type SIM) header and the T=0 transcript, over UDP 4729. */
const gsmtapSim = (command: Uint8Array, response: Uint8Array): Uint8Array => {
  const header = Uint8Array.of(2, 4, 0x04, ...new Array<number>(13).fill(0))
  return ipFrame(
    17,
    true,
    udp(GSMTAP_UDP_PORT, GSMTAP_UDP_PORT, concat(header, t0Transcript(command, response))),
  )
}

const SW_OK = Uint8Array.of(0x90, 0x00)

/** The packets of one delivery, each with its instant. */
const packetsOf = (d: OtaTraceDelivery, tcpAt: { se: number; server: number }): Uint8Array[] => {
  const stepUs = d.frames.length === 0 ? 0 : Math.floor(d.spanUs / d.frames.length)
  return d.frames.map((frame, i) => {
    const atUs = d.startUs + i * stepUs
    if (d.bearer === "sms-pp") {
      const tpdu = smsDeliverTpdu({
        originator: PLATFORM_SHORT_CODE,
        timestamp: smsTimestamp(atUs),
        userData: frame.bytes,
        moreMessages: i < d.frames.length - 1,
      })
      if (!tpdu.ok) throw new RangeError(`an SMS of ${frame.bytes.length} bytes of user data`)
      return pcapRecord(atUs, gsmtapSim(envelopeSmsPpDownload(SMSC, tpdu.value), SW_OK))
    }
    if (d.bearer === "bip") {
      const [src, dst] = frame.uplink
        ? [SE_SIDE_PORT, CAT_TP_SERVER_PORT]
        : [CAT_TP_SERVER_PORT, SE_SIDE_PORT]
      return pcapRecord(atUs, ipFrame(17, frame.uplink, udp(src, dst, frame.bytes)))
    }
    const [src, dst] = frame.uplink
      ? [SE_SIDE_PORT, HTTP_ADMIN_SERVER_PORT]
      : [HTTP_ADMIN_SERVER_PORT, SE_SIDE_PORT]
    const [seq, ack] = frame.uplink ? [tcpAt.se, tcpAt.server] : [tcpAt.server, tcpAt.se]
    if (frame.uplink) tcpAt.se += frame.bytes.length
    else tcpAt.server += frame.bytes.length
    return pcapRecord(atUs, ipFrame(6, frame.uplink, tcp(src, dst, seq, ack, frame.bytes)))
  })
}

/** A whole pcap of a card's OTA deliveries, in order. */
export const otaPcapFile = (deliveries: ReadonlyArray<OtaTraceDelivery>): Uint8Array => {
  const records = deliveries.flatMap((d) => packetsOf(d, { se: 1, server: 1 }))
  return concat(pcapGlobalHeader(LINKTYPE_ETHERNET), ...records)
}
