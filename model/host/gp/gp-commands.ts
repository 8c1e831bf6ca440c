/**
 * Builders for the GP card-management commands a TSM sends (GP 2.3 Chapter 11), as plain
 * channel-0 APDUs for `GpSession.send` to wrap, and the GET STATUS parser.
 */
import { type CommandApdu, command } from "../../apdu/command.ts"
import { concat, uintToBytes } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { kcvAes, kcvDes, kcvSm4 } from "../../crypto/kcv.ts"
import { decodeTlv, findTag, type TlvError } from "../../tlv/ber-tlv.ts"
import { encodeDgi } from "../../tlv/dgi.ts"

const lv = (value: Uint8Array): Uint8Array => concat(Uint8Array.of(value.length), value)
const EMPTY = new Uint8Array(0)

/** INSTALL [for load]; `hash` is the Load File Data Block hash a DAP signs (host/gp/dap.ts). */
export const installForLoad = (
  loadFileAid: Uint8Array,
  sdAid: Uint8Array = EMPTY,
  hash: Uint8Array = EMPTY,
): CommandApdu =>
  command(0x80, 0xe6, 0x02, 0x00, concat(lv(loadFileAid), lv(sdAid), lv(hash), lv(EMPTY), lv(EMPTY)), 256)

/** LOAD blocks of at most `blockBytes` (GP 2.3 §11.6.2), P1 80 on the last. */
export const loadBlocks = (loadFile: Uint8Array, blockBytes = 200): CommandApdu[] => {
  const blocks: CommandApdu[] = []
  for (let at = 0, n = 0; at < loadFile.length; at += blockBytes, n++) {
    const last = at + blockBytes >= loadFile.length
    blocks.push(command(0x80, 0xe8, last ? 0x80 : 0x00, n, loadFile.subarray(at, at + blockBytes), 256))
  }
  return blocks
}

export interface InstallRequest {
  readonly loadFileAid: Uint8Array
  readonly moduleAid: Uint8Array
  readonly aid: Uint8Array
  /** 3-byte privileges as a number (GP 2.3 Table 6-1). */
  readonly privileges: number
  /** C9 content (application-specific install parameters). */
  readonly params?: Uint8Array
  readonly selectable?: boolean
}

export const installForInstall = (r: InstallRequest): CommandApdu => {
  const params = concat(Uint8Array.of(0xc9, (r.params ?? EMPTY).length), r.params ?? EMPTY)
  const data = concat(
    lv(r.loadFileAid),
    lv(r.moduleAid),
    lv(r.aid),
    lv(uintToBytes(r.privileges, 3)),
    lv(params),
    lv(EMPTY),
  )
  return command(0x80, 0xe6, r.selectable === false ? 0x04 : 0x0c, 0x00, data, 256)
}

export const installForPersonalization = (aid: Uint8Array): CommandApdu =>
  command(0x80, 0xe6, 0x20, 0x00, concat(lv(EMPTY), lv(EMPTY), lv(aid), lv(EMPTY), lv(EMPTY), lv(EMPTY)), 256)

export type HostKeyType = 0x80 | 0x88 | 0x8a

/**
 * PUT KEY for a new (oldKvn 0) or replaced key set of ENC, MAC, DEK, each encrypted by
 * `encrypt` (the session's DEK cipher) and followed by its KCV (GP 2.3 §11.8.2.3; Amd D §7.2).
 */
export const putKey = (
  crypto: Crypto,
  encrypt: (data: Uint8Array) => Uint8Array,
  type: HostKeyType,
  oldKvn: number,
  newKvn: number,
  keys: { enc: Uint8Array; mac: Uint8Array; dek: Uint8Array },
): CommandApdu => {
  const component = (key: Uint8Array): Uint8Array => {
    const kcv =
      type === 0x80 ? kcvDes(crypto, key) : type === 0x88 ? kcvAes(crypto, key) : kcvSm4(crypto, key)
    const body = type === 0x80 ? encrypt(key) : concat(Uint8Array.of(key.length), encrypt(key))
    return concat(Uint8Array.of(type, body.length), body, Uint8Array.of(kcv.length), kcv)
  }
  const data = concat(Uint8Array.of(newKvn), component(keys.enc), component(keys.mac), component(keys.dek))
  return command(0x80, 0xd8, oldKvn, 0x81, data, 256)
}

