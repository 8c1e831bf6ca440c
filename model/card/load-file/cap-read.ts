/**
 * The card's reader of a Load File Data Block (GP 2.3 §11.6.2.2, the C4 value): the CAP components
 * of Java Card 2.2.2 VM Specification Chapter 6, each `u1 tag, u2 size, info[size]`, in the order
 * of §6.2. It checks what a card's installer checks before linking: the order and completeness of
 * the components, the Header's magic and CAP version, that the Directory's sizes, import count and
 * applet count agree with the components that came, that every applet's install method and every
 * Reference Location offset lies inside the Method component. It answers the package AID and
 * version and the applet AIDs — the Executable Modules GP's registry keeps (GP 2.3 §5.1.1).
 * It does not verify or link bytecode: the twin binds a module AID to one of its TypeScript
 * applet classes (sd-load.ts).
 */
import { bytesToUint } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import {
  AID_BYTES_MAX,
  AID_BYTES_MIN,
  CAP_MAGIC,
  CAP_ORDER,
  CAP_VERSION,
  CapTag,
  DIRECTORY_SIZES,
} from "./cap-format.ts"

export interface CapContents {
  readonly packageAid: Uint8Array
  readonly packageVersion: { readonly major: number; readonly minor: number }
  readonly packageName: string
  /** The applet AIDs of the Applet component, in order (GP's Executable Module AIDs). */
  readonly appletAids: ReadonlyArray<Uint8Array>
  /** The tags of the components present, in order. */
  readonly tags: ReadonlyArray<CapTag>
}

export type CapError =
  | "truncated"
  | "component-order"
  | "missing-component"
  | "header"
  | "directory-mismatch"
  | "applet"
  | "reference-location"

/** Splits the block into its components, checking the order of §6.2. */
const componentsOf = (block: Uint8Array): Result<Map<CapTag, Uint8Array>, CapError> => {
  const found = new Map<CapTag, Uint8Array>()
  let at = 0
  let orderIndex = 0
  while (at < block.length) {
    if (at + 3 > block.length) return err("truncated")
    const tag = block[at]! as CapTag
    const size = bytesToUint(block, at + 1, 2)
    if (at + 3 + size > block.length) return err("truncated")
    while (orderIndex < CAP_ORDER.length && CAP_ORDER[orderIndex]!.tag !== tag) {
      if (!CAP_ORDER[orderIndex]!.optional) return err("missing-component")
      orderIndex++
    }
    if (orderIndex === CAP_ORDER.length) return err("component-order")
    orderIndex++
    found.set(tag, block.subarray(at + 3, at + 3 + size))
    at += 3 + size
  }
  if (CAP_ORDER.slice(orderIndex).some((c) => !c.optional)) return err("missing-component")
  return ok(found)
}

const validAid = (length: number | undefined): boolean =>
  length !== undefined && length >= AID_BYTES_MIN && length <= AID_BYTES_MAX

/** The Header (§6.3): magic, CAP version, flags, package_info, package_name_info (CAP ≥ 2.2). */
const readHeader = (info: Uint8Array): Omit<CapContents, "appletAids" | "tags"> | null => {
  if (info.length < 11 || bytesToUint(info, 0, 4) !== CAP_MAGIC) return null
  if (info[5] !== CAP_VERSION.major || info[4]! > CAP_VERSION.minor) return null
  const aidLength = info[9]
  if (!validAid(aidLength) || 10 + aidLength! + 1 > info.length) return null
  const nameLength = info[10 + aidLength!]!
  if (11 + aidLength! + nameLength !== info.length) return null
  const name = info.subarray(11 + aidLength!)
  return {
    packageAid: info.slice(10, 10 + aidLength!),
    packageVersion: { minor: info[7]!, major: info[8]! },
    packageName: String.fromCharCode(...name),
  }
}

/** The Applet component (§6.5): count, then AID_length, AID, install_method_offset per applet. */
const readApplets = (info: Uint8Array | undefined, methodBytes: number): Uint8Array[] | null => {
  if (info === undefined) return []
  const out: Uint8Array[] = []
  let at = 1
  for (let i = 0; i < (info[0] ?? 0); i++) {
    const length = info[at]
    if (!validAid(length) || at + 1 + length! + 2 > info.length) return null
    if (bytesToUint(info, at + 1 + length!, 2) >= methodBytes) return null
    out.push(info.slice(at + 1, at + 1 + length!))
    at += 1 + length! + 2
  }
  return at === info.length && out.length > 0 ? out : null
}

/** The Directory (§6.4) against what came: 12 sizes, static field sizes, import and applet counts. */
const directoryAgrees = (c: Map<CapTag, Uint8Array>, appletCount: number): boolean => {
  const dir = c.get(CapTag.DIRECTORY)!
  if (dir.length < 2 * DIRECTORY_SIZES + 9) return false
  for (let tag = 1; tag <= DIRECTORY_SIZES; tag++) {
    if (bytesToUint(dir, 2 * (tag - 1), 2) !== (c.get(tag as CapTag)?.length ?? 0)) return false
  }
  const counts = 2 * DIRECTORY_SIZES + 6
  const imports = c.get(CapTag.IMPORT)!
  return dir[counts] === imports[0] && dir[counts + 1] === appletCount
}

/** Every byte2 location of the Reference Location (§6.11) lies inside the Method component. */
const referencesInside = (info: Uint8Array, methodBytes: number): boolean => {
  if (info.length < 4) return false
  const byteCount = bytesToUint(info, 0, 2)
  const byte2At = 2 + byteCount
  if (byte2At + 2 > info.length) return false
  const byte2Count = bytesToUint(info, byte2At, 2)
  if (byte2At + 2 + byte2Count !== info.length) return false
  for (const [start, count, width] of [
    [2, byteCount, 1],
    [byte2At + 2, byte2Count, 2],
  ] as const) {
    let offset = 0
    for (let i = 0; i < count; i++) {
      offset += info[start + i]!
      if (info[start + i]! !== 255 && offset + width > methodBytes) return false
    }
  }
  return true
}

export const readCap = (block: Uint8Array): Result<CapContents, CapError> => {
  const components = componentsOf(block)
  if (!components.ok) return components
  const c = components.value
  const header = readHeader(c.get(CapTag.HEADER)!)
  if (header === null) return err("header")
  const methodBytes = c.get(CapTag.METHOD)!.length
  const appletAids = readApplets(c.get(CapTag.APPLET), methodBytes)
  if (appletAids === null) return err("applet")
  if (!directoryAgrees(c, appletAids.length)) return err("directory-mismatch")
  if (!referencesInside(c.get(CapTag.REFERENCE_LOCATION)!, methodBytes)) return err("reference-location")
  return ok({ ...header, appletAids, tags: [...c.keys()] })
}
