/**
 * LOAD (GP 2.3 §11.6) after INSTALL [for load]. Blocks arrive in order (P2 = 00, 01, ...; P1 b8
 * marks the last). The load file is any DAP blocks (E2, checked by sd-dap.ts) followed by the
 * Load File Data Block (C4). The twin models load files instead of interpreting Java Card bytecode — its
 * convention for the Load File Data Block (tag C4) is: the C4 value is a list of length-prefixed
 * ASCII names of the applet classes the package provides (`AppletClass.name`, or
 * "security-domain"). A name the card does not know makes the load fail with 6A80.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { concat } from "../../../bytes/bytes.ts"
import { encodeTlv, tlv } from "../../../tlv/ber-tlv.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import {
  AppLifeCycle,
  ENTRIES_MAX,
  EntryKind,
  findById,
  freeId,
  newEntry,
  SECURITY_DOMAIN_CLASS,
} from "../../runtime/registry.ts"
import { LvReader } from "./lv-reader.ts"
import type { SdContext } from "./sd-context.ts"
import { checkLoadFile } from "./sd-dap.ts"
import { confirmation } from "./sd-delegated-management.ts"

/** Bound on a modelled load file (the names only; real packages are far larger). */
const LOAD_FILE_BYTES_MAX = 1024

/** Builds the C4 block of the twin's load-file convention (for hosts and tests). */
export const loadFileBlock = (classNames: ReadonlyArray<string>): Uint8Array =>
  encodeTlv(
    tlv(
      0xc4,
      concat(
        ...classNames.map((n) =>
          concat(
            Uint8Array.of(n.length),
            Uint8Array.from(n, (c) => c.charCodeAt(0)),
          ),
        ),
      ),
    ),
  )

/** The class names in a C4 value (the twin's convention above). */
const namesOf = (c4Value: Uint8Array): string[] | null => {
  const reader = new LvReader(c4Value)
  const names: string[] = []
  while (!reader.atEnd()) {
    const name = reader.next()
    if (name === null || name.length === 0) return null
    names.push(String.fromCharCode(...name))
  }
  return names.length > 0 ? names : null
}

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
  const names = namesOf(checked.block)
  const known = (n: string) => n === SECURITY_DOMAIN_CLASS || ctx.appletClasses.some((c) => c.name === n)
  if (names === null || !names.every(known)) return fail("incorrect-data")
  const id = freeId(ctx.state)
  if (id === undefined || ctx.state.entries.length >= ENTRIES_MAX) return fail("not-enough-memory")
  const entry = newEntry({ kind: EntryKind.LOAD_FILE, id, aid: loading.aid, lifeCycle: AppLifeCycle.LOADED })
  entry.sdId = loading.sdId
  entry.classNames = names
  ctx.state.entries.push(entry)
  ctx.markDirty()
  // A Delegated Management load gets its receipt here, with the last block (GP 2.2 §11.6.3.1).
  return done(confirmation(ctx, [loading.aid, findById(ctx.state, loading.sdId)?.aid ?? new Uint8Array(0)]))
}
