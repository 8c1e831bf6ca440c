/**
 * A command packet longer than one SMS (3GPP TS 31.115 §4.2: "the concatenation mechanism of
 * TS 23.040 shall be used"): the OTA platform splits it over SMS-DELIVERs whose user-data headers
 * carry the concatenation IE (IEI 00, 8-bit reference: reference, total, sequence number; TS 23.040
 * §9.2.3.24.1) and, in the first segment only, the Command Packet Identifier (IEI 70, TS 31.115
 * §4.2), so the command header is in the first segment. 8-bit data leaves 134 octets per segment
 * after a 6-octet UDH (TS 23.040 §9.2.3.24.1), 132 in the first with its CPI. The UICC's OTA layer
 * collects the segments of one reference (in any order; IEI 08, 16-bit reference, is read too)
 * and hands the whole packet on when the last one arrives.
 */
import { concat } from "../bytes/bytes.ts"
import { err, ok, type Result } from "../bytes/result.ts"
import { COMMAND_UDH } from "./secured-packet.ts"

/** User data of one SMS, header included (TS 23.040 §9.2.3.16: 140 octets of 8-bit data). */
export const USER_DATA_BYTES_MAX = 140
const IEI_CONCAT_8 = 0x00
const IEI_CONCAT_16 = 0x08
const IEI_CPI = 0x70
/** TS 23.040: the sequence number and the total are one octet each. */
export const SEGMENTS_MAX = 255
/** Partly received packets the UICC keeps at once (the oldest is dropped beyond). */
export const REFERENCES_IN_FLIGHT_MAX = 4

const FIRST_UDH_BYTES = 8 // UDHL, 00 03 ref total seq, 70 00
const NEXT_UDH_BYTES = 6 // UDHL, 00 03 ref total seq
const FIRST_SEGMENT_BYTES = USER_DATA_BYTES_MAX - FIRST_UDH_BYTES
const NEXT_SEGMENT_BYTES = USER_DATA_BYTES_MAX - NEXT_UDH_BYTES

/** How many SMS a command packet of `bytes` takes. */
export const segmentCount = (bytes: number): number =>
  COMMAND_UDH.length + bytes <= USER_DATA_BYTES_MAX
    ? 1
    : 1 + Math.ceil(Math.max(0, bytes - FIRST_SEGMENT_BYTES) / NEXT_SEGMENT_BYTES)

/** The SMS user data (UDH included) carrying `packet`, one per segment. */
export const segmentCommandPacket = (
  packet: Uint8Array,
  reference: number,
): Result<Uint8Array[], "too-many-segments"> => {
  const total = segmentCount(packet.length)
  if (total === 1) return ok([concat(COMMAND_UDH, packet)])
  if (total > SEGMENTS_MAX) return err("too-many-segments")
  const ref = reference & 0xff
  const out = [
    concat(
      Uint8Array.of(7, IEI_CONCAT_8, 3, ref, total, 1, IEI_CPI, 0),
      packet.subarray(0, FIRST_SEGMENT_BYTES),
    ),
  ]
  for (let at = FIRST_SEGMENT_BYTES, seq = 2; at < packet.length; at += NEXT_SEGMENT_BYTES, seq++) {
    out.push(
      concat(
        Uint8Array.of(5, IEI_CONCAT_8, 3, ref, total, seq),
        packet.subarray(at, at + NEXT_SEGMENT_BYTES),
      ),
    )
  }
  return ok(out)
}

export interface UserDataHeader {
  readonly cpi: boolean
  readonly concatenation: { readonly reference: number; readonly total: number; readonly seq: number } | null
  readonly body: Uint8Array
}

export type UdhError = "malformed-udh" | "bad-concatenation"

/** Reads the UDH's information elements (TS 23.040 §9.2.3.24): IEI, IEL, data, repeated. */
export const readUserDataHeader = (userData: Uint8Array): Result<UserDataHeader, UdhError> => {
  const udhl = userData[0]
  if (udhl === undefined || 1 + udhl > userData.length) return err("malformed-udh")
  let cpi = false
  let concatenation: UserDataHeader["concatenation"] = null
  for (let at = 1; at < 1 + udhl; ) {
    const iei = userData[at]!
    const length = userData[at + 1]
    if (length === undefined || at + 2 + length > 1 + udhl) return err("malformed-udh")
    const data = userData.subarray(at + 2, at + 2 + length)
    if (iei === IEI_CPI) cpi = true
    if (iei === IEI_CONCAT_8 || iei === IEI_CONCAT_16) {
      const wide = iei === IEI_CONCAT_16
      if (length !== (wide ? 4 : 3)) return err("bad-concatenation")
      const reference = wide ? (data[0]! << 8) | data[1]! : data[0]!
      const [total, seq] = wide ? [data[2]!, data[3]!] : [data[1]!, data[2]!]
      if (total === 0 || seq === 0 || seq > total) return err("bad-concatenation")
      concatenation = { reference, total, seq }
    }
    at += 2 + length
  }
  return ok({ cpi, concatenation, body: userData.subarray(1 + udhl) })
}

interface Pending {
  readonly reference: number
  readonly parts: Array<Uint8Array | undefined>
  cpi: boolean
}

export type ReassemblyError = UdhError | "not-a-command-packet" | "segment-mismatch"

/**
 * The UICC side: accepts the user data of each SMS-PP download and answers the whole command
 * packet once complete, null while segments are missing, or why the SMS is not a command packet.
 */
export class SmsReassembly {
  private readonly pending: Pending[] = []

  accept(userData: Uint8Array): Result<Uint8Array | null, ReassemblyError> {
    const header = readUserDataHeader(userData)
    if (!header.ok) return header
    const { cpi, concatenation, body } = header.value
    if (concatenation === null) return cpi ? ok(body.slice()) : err("not-a-command-packet")
    let entry = this.pending.find((p) => p.reference === concatenation.reference)
    if (entry !== undefined && entry.parts.length !== concatenation.total) return err("segment-mismatch")
    if (entry === undefined) {
      entry = {
        reference: concatenation.reference,
        parts: Array.from({ length: concatenation.total }, () => undefined),
        cpi: false,
      }
      this.pending.push(entry)
      if (this.pending.length > REFERENCES_IN_FLIGHT_MAX) this.pending.shift()
    }
    entry.parts[concatenation.seq - 1] = body.slice()
    if (concatenation.seq === 1) entry.cpi = cpi
    if (entry.parts.some((p) => p === undefined)) return ok(null)
    this.pending.splice(this.pending.indexOf(entry), 1)
    return entry.cpi ? ok(concat(...(entry.parts as Uint8Array[]))) : err("not-a-command-packet")
  }

  /** Packets partly received (for tests and bounds). */
  get inFlight(): number {
    return this.pending.length
  }
}
