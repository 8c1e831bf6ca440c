/**
 * APDU traces on link type 264 (LINKTYPE_ISO_14443), as a contactless reader sees them
 * (PROTOCOLS.md §4, format per kaiser.cx/pcap-iso14443.html): each packet is a 4-byte
 * pseudo-header — version 00, event FE (reader to card) or FF (card to reader), the length of what
 * follows as 2 bytes big-endian — then an ISO/IEC 14443-4 I-block: PCB, the APDU and the CRC_A.
 * The CRC matters: without it tshark reads the APDU's last two bytes as the CRC and SW1/SW2 come
 * out wrong. Decode with `tshark -d 'iso14443.subdissector,iso7816'`.
 */
import { type ApduExchange, type PcapFraming, pcapRecord } from "./pcap-file.ts"

export const LINKTYPE_ISO_14443 = 264

const PSEUDO_HEADER_VERSION = 0x00
const EVENT_READER_TO_CARD = 0xfe
const EVENT_CARD_TO_READER = 0xff
/** I-block PCB, block number in bit 0, alternating per exchange (ISO/IEC 14443-4 §7.1.1). */
const PCB_I_BLOCK = 0x02

/**
 * CRC_A of ISO/IEC 14443-3 Annex B: CRC-16/CCITT reflected, initial value 6363, no final XOR,
 * appended least significant byte first.
 */
export const crcA = (bytes: Uint8Array): number => {
  let crc = 0x6363
  for (let i = 0; i < bytes.length; i++) {
    let ch = (bytes[i]! ^ crc) & 0xff
    ch = (ch ^ (ch << 4)) & 0xff
    crc = ((crc >> 8) ^ (ch << 8) ^ (ch << 3) ^ (ch >> 4)) & 0xffff
  }
  return crc
}

const packet = (event: number, blockNumber: number, apdu: Uint8Array): Uint8Array => {
  const blockLength = 1 + apdu.length + 2
  const out = new Uint8Array(4 + blockLength)
  out[0] = PSEUDO_HEADER_VERSION
  out[1] = event
  out[2] = blockLength >> 8
  out[3] = blockLength & 0xff
  out[4] = PCB_I_BLOCK | (blockNumber & 1)
  out.set(apdu, 5)
  const crc = crcA(out.subarray(4, 5 + apdu.length))
  out[5 + apdu.length] = crc & 0xff
  out[6 + apdu.length] = crc >> 8
  return out
}

/** A response is stamped one µs after its command so the two keep their order in any viewer. */
export const iso14443Framing: PcapFraming = {
  linkType: LINKTYPE_ISO_14443,
  records: (exchanges: ReadonlyArray<ApduExchange>) =>
    exchanges.flatMap((exchange, i) => [
      pcapRecord(exchange.atUs, packet(EVENT_READER_TO_CARD, i, exchange.command)),
      pcapRecord(exchange.atUs + 1, packet(EVENT_CARD_TO_READER, i, exchange.response)),
    ]),
}
