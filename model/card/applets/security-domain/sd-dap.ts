/**
 * Data Authentication Pattern (GP Card Spec 2.2 §9.2.1-§9.2.2, Annex C.2): a load file may carry,
 * before its Load File Data Block (C4), DAP blocks `E2 { 4F SD AID, C3 signature }` made over the
 * block's hash. A security domain with DAP Verification checks the block made for it when a file
 * is loaded under it; a domain with Mandated DAP Verification (the controlling authority) checks
 * its block on every load to the card. A missing or wrong DAP refuses the load (6982).
 *
 * The twin's profile (GP's algorithms are RSA and SHA-1; this pilot's authorities sign with the
 * national algorithms): the hash is SM3 over the C4 value, the signature SM2 (r ‖ s, 64 bytes,
 * default ID), and a domain's DAP verification key is an SM2 public point put with PUT KEY P2 01
 * under the twin's key type B1, kept as the domain's persistent state.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { bytesToBigint } from "../../../bytes/bytes.ts"
import { SM2P256V1 } from "../../../crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID, type Sm2Point } from "../../../crypto/sm2/sm2.ts"
import { decodeTlv, findTag, type Tlv } from "../../../tlv/ber-tlv.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import {
  EntryKind,
  findById,
  hasPrivilege,
  isSecurityDomain,
  Privilege,
  type RegistryEntry,
  sameAid,
} from "../../runtime/registry.ts"
import type { SdContext } from "./sd-context.ts"

/** PUT KEY key type the twin gives an SM2 public key (uncompressed point, 65 bytes). */
export const KEY_TYPE_SM2_PUBLIC = 0xb1
const POINT_BYTES = 65

const dapKeyOf = (sd: RegistryEntry): Sm2Point | null =>
  sd.kind === EntryKind.SSD && sd.state.length === POINT_BYTES && sd.state[0] === 0x04
    ? { x: bytesToBigint(sd.state.subarray(1, 33)), y: bytesToBigint(sd.state.subarray(33, 65)) }
    : null

/** PUT KEY P2 01 with `B1 41 04‖x‖y 00`: the target domain's DAP verification key. */
export const putDapKey = (ctx: SdContext, target: RegistryEntry, command: CommandApdu): Reply => {
  const d = command.data
  if (d.length !== 1 + 2 + POINT_BYTES + 1 || d[1] !== KEY_TYPE_SM2_PUBLIC || d[2] !== POINT_BYTES) {
    return fail("incorrect-data")
  }
  if (d[3] !== 0x04 || d[d.length - 1] !== 0x00) return fail("incorrect-data")
  if (target.kind !== EntryKind.SSD) return fail("conditions-not-satisfied")
  target.state = d.slice(3, 3 + POINT_BYTES)
  ctx.markDirty()
  return done(Uint8Array.of(d[0]!))
}

/** The domains whose DAP this load needs: every Mandated DAP domain, and the target if it verifies. */
const verifiersOf = (ctx: SdContext, sdId: number): RegistryEntry[] => {
  const mandated = ctx.state.entries.filter(
    (e) => isSecurityDomain(e) && hasPrivilege(e.privileges, Privilege.MANDATED_DAP),
  )
  const target = findById(ctx.state, sdId)
  const own =
    target !== undefined && hasPrivilege(target.privileges, Privilege.DAP_VERIFICATION) ? [target] : []
  return [...mandated, ...own.filter((t) => !mandated.includes(t))]
}

const verifies = (ctx: SdContext, sd: RegistryEntry, blocks: ReadonlyArray<Tlv>, hash: Uint8Array) => {
  const key = dapKeyOf(sd)
  const block = blocks.find((b) => {
    const aid = findTag(b.children ?? [], 0x4f)?.value
    return aid !== undefined && sameAid(aid, sd.aid)
  })
  const signature = block === undefined ? undefined : findTag(block.children ?? [], 0xc3)?.value
  if (key === null || signature === undefined || signature.length !== 64) return false
  const rs = { r: bytesToBigint(signature.subarray(0, 32)), s: bytesToBigint(signature.subarray(32)) }
  return ctx.crypto.sm2.verify(SM2P256V1, key, SM2_DEFAULT_USER_ID, hash, rs)
}

/**
 * Checks a complete load file: its top-level TLVs are DAP blocks (E2) and one C4. Answers the C4
 * value, or the failure: incorrect-data for a malformed file or a hash unlike the one INSTALL
 * [for load] announced, security-status for a missing or wrong DAP.
 */
export const checkLoadFile = (
  ctx: SdContext,
  file: Uint8Array,
  sdId: number,
  announcedHash: Uint8Array,
): { ok: true; block: Uint8Array } | { ok: false; failure: "incorrect-data" | "security-status" } => {
  const decoded = decodeTlv(file)
  if (!decoded.ok) return { ok: false, failure: "incorrect-data" }
  const c4 = decoded.value.filter((n) => n.tag === 0xc4)
  const dapBlocks = decoded.value.filter((n) => n.tag === 0xe2)
  if (c4.length !== 1 || dapBlocks.length + 1 !== decoded.value.length)
    return { ok: false, failure: "incorrect-data" }
  const hash = ctx.crypto.sm3(c4[0]!.value)
  if (announcedHash.length > 0 && !sameAid(announcedHash, hash))
    return { ok: false, failure: "incorrect-data" }
  for (const sd of verifiersOf(ctx, sdId)) {
    if (!verifies(ctx, sd, dapBlocks, hash)) return { ok: false, failure: "security-status" }
  }
  return { ok: true, block: c4[0]!.value }
}
