/**
 * GET STATUS (GP 2.3 §11.4) in the TLV format (P2 b2 = 1; GP 2.2 Table 11-36): one E3 template
 * per registry entry with 4F AID, 9F70 life cycle, C5 privileges, C4 load file, CC associated
 * security domain and, for P1 = 10 ("Executable Load Files and their Executable Modules", §11.4.2.1),
 * one 84 per Executable Module AID its CAP Applet component listed. Data `4F len prefix` filters by AID prefix
 * (`4F 00` = all). Entries that do not fit answer 6310; P2 b1 = 1 ("get next") continues.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { SW } from "../../../apdu/status-words.ts"
import { concat } from "../../../bytes/bytes.ts"
import { constructed, encodeTlv, type Tlv, tlv } from "../../../tlv/ber-tlv.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import { EntryKind, findById, type RegistryEntry } from "../../runtime/registry.ts"
import { reaches } from "./sd-authority.ts"
import type { SdContext } from "./sd-context.ts"

/** Room left for R-MAC (8) and R-ENCRYPTION padding (16) in a 256-byte response. */
const STATUS_BYTES_MAX = 232

const KINDS: ReadonlyMap<number, ReadonlyArray<EntryKind>> = new Map([
  [0x80, [EntryKind.ISD]],
  [0x40, [EntryKind.SSD, EntryKind.APPLICATION]],
  [0x20, [EntryKind.LOAD_FILE]],
  [0x10, [EntryKind.LOAD_FILE]],
])

const templateOf = (ctx: SdContext, e: RegistryEntry, withModules: boolean): Uint8Array => {
  const children: Tlv[] = [tlv(0x4f, e.aid), tlv(0x9f70, Uint8Array.of(e.lifeCycle))]
  if (e.kind !== EntryKind.LOAD_FILE) {
    children.push(
      tlv(0xc5, Uint8Array.of(e.privileges >> 16, (e.privileges >> 8) & 0xff, e.privileges & 0xff)),
    )
  }
  const loadFile =
    e.kind === EntryKind.APPLICATION || e.kind === EntryKind.SSD
      ? findById(ctx.state, e.loadFileId)
      : undefined
  if (loadFile !== undefined) children.push(tlv(0xc4, loadFile.aid))
  const sd = findById(ctx.state, e.sdId)
  if (sd !== undefined) children.push(tlv(0xcc, sd.aid))
  if (withModules) for (const aid of e.moduleAids) children.push(tlv(0x84, aid))
  return encodeTlv(constructed(0xe3, children))
}

const prefixOf = (data: Uint8Array): Uint8Array | null => {
  if (data.length < 2 || data[0] !== 0x4f || 2 + data[1]! > data.length) return null
  return data.subarray(2, 2 + data[1]!)
}

const matches = (aid: Uint8Array, prefix: Uint8Array): boolean =>
  prefix.length <= aid.length && prefix.every((b, i) => aid[i] === b)

export const getStatus = (ctx: SdContext, command: CommandApdu): Reply => {
  const kinds = KINDS.get(command.p1)
  if (kinds === undefined || (command.p2 & 0xfe) !== 0x02) return fail("incorrect-p1p2")
  let pending: ReadonlyArray<Uint8Array>
  if ((command.p2 & 0x01) !== 0) {
    if (ctx.channel.statusRest === null) return fail("conditions-not-satisfied")
    pending = ctx.channel.statusRest
  } else {
    const prefix = prefixOf(command.data)
    if (prefix === null) return fail("incorrect-data")
    pending = ctx.state.entries
      .filter(
        (e) => kinds.includes(e.kind) && matches(e.aid, prefix) && (reaches(ctx, e) || e.id === ctx.sd.id),
      )
      .map((e) => templateOf(ctx, e, command.p1 === 0x10))
    if (pending.length === 0) return fail("referenced-data-not-found")
  }
  let size = 0
  let count = 0
  while (count < pending.length && size + pending[count]!.length <= STATUS_BYTES_MAX)
    size += pending[count++]!.length
  const rest = pending.slice(Math.max(count, 1))
  ctx.channel.statusRest = rest.length > 0 ? rest : null
  return done(
    concat(...pending.slice(0, Math.max(count, 1))),
    rest.length > 0 ? SW.MORE_DATA_GET_STATUS : SW.OK,
  )
}
