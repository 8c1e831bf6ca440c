/**
 * INSTALL (GP 2.3 §11.5): [for load], [for install] (with or without make selectable),
 * [for make selectable], [for extradition] and [for personalization]. A Delegated Management
 * domain needs the card issuer's token in the last field and gets a receipt for install and
 * extradition (sd-delegated-management.ts; its load receipt comes with the last LOAD); every other
 * answer is the single byte 00 (no receipt; GP 2.3 §11.5.3.1).
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { bytesToUint } from "../../../bytes/bytes.ts"
import { decodeTlv, findTag } from "../../../tlv/ber-tlv.ts"
import { SECURITY_DOMAIN_MODULE_AID } from "../../runtime/issuance.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import {
  AppLifeCycle,
  ENTRIES_MAX,
  EntryKind,
  findByAid,
  freeId,
  isLocked,
  isSecurityDomain,
  newEntry,
  Privilege,
  type RegistryEntry,
  SECURITY_DOMAIN_CLASS,
  sameAid,
} from "../../runtime/registry.ts"
import { LvReader } from "./lv-reader.ts"
import { reaches } from "./sd-authority.ts"
import type { SdContext } from "./sd-context.ts"
import { authorize, confirmation, tokenData } from "./sd-delegated-management.ts"

const NO_RECEIPT = Uint8Array.of(0x00)
const P1 = {
  LOAD: 0x02,
  INSTALL: 0x04,
  MAKE_SELECTABLE: 0x08,
  INSTALL_SELECTABLE: 0x0c,
  EXTRADITION: 0x10,
  PERSONALIZATION: 0x20,
}

const fields = (data: Uint8Array, count: number): Uint8Array[] | null => {
  const reader = new LvReader(data)
  const out: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const field = reader.next()
    if (field === null) return i === count - 1 ? [...out, new Uint8Array(0)] : null
    out.push(field)
  }
  return reader.atEnd() ? out : null
}

const validAid = (aid: Uint8Array): boolean => aid.length >= 5 && aid.length <= 16

/** The data fields before the last (token) field: what the token signs (GP 2.2 Annex C.3). */
const beforeToken = (data: Uint8Array, count: number): Uint8Array => {
  const reader = new LvReader(data)
  for (let i = 0; i < count - 1; i++) reader.next()
  return data.subarray(0, reader.position)
}

export const install = (ctx: SdContext, command: CommandApdu): Reply => {
  if (command.p2 !== 0x00) return fail("incorrect-p1p2")
  // [for load] and [for extradition] have five fields, the others six, the token last (§11.5.2.3).
  const count = command.p1 === P1.LOAD || command.p1 === P1.EXTRADITION ? 5 : 6
  const f = fields(command.data, count)
  if (f === null) return fail("incorrect-data")
  if (command.p1 !== P1.PERSONALIZATION) {
    const signed = tokenData(command.p1, command.p2, beforeToken(command.data, count))
    const denied = authorize(ctx, signed, f[count - 1]!)
    if (denied !== null) return fail(denied)
  }
  switch (command.p1) {
    case P1.LOAD:
      return installForLoad(ctx, f)
    case P1.INSTALL:
    case P1.INSTALL_SELECTABLE:
      return installForInstall(ctx, f, command.p1 === P1.INSTALL_SELECTABLE)
    case P1.MAKE_SELECTABLE:
      return makeSelectable(ctx, f)
    case P1.EXTRADITION:
      return extradite(ctx, f)
    case P1.PERSONALIZATION:
      return forPersonalization(ctx, f)
    default:
      return fail("incorrect-p1p2")
  }
}

const installForLoad = (ctx: SdContext, f: Uint8Array[]): Reply => {
  const [aid, sdAid, hash] = f as [Uint8Array, Uint8Array, Uint8Array]
  if (!validAid(aid)) return fail("incorrect-data")
  if (findByAid(ctx.state, aid) !== undefined) return fail("conditions-not-satisfied")
  const sd = sdAid.length === 0 ? ctx.sd : findByAid(ctx.state, sdAid)
  if (sd === undefined || !isSecurityDomain(sd)) return fail("referenced-data-not-found")
  if (hash.length !== 0 && hash.length !== 32) return fail("incorrect-data")
  ctx.channel.loading = { aid: aid.slice(), sdId: sd.id, nextBlock: 0, received: [], hash: hash.slice() }
  return done(NO_RECEIPT)
}

const privilegesOf = (field: Uint8Array): number | null =>
  field.length === 1
    ? field[0]! << 16
    : field.length === 3
      ? bytesToUint(field)
      : field.length === 0
        ? 0
        : null

