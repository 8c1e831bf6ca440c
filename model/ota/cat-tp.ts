/**
 * CAT-TP (ETSI TS 102 127), the transport the UICC runs over a BIP channel (TS 102 223 OPEN
 * CHANNEL, UDP) to reach the OTA server for scripts too large for SMS. A PDU is an 18-byte header
 * — flags (SYN 80, ACK 40, EAK 20, RST 10, NUL 08, SEG 04, version in b2-b1), 2 RFU bytes, header
 * length, source and destination port, data length, sequence number, acknowledgement number,
 * window size, checksum — then, for SYN, the maximum PDU and SDU sizes and the identification
 * (here the ICCID), for RST a reason code; then the data. The checksum is the 16-bit one's
 * complement of the one's complement sum of header and data (no pseudo-header), as Wireshark's
 * `cattp` dissector verifies it. An SDU (one secured command packet or PoR) longer than a PDU's
 * room is sent as several PDUs, SEG set on all but the last.
 *
 * The SDUs are the TS 102 225 packets in the form SMS-PP carries them (CPL ‖ CHL ‖ SPI …, from
 * secured-packet.ts): the twin does not model TS 102 225's own CPI/CHI framing for CAT_TP (a few
 * bytes per packet), a labelled simplification.
 */
import { bytesToUint, concat, uintToBytes } from "../bytes/bytes.ts"
import { err, ok, type Result } from "../bytes/result.ts"

export const CatTpFlag = { SYN: 0x80, ACK: 0x40, EAK: 0x20, RST: 0x10, NUL: 0x08, SEG: 0x04 } as const
export const CAT_TP_HEADER_BYTES = 18

export interface CatTpPdu {
  readonly flags: number
  readonly srcPort: number
  readonly dstPort: number
  readonly seq: number
  readonly ack: number
  readonly window: number
  /** SYN only: the sender's maximum PDU and SDU sizes and its identification. */
  readonly syn?: {
    readonly maxPduBytes: number
    readonly maxSduBytes: number
    readonly identification: Uint8Array
  }
  /** RST only: the reason (0 normal ending, TS 102 127). */
  readonly resetReason?: number
  readonly data: Uint8Array
}

/** The one's complement sum folded to 16 bits, complemented (RFC 1071), odd length padded with 0. */
export const onesComplementChecksum = (bytes: Uint8Array): number => {
  let sum = 0
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0)
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return ~sum & 0xffff
}

const variableHeader = (pdu: CatTpPdu): Uint8Array => {
  if (pdu.syn !== undefined) {
    const { maxPduBytes, maxSduBytes, identification } = pdu.syn
    return concat(
      uintToBytes(maxPduBytes, 2),
      uintToBytes(maxSduBytes, 2),
      Uint8Array.of(identification.length),
      identification,
    )
  }
  return pdu.resetReason === undefined ? new Uint8Array(0) : Uint8Array.of(pdu.resetReason)
}

export const encodeCatTpPdu = (pdu: CatTpPdu): Uint8Array => {
  const variable = variableHeader(pdu)
  const hlen = CAT_TP_HEADER_BYTES + variable.length
  const out = concat(
    Uint8Array.of(pdu.flags & 0xfc, 0, 0, hlen),
    uintToBytes(pdu.srcPort, 2),
    uintToBytes(pdu.dstPort, 2),
    uintToBytes(pdu.data.length, 2),
    uintToBytes(pdu.seq & 0xffff, 2),
    uintToBytes(pdu.ack & 0xffff, 2),
    uintToBytes(pdu.window, 2),
    new Uint8Array(2),
    variable,
    pdu.data,
  )
  out.set(uintToBytes(onesComplementChecksum(out), 2), 16)
  return out
}

export type CatTpError = "truncated" | "checksum" | "version"

