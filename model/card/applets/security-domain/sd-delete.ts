/**
 * DELETE (GP 2.3 §11.2): an application, an SSD or a load file named by `4F len AID`. P2 = 00
 * deletes the object alone (refused with 6985 while others depend on it); P2 = 80 also deletes
 * the related objects (a load file's instances, an SSD's associated objects). The ISD and the
 * built-in security-domain load file cannot be deleted.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { SECURITY_DOMAIN_MODULE_AID } from "../../runtime/issuance.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import { EntryKind, findByAid, type RegistryEntry, sameAid } from "../../runtime/registry.ts"
import { reaches } from "./sd-authority.ts"
import type { SdContext } from "./sd-context.ts"
import { authorize, confirmation, tokenData } from "./sd-delegated-management.ts"

/** Tag of the Delegated Management token in DELETE data (GP 2.2 §11.2.2.3). */
const TAG_DELETE_TOKEN = 0x9e

/** The token after `4F len AID`: absent (empty), or `9E len token` filling the rest. */
const tokenAfter = (rest: Uint8Array): Uint8Array | null => {
  if (rest.length === 0) return rest
  if (rest.length < 2 || rest[0] !== TAG_DELETE_TOKEN || rest[1]! + 2 !== rest.length) return null
  return rest.subarray(2)
}

const dependents = (ctx: SdContext, entry: RegistryEntry): RegistryEntry[] =>
  ctx.state.entries.filter(
    (e) =>
      e.id !== entry.id &&
      ((entry.kind === EntryKind.LOAD_FILE && e.loadFileId === entry.id) ||
        (entry.kind === EntryKind.SSD && e.sdId === entry.id)),
  )

const closure = (ctx: SdContext, entry: RegistryEntry): RegistryEntry[] => {
  const out = [entry]
  for (let i = 0; i < out.length; i++) {
    for (const d of dependents(ctx, out[i]!)) if (!out.includes(d)) out.push(d)
  }
  return out
}

export const deleteObject = (ctx: SdContext, command: CommandApdu): Reply => {
  if (command.p1 !== 0x00 || (command.p2 !== 0x00 && command.p2 !== 0x80)) return fail("incorrect-p1p2")
  const data = command.data
  if (data.length < 2 || data[0] !== 0x4f || data[1]! + 2 > data.length) return fail("incorrect-data")
  const token = tokenAfter(data.subarray(2 + data[1]!))
  if (token === null) return fail("incorrect-data")
  const denied = authorize(ctx, tokenData(command.p1, command.p2, data.subarray(0, 2 + data[1]!)), token)
  if (denied !== null) return fail(denied)
  const aid = data.subarray(2, 2 + data[1]!)
  const entry = findByAid(ctx.state, aid)
  if (entry === undefined) return fail("referenced-data-not-found")
  if (!reaches(ctx, entry)) return fail("security-status")
  if (
    entry.kind === EntryKind.ISD ||
    (entry.kind === EntryKind.LOAD_FILE &&
      entry.moduleAids.some((m) => sameAid(m, SECURITY_DOMAIN_MODULE_AID)))
  ) {
    return fail("conditions-not-satisfied")
  }
  const doomed = command.p2 === 0x80 ? closure(ctx, entry) : [entry]
  if (command.p2 === 0x00 && dependents(ctx, entry).length > 0) return fail("conditions-not-satisfied")
  if (doomed.some((e) => e.id === ctx.sd.id)) return fail("conditions-not-satisfied")
  ctx.state.entries = ctx.state.entries.filter((e) => !doomed.includes(e))
  ctx.markDirty()
  return done(confirmation(ctx, [aid]))
}
