/**
 * LOAD (GP 2.3 §11.6) after INSTALL [for load]. Blocks arrive in order (P2 = 00, 01, ...; P1 b8
 * marks the last). The load file is any DAP blocks (E2, checked by sd-dap.ts) followed by the
 * Load File Data Block (C4, §11.6.2.2), whose value is a CAP file's components (Java Card 2.2.2 VM
 * Specification Chapter 6; read by load-file/cap-read.ts). The card keeps the load file in its
 * registry under the INSTALL [for load] AID with the Executable Module AIDs of its Applet
 * component. The twin does not interpret Java Card bytecode: a module AID binds to the applet
 * class (TypeScript) with that `moduleAid`, or to the built-in security domain; a load file with a
 * module the card has no class for, or a malformed CAP, is refused with 6A80.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { concat } from "../../../bytes/bytes.ts"
import { encodeTlv, tlv } from "../../../tlv/ber-tlv.ts"
import { buildCap } from "../../load-file/cap-build.ts"
import { readCap } from "../../load-file/cap-read.ts"
import { SHIPPED_MODULE_AIDS } from "../../load-file/shipped-modules.ts"
import { SECURITY_DOMAIN_MODULE_AID } from "../../runtime/issuance.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import {
  AppLifeCycle,
  ENTRIES_MAX,
  EntryKind,
  findById,
  freeId,
  newEntry,
  sameAid,
} from "../../runtime/registry.ts"
import type { SdContext } from "./sd-context.ts"
import { checkLoadFile } from "./sd-dap.ts"
import { confirmation } from "./sd-delegated-management.ts"

/** Bound on a load file held in RAM while its LOAD blocks arrive (P2 counts at most 256 blocks). */
const LOAD_FILE_BYTES_MAX = 4096

/** A module of a load file to build: a class the twin ships, by name, or any module AID. */
export type LoadFileModule = string | { readonly moduleAid: Uint8Array }

/** The package AID a load file built without one carries (the twin's test RID F0 00 00 00 00). */
const DEFAULT_PACKAGE_AID = Uint8Array.of(0xf0, 0x00, 0x00, 0x00, 0x00, 0x01)

const moduleAidOf = (m: LoadFileModule): Uint8Array => {
  if (typeof m !== "string") return m.moduleAid
  const aid = SHIPPED_MODULE_AIDS.get(m)
  if (aid === undefined) throw new RangeError(`no shipped applet class named ${m}: give its module AID`)
  return aid
}

/**
 * The C4 Load File Data Block of a CAP package providing `modules` (for hosts and tests). The
 * Header carries `packageAid` (the registry keys the load file by the INSTALL [for load] AID,
 * GP 2.3 §11.5.2.3.1, so a host should pass the same).
 */
export const loadFileBlock = (
  modules: ReadonlyArray<LoadFileModule>,
  packageAid: Uint8Array = DEFAULT_PACKAGE_AID,
): Uint8Array =>
  encodeTlv(
    tlv(0xc4, buildCap({ packageAid, packageName: "cn/gyt/twin", appletAids: modules.map(moduleAidOf) })),
  )

export const load = (ctx: SdContext, command: CommandApdu): Reply => {
  const loading = ctx.channel.loading
  if (loading === null) return fail("conditions-not-satisfied")
  if ((command.p1 & 0x7f) !== 0 || command.p2 !== loading.nextBlock) return fail("incorrect-p1p2")
  const total = loading.received.reduce((n, b) => n + b.length, 0) + command.data.length
  if (total > LOAD_FILE_BYTES_MAX) return fail("not-enough-memory")
  loading.received.push(command.data.slice())
  loading.nextBlock += 1
  if ((command.p1 & 0x80) === 0) return done(Uint8Array.of(0x00))
  ctx.channel.loading = null
  // DAP blocks and the announced hash are checked before the file exists (sd-dap.ts).
  const checked = checkLoadFile(ctx, concat(...loading.received), loading.sdId, loading.hash)
  if (!checked.ok) return fail(checked.failure)
  const cap = readCap(checked.block)
  if (!cap.ok) return fail("incorrect-data")
  const modules = cap.value.appletAids
  const known = (aid: Uint8Array) =>
    sameAid(aid, SECURITY_DOMAIN_MODULE_AID) || ctx.appletClasses.some((c) => sameAid(c.moduleAid, aid))
  if (!modules.every(known)) return fail("incorrect-data")
  const id = freeId(ctx.state)
  if (id === undefined || ctx.state.entries.length >= ENTRIES_MAX) return fail("not-enough-memory")
  const entry = newEntry({ kind: EntryKind.LOAD_FILE, id, aid: loading.aid, lifeCycle: AppLifeCycle.LOADED })
  entry.sdId = loading.sdId
  entry.moduleAids = modules.map((m) => m.slice())
  ctx.state.entries.push(entry)
  ctx.markDirty()
  // A Delegated Management load gets its receipt here, with the last block (GP 2.2 §11.6.3.1).
  return done(confirmation(ctx, [loading.aid, findById(ctx.state, loading.sdId)?.aid ?? new Uint8Array(0)]))
}