/**
 * STORE DATA with DGIs (GP 2.3 §11.11; P1 b4-b5 = 01 DGI format, b6-b7 = 11 encrypted when
 * `encrypt` is given: the DGI value must then be a whole number of cipher blocks).
 */
export const storeDataDgi = (
  block: number,
  last: boolean,
  dgi: number,
  value: Uint8Array,
  encrypt?: (data: Uint8Array) => Uint8Array,
): CommandApdu => {
  const p1 = (last ? 0x80 : 0x00) | 0x08 | (encrypt === undefined ? 0x00 : 0x60)
  return command(0x80, 0xe2, p1, block, encodeDgi(dgi, encrypt === undefined ? value : encrypt(value)), 256)
}

export const deleteAid = (aid: Uint8Array, related = false): CommandApdu =>
  command(0x80, 0xe4, 0x00, related ? 0x80 : 0x00, concat(Uint8Array.of(0x4f, aid.length), aid), 256)

export const setStatus = (p1: 0x40 | 0x80 | 0xc0, state: number, aid: Uint8Array): CommandApdu =>
  command(0x80, 0xf0, p1, state, aid)

export const getStatus = (p1: 0x80 | 0x40 | 0x20 | 0x10, next = false): CommandApdu =>
  command(0x80, 0xf2, p1, next ? 0x03 : 0x02, Uint8Array.of(0x4f, 0x00), 256)

export interface StatusEntry {
  readonly aid: Uint8Array
  readonly lifeCycle: number
  readonly privileges: number | null
  readonly associatedSd: Uint8Array | null
  /** C4: the load file an application or SSD came from. */
  readonly loadFile: Uint8Array | null
  /** 84: the Executable Module AIDs of a load file (GET STATUS P1 10 only). */
  readonly modules: ReadonlyArray<Uint8Array>
}

/** Parses the E3 templates of a TLV-format GET STATUS response (GP 2.3 Table 11-36). */
export const parseGetStatus = (data: Uint8Array): Result<StatusEntry[], TlvError | "missing-field"> => {
  const decoded = decodeTlv(data)
  if (!decoded.ok) return err(decoded.error)
  const out: StatusEntry[] = []
  for (const e3 of decoded.value) {
    const children = e3.children ?? []
    const aid = findTag(children, 0x4f)?.value
    const lifeCycle = findTag(children, 0x9f70)?.value[0]
    if (e3.tag !== 0xe3 || aid === undefined || lifeCycle === undefined) return err("missing-field")
    const c5 = findTag(children, 0xc5)?.value
    const privileges = c5 === undefined || c5.length !== 3 ? null : (c5[0]! << 16) | (c5[1]! << 8) | c5[2]!
    out.push({
      aid,
      lifeCycle,
      privileges,
      associatedSd: findTag(children, 0xcc)?.value ?? null,
      loadFile: findTag(children, 0xc4)?.value ?? null,
      modules: children.filter((c) => c.tag === 0x84).map((c) => c.value),
    })
  }
  return ok(out)
}

/**
 * BEGIN R-MAC SESSION (SCP02, GP 2.2 Annex E.5): P1 10 asks for an R-MAC on every response from
 * this one on; the host data (1-24 bytes, LV-coded) is folded into the first R-MAC.
 */
export const beginRmacSession = (hostData: Uint8Array): CommandApdu =>
  command(0x80, 0x7a, 0x10, 0x00, lv(hostData), 256)

/** END R-MAC SESSION (SCP02): P2 03 returns the last R-MAC and ends the session, 01 only returns it. */
export const endRmacSession = (end: boolean): CommandApdu =>
  command(0x80, 0x78, 0x00, end ? 0x03 : 0x01, EMPTY, 256)
