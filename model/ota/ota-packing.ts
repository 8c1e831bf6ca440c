/**
 * Splits a GP command script into OTA command packets for a bearer (TS 102 225 §5.1 with the
 * expanded remote format of TS 102 226 §5.2): SMS-PP packets must fit one SMS (140 octets of user
 * data, UDH included); BIP carries up to `bipPacketBytesMax` per packet. Groups are sized with the
 * packets' length arithmetic, then sent with consecutive counters. A packet too long for one SMS on its own
 * (one APDU that does not fit) goes as concatenated SMS (sms-concatenation.ts, TS 31.115 §4.2).
 */
import type { OtaPlatform } from "./ota-platform.ts"
import { commandScriptBytes, scriptItemBytes } from "./remote-script.ts"
import { COMMAND_UDH } from "./secured-packet.ts"
import { segmentCount, USER_DATA_BYTES_MAX } from "./sms-concatenation.ts"

export interface PackedScript {
  readonly packets: ReadonlyArray<Uint8Array>
  /** Commands in each packet. */
  readonly groups: ReadonlyArray<number>
  /** Messages on the bearer: SMS (counting estimated concatenated segments) or BIP packets. */
  readonly messages: number
  readonly bytes: number
}

/**
 * Greedy grouping: a group grows while its packet stays within `fits`. Sizes come from the
 * packet's length arithmetic (secured-packet.ts `commandPacketBytes`), linear in the script.
 */
const groupsOf = (
  platform: OtaPlatform,
  apdus: ReadonlyArray<Uint8Array>,
  fits: (packetBytes: number) => boolean,
): Uint8Array[][] => {
  const groups: Uint8Array[][] = []
  let group: Uint8Array[] = []
  let inner = 0
  for (const apdu of apdus) {
    const item = scriptItemBytes(apdu.length)
    if (group.length > 0 && !fits(platform.packetBytes(commandScriptBytes(inner + item)))) {
      groups.push(group)
      group = []
      inner = 0
    }
    group.push(apdu)
    inner += item
  }
  if (group.length > 0) groups.push(group)
  return groups
}

const smsFits = (packetBytes: number): boolean => packetBytes + COMMAND_UDH.length <= USER_DATA_BYTES_MAX

export const packForSms = (
  platform: OtaPlatform,
  tar: Uint8Array,
  apdus: ReadonlyArray<Uint8Array>,
): PackedScript => {
  const groups = groupsOf(platform, apdus, smsFits)
  const packets = groups.map((g) => platform.command(tar, g))
  const messages = packets.reduce((n, p) => n + segmentCount(p.length), 0)
  const sizes = groups.map((g) => g.length)
  return { packets, groups: sizes, messages, bytes: packets.reduce((n, p) => n + p.length, 0) }
}

export const packForBip = (
  platform: OtaPlatform,
  tar: Uint8Array,
  apdus: ReadonlyArray<Uint8Array>,
  bipPacketBytesMax = 1400,
): PackedScript => {
  const fits = (n: number) => n <= bipPacketBytesMax
  const groups = groupsOf(platform, apdus, fits)
  const packets = groups.map((g) => platform.command(tar, g))
  const sizes = groups.map((g) => g.length)
  return {
    packets,
    groups: sizes,
    messages: packets.length,
    bytes: packets.reduce((n, p) => n + p.length, 0),
  }
}