/** Reads one PDU's fixed header and data, checking lengths, version 0 and the checksum. */
export const decodeCatTpPdu = (
  bytes: Uint8Array,
): Result<{ flags: number; seq: number; ack: number; data: Uint8Array }, CatTpError> => {
  if (bytes.length < CAT_TP_HEADER_BYTES) return err("truncated")
  const hlen = bytes[3]!
  const plen = bytesToUint(bytes, 8, 2)
  if (hlen < CAT_TP_HEADER_BYTES || hlen + plen !== bytes.length) return err("truncated")
  if ((bytes[0]! & 0x03) !== 0) return err("version")
  if (onesComplementChecksum(bytes) !== 0) return err("checksum")
  return ok({
    flags: bytes[0]! & 0xfc,
    seq: bytesToUint(bytes, 10, 2),
    ack: bytesToUint(bytes, 12, 2),
    data: bytes.subarray(hlen),
  })
}

export interface CatTpTransfer {
  readonly pdus: ReadonlyArray<{ readonly fromUicc: boolean; readonly bytes: Uint8Array }>
  /** Network round trips the exchange needs: the handshake, then one per command SDU and its PoR. */
  readonly roundTrips: number
}

export interface CatTpOptions {
  /** The UICC's maximum PDU size (its BIP buffer), announced in its SYN. */
  readonly maxPduBytes: number
  readonly maxSduBytes: number
  /** The UICC's ICCID as BCD (the SYN identification, 10 bytes). */
  readonly iccid: Uint8Array
}

const UICC_PORT = 0x0400
const SERVER_PORT = 0x0009
const WINDOW_PDUS = 4

/**
 * The CAT-TP PDUs of one remote-management session: the UICC's SYN, the server's SYN+ACK, the
 * UICC's ACK; then per command SDU its data PDUs (segmented to the UICC's PDU size) and the
 * UICC's PoR SDU back on ACK PDUs; the server's RST (normal ending) closes.
 */
export const catTpTransfer = (
  commands: ReadonlyArray<Uint8Array>,
  pors: ReadonlyArray<Uint8Array>,
  o: CatTpOptions,
): CatTpTransfer => {
  const pdus: Array<{ fromUicc: boolean; bytes: Uint8Array }> = []
  const seq = { uicc: 1, server: 1 }
  const room = o.maxPduBytes - CAT_TP_HEADER_BYTES
  const pdu = (
    fromUicc: boolean,
    flags: number,
    data: Uint8Array = new Uint8Array(0),
    extra: Partial<CatTpPdu> = {},
  ) => {
    const [src, dst] = fromUicc ? [UICC_PORT, SERVER_PORT] : [SERVER_PORT, UICC_PORT]
    const own = fromUicc ? seq.uicc : seq.server
    const ack = (fromUicc ? seq.server : seq.uicc) - 1
    const p = { flags, srcPort: src, dstPort: dst, seq: own, ack, window: WINDOW_PDUS, data, ...extra }
    pdus.push({ fromUicc, bytes: encodeCatTpPdu(p) })
    if (fromUicc) seq.uicc++
    else seq.server++
  }
  const sdu = (fromUicc: boolean, data: Uint8Array) => {
    for (let at = 0; at < data.length; at += room) {
      const last = at + room >= data.length
      pdu(fromUicc, CatTpFlag.ACK | (last ? 0 : CatTpFlag.SEG), data.subarray(at, at + room))
    }
  }
  const syn = { maxPduBytes: o.maxPduBytes, maxSduBytes: o.maxSduBytes, identification: o.iccid }
  pdu(true, CatTpFlag.SYN, undefined, { syn })
  pdu(false, CatTpFlag.SYN | CatTpFlag.ACK, undefined, { syn: { ...syn, identification: new Uint8Array(0) } })
  pdu(true, CatTpFlag.ACK)
  commands.forEach((command, i) => {
    sdu(false, command)
    sdu(true, pors[i] ?? new Uint8Array(0))
  })
  pdu(false, CatTpFlag.RST, undefined, { resetReason: 0 })
  return { pdus, roundTrips: 1 + commands.length }
}