/** The C9 application-specific parameters inside the install-parameters field (§11.5.2.3.7). */
const c9Of = (params: Uint8Array): Uint8Array | null => {
  if (params.length === 0) return new Uint8Array(0)
  const decoded = decodeTlv(params)
  if (!decoded.ok) return null
  return findTag(decoded.value, 0xc9)?.value ?? new Uint8Array(0)
}

const installForInstall = (ctx: SdContext, f: Uint8Array[], selectable: boolean): Reply => {
  const [lfAid, moduleAid, appAid, priv, params] = f as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ]
  const privileges = privilegesOf(priv)
  const c9 = c9Of(params)
  if (privileges === null || c9 === null || !validAid(appAid)) return fail("incorrect-data")
  const loadFile = findByAid(ctx.state, lfAid)
  if (loadFile === undefined || loadFile.kind !== EntryKind.LOAD_FILE)
    return fail("referenced-data-not-found")
  if (findByAid(ctx.state, appAid) !== undefined) return fail("conditions-not-satisfied")
  const id = freeId(ctx.state)
  if (id === undefined || ctx.state.entries.length >= ENTRIES_MAX) return fail("not-enough-memory")
  const lifeCycle = selectable ? AppLifeCycle.SELECTABLE : AppLifeCycle.INSTALLED
  const base = { id, aid: appAid.slice(), lifeCycle, privileges, sdId: ctx.sd.id, loadFileId: loadFile.id }
  // The module must be one the load file's Applet component listed (GP 2.3 §11.5.2.3.2).
  if (!loadFile.moduleAids.some((m) => sameAid(m, moduleAid))) return fail("referenced-data-not-found")
  if (sameAid(moduleAid, SECURITY_DOMAIN_MODULE_AID)) {
    if ((privileges & Privilege.SECURITY_DOMAIN) === 0) return fail("incorrect-data")
    ctx.state.entries.push(newEntry({ ...base, kind: EntryKind.SSD, classNames: [SECURITY_DOMAIN_CLASS] }))
    ctx.markDirty()
    return done(confirmation(ctx, [lfAid, appAid]))
  }
  const cls = ctx.appletClasses.find((c) => sameAid(c.moduleAid, moduleAid))
  if (cls === undefined) return fail("referenced-data-not-found")
  if ((privileges & Privilege.SECURITY_DOMAIN) !== 0) return fail("incorrect-data")
  const initial = cls.install({ aid: appAid.slice(), crypto: ctx.crypto, entropy: ctx.entropy }, c9)
  if (!initial.ok) return { data: new Uint8Array(0), sw: initial.error }
  if (initial.value.length > cls.stateBytesMax)
    throw new RangeError(`${cls.name} install state exceeds its bound`)
  ctx.state.entries.push(
    newEntry({ ...base, kind: EntryKind.APPLICATION, classNames: [cls.name], state: initial.value }),
  )
  ctx.markDirty()
  return done(confirmation(ctx, [lfAid, appAid]))
}

const instanceOf = (ctx: SdContext, aid: Uint8Array): RegistryEntry | undefined => {
  const entry = findByAid(ctx.state, aid)
  return entry !== undefined && (entry.kind === EntryKind.APPLICATION || entry.kind === EntryKind.SSD)
    ? entry
    : undefined
}

const makeSelectable = (ctx: SdContext, f: Uint8Array[]): Reply => {
  const entry = instanceOf(ctx, f[2]!)
  if (entry === undefined) return fail("referenced-data-not-found")
  if (!reaches(ctx, entry)) return fail("security-status")
  if (entry.lifeCycle !== AppLifeCycle.INSTALLED) return fail("conditions-not-satisfied")
  entry.lifeCycle = AppLifeCycle.SELECTABLE
  ctx.markDirty()
  return done(NO_RECEIPT)
}

const extradite = (ctx: SdContext, f: Uint8Array[]): Reply => {
  const target = findByAid(ctx.state, f[0]!)
  const entry = instanceOf(ctx, f[2]!)
  if (target === undefined || !isSecurityDomain(target) || entry === undefined)
    return fail("referenced-data-not-found")
  if (!reaches(ctx, entry) || entry.id === target.id) return fail("conditions-not-satisfied")
  entry.sdId = target.id
  ctx.markDirty()
  return done(confirmation(ctx, [target.aid, entry.aid]))
}

const forPersonalization = (ctx: SdContext, f: Uint8Array[]): Reply => {
  const entry = instanceOf(ctx, f[2]!)
  if (entry === undefined) return fail("referenced-data-not-found")
  if (!reaches(ctx, entry) || isLocked(entry.lifeCycle)) return fail("conditions-not-satisfied")
  const cls = ctx.appletClasses.find((c) => c.name === entry.classNames[0])
  ctx.channel.personalization = { targetId: entry.id, nextBlock: 0, session: cls?.newSession() }
  return done(NO_RECEIPT)
}
