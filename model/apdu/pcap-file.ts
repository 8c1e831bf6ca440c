/**
 * The classic libpcap container (microsecond timestamps, little-endian), shared by the APDU trace
 * framings beside this file. Timestamps are the twin's simulated time, so a trace is as
 * deterministic as the run that produced it.
 */

export const SNAPLEN_BYTES = 65_535

/** The 24-byte global header naming the link type of every packet in the file. */
export const pcapGlobalHeader = (linkType: number): Uint8Array => {
  const header = new DataView(new ArrayBuffer(24))
  header.setUint32(0, 0xa1b2c3d4, true)
  header.setUint16(4, 2, true)
  header.setUint16(6, 4, true)
  header.setInt32(8, 0, true)
  header.setUint32(12, 0, true)
  header.setUint32(16, SNAPLEN_BYTES, true)
  header.setUint32(20, linkType, true)
  return new Uint8Array(header.buffer)
}

/** One packet record: a 16-byte header (seconds, microseconds, lengths) and the packet. */
export const pcapRecord = (atUs: number, packet: Uint8Array): Uint8Array => {
  if (!Number.isSafeInteger(atUs) || atUs < 0)
    throw new RangeError(`trace time ${atUs} µs is not a valid instant`)
  if (packet.length > SNAPLEN_BYTES)
    throw new RangeError(`a packet of ${packet.length} bytes exceeds the snap length`)
  const header = new DataView(new ArrayBuffer(16))
  header.setUint32(0, Math.floor(atUs / 1_000_000), true)
  header.setUint32(4, atUs % 1_000_000, true)
  header.setUint32(8, packet.length, true)
  header.setUint32(12, packet.length, true)
  const out = new Uint8Array(16 + packet.length)
  out.set(new Uint8Array(header.buffer), 0)
  out.set(packet, 16)
  return out
}

/** One APDU exchange at a simulated instant (µs since the trace's epoch). */
export interface ApduExchange {
  readonly atUs: number
  readonly command: Uint8Array
  readonly response: Uint8Array
}

/** A framing turns exchanges into pcap records of one link type. */
export interface PcapFraming {
  readonly linkType: number
  readonly records: (exchanges: ReadonlyArray<ApduExchange>) => Uint8Array[]
}

/** A whole pcap file in memory (the trace of one card session is small). */
export const pcapFile = (framing: PcapFraming, exchanges: ReadonlyArray<ApduExchange>): Uint8Array => {
  const parts = [pcapGlobalHeader(framing.linkType), ...framing.records(exchanges)]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
