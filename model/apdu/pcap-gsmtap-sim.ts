/**
 * APDU traces as GSMTAP-SIM over UDP port 4729 in an Ethernet pcap — the form osmocom SIMtrace
 * writes for UICC traffic (PROTOCOLS.md §4), read by Wireshark's `gsm_sim` dissector. Unlike the
 * ISO 14443 framing, gsm_sim decodes INS, P1, P2 and P3 for the proprietary classes 80/84 too,
 * so GlobalPlatform card management (INSTALL, PUT KEY, STORE DATA) is readable command by command.
 *
 * One packet per exchange, as SIMtrace does: the T=0 view of the exchange, i.e. CLA INS P1 P2 P3,
 * the command data, then the response data and SW1 SW2. P3 is Lc when the command has data, else
 * Le (00 for none); an Le that follows command data is not on the T=0 wire and is left out.
 */
import { type ApduExchange, type PcapFraming, pcapRecord } from "./pcap-file.ts"

export const LINKTYPE_ETHERNET = 1
export const GSMTAP_UDP_PORT = 4729
/** osmocom gsmtap.h: GSMTAP_VERSION 2, GSMTAP_TYPE_SIM 0x04; the header is 4 words of 32 bits. */
const GSMTAP_VERSION = 2
const GSMTAP_TYPE_SIM = 0x04
const GSMTAP_HEADER_BYTES = 16
const LOOPBACK = [127, 0, 0, 1] as const

/** The T=0 transcript of one exchange: header with P3, command data, response data, SW. */
export const t0Transcript = (command: Uint8Array, response: Uint8Array): Uint8Array => {
  const header = command.subarray(0, 4)
  const hasData = command.length > 5 && command[4]! > 0 && command.length >= 5 + command[4]!
  const p3 = command.length > 4 ? command[4]! : 0
  const data = hasData ? command.subarray(5, 5 + p3) : new Uint8Array(0)
  const out = new Uint8Array(5 + data.length + response.length)
  out.set(header, 0)
  out[4] = p3
  out.set(data, 5)
  out.set(response, 5 + data.length)
  return out
}

export const ipv4Checksum = (header: Uint8Array): number => {
  let sum = 0
  for (let i = 0; i < header.length; i += 2) sum += (header[i]! << 8) | header[i + 1]!
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16)
  return ~sum & 0xffff
}

/** Ethernet II + IPv4 + UDP (checksum 0, allowed for IPv4 by RFC 768) + GSMTAP + transcript. */
const packet = (transcript: Uint8Array): Uint8Array => {
  const udpLength = 8 + GSMTAP_HEADER_BYTES + transcript.length
  const out = new Uint8Array(14 + 20 + udpLength)
  const view = new DataView(out.buffer)
  view.setUint16(12, 0x0800)
  const ip = out.subarray(14, 34)
  ip.set([0x45, 0x00], 0)
  view.setUint16(16, 20 + udpLength)
  ip[8] = 64
  ip[9] = 17
  ip.set(LOOPBACK, 12)
  ip.set(LOOPBACK, 16)
  view.setUint16(24, ipv4Checksum(ip))
  view.setUint16(34, GSMTAP_UDP_PORT)
  view.setUint16(36, GSMTAP_UDP_PORT)
  view.setUint16(38, udpLength)
  out[42] = GSMTAP_VERSION
  out[43] = GSMTAP_HEADER_BYTES / 4
  out[44] = GSMTAP_TYPE_SIM
  out.set(transcript, 42 + GSMTAP_HEADER_BYTES)
  return out
}

export const gsmtapSimFraming: PcapFraming = {
  linkType: LINKTYPE_ETHERNET,
  records: (exchanges: ReadonlyArray<ApduExchange>) =>
    exchanges.map((exchange) =>
      pcapRecord(exchange.atUs, packet(t0Transcript(exchange.command, exchange.response))),
    ),
}
