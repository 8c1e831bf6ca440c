// Proves load files with structure: the C4 Load File Data Block carries the eleven CAP components
// of JCVM 2.2.2 §6 in their install order, each tag and u2 size walkable by a plain loop, the
// Directory listing each one's size; INSTALL [for load] announces its SM3 hash; the card reads the
// CAP, keeps the load file with its Executable Modules in the registry and GET STATUS P1 10 shows
// them (84 per module) while P1 40 shows the instance with its load file (C4); and each planted
// defect (a Directory size, the order, the magic, an applet's install offset, a module the card has
// no class for, a wrong hash, a module the load file lacks) is refused.
import { describe, expect, it } from "vitest"
import { bytesToUint, concat } from "../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import { loadFileBlock } from "../../../model/card/applets/security-domain/sd-load.ts"
import { buildCap } from "../../../model/card/load-file/cap-build.ts"
import { CapTag } from "../../../model/card/load-file/cap-format.ts"
import { readCap } from "../../../model/card/load-file/cap-read.ts"
import { NFC_SIM } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import {
  getStatus,
  installForInstall,
  installForLoad,
  loadBlocks,
  parseGetStatus,
} from "../../../model/host/gp/gp-commands.ts"
import { decodeTlv, encodeTlv, tlv } from "../../../model/tlv/ber-tlv.ts"
import { counterApplet } from "./fixtures/counter-applet.ts"
import { newCard, open, selectAid } from "./fixtures/gp-script.ts"

const crypto = nativeCrypto
const PACKAGE_AID = hex("F00000000101")
const APP_AID = hex("F0000000010101AA")
const SECOND_MODULE = hex("F0000000010102")

/** Splits a block into [tag, size, info] with nothing but the spec's `u1 tag, u2 size` rule. */
const walk = (block: Uint8Array): Array<[number, number, Uint8Array]> => {
  const out: Array<[number, number, Uint8Array]> = []
  for (let at = 0; at < block.length; ) {
    const size = (block[at + 1]! << 8) | block[at + 2]!
    out.push([block[at]!, size, block.subarray(at + 3, at + 3 + size)])
    at += 3 + size
  }
  return out
}

const cap = () =>
  buildCap({
    packageAid: PACKAGE_AID,
    packageName: "cn/gyt/test",
    appletAids: [counterApplet.moduleAid, SECOND_MODULE],
  })

/** The same CAP with one component's info replaced (its size field follows). */
const withComponent = (block: Uint8Array, tag: number, edit: (info: Uint8Array) => Uint8Array) =>
  concat(
    ...walk(block).map(([t, , info]) => {
      const next = t === tag ? edit(info.slice()) : info
      return concat(Uint8Array.of(t, next.length >> 8, next.length & 0xff), next)
    }),
  )

describe("CAP components of a load file", () => {
  it("come in JCVM §6.2 order with sizes the Directory lists, and read back as built", () => {
    const block = cap()
    const parts = walk(block)
    expect(parts.map(([t]) => t)).toEqual([1, 2, 4, 3, 6, 7, 8, 10, 5, 9, 11])
    expect(parts.reduce((n, [, size]) => n + 3 + size, 0)).toBe(block.length)
    const directory = parts[1]![2]
    for (const [tag, size] of parts) expect(bytesToUint(directory, 2 * (tag - 1), 2)).toBe(size)
    expect(bytesToUint(directory, 2 * 11, 2)).toBe(0) // no Debug component
    const header = parts[0]![2]
    expect(toHex(header.subarray(0, 4))).toBe("DECAFFED")
    const read = unwrap(readCap(block), "readCap")
    expect(toHex(read.packageAid)).toBe(toHex(PACKAGE_AID))
    expect(read.packageName).toBe("cn/gyt/test")
    expect(read.appletAids.map(toHex)).toEqual([toHex(counterApplet.moduleAid), toHex(SECOND_MODULE)])
  })

  it("are refused when a Directory size, the order, the magic, an install offset or a reference is wrong", () => {
    const block = cap()
    const sizeOff = withComponent(block, CapTag.DIRECTORY, (d) => {
      d[2 * (CapTag.METHOD - 1) + 1]! ^= 1
      return d
    })
    expect(readCap(sizeOff)).toEqual({ ok: false, error: "directory-mismatch" })
    const parts = walk(block).map(([t, , info]) =>
      concat(Uint8Array.of(t, info.length >> 8, info.length & 0xff), info),
    )
    const swapped = concat(parts[0]!, parts[1]!, parts[3]!, parts[2]!, ...parts.slice(4))
    expect(readCap(swapped).ok).toBe(false)
    expect(readCap(concat(...parts.filter((_, i) => i !== 5)))).toEqual({
      ok: false,
      error: "missing-component",
    })
    const badMagic = withComponent(block, CapTag.HEADER, (h) => {
      h[0] = 0xca
      return h
    })
    expect(readCap(badMagic)).toEqual({ ok: false, error: "header" })
    const farInstall = withComponent(block, CapTag.APPLET, (a) => {
      a[1 + 1 + a[1]!] = 0x7f // install_method_offset high byte of the first applet
      return a
    })
    expect(readCap(farInstall)).toEqual({ ok: false, error: "applet" })
    const farReference = withComponent(block, CapTag.REFERENCE_LOCATION, (r) => {
      r[r.length - 1] = 254 // the last byte2 location past the Method component
      return r
    })
    expect(readCap(farReference)).toEqual({ ok: false, error: "reference-location" })
    expect(readCap(block.subarray(0, block.length - 1))).toEqual({ ok: false, error: "truncated" })
  })
})

describe("a structured load file on the card", () => {
  const load = (block: Uint8Array, hash = crypto.sm3(block)) => {
    const card = newCard(NFC_SIM, crypto)
    selectAid(card, NFC_SIM.isdAid)
    const isd = open(card, NFC_SIM, crypto, 1, 0x20, 0x03)
    const c4 = encodeTlv(tlv(0xc4, block))
    const forLoad = unwrap(isd.send(installForLoad(PACKAGE_AID, new Uint8Array(0), hash)), "for load").sw
    const sws = loadBlocks(c4, 64).map((b) => unwrap(isd.send(b), "LOAD").sw)
    return { card, isd, forLoad, lastSw: sws.at(-1)! }
  }

  it("is kept with its modules: GET STATUS 10 lists them, 40 the instance and its load file", () => {
    const block = buildCap({
      packageAid: PACKAGE_AID,
      packageName: "cn/gyt/test",
      appletAids: [counterApplet.moduleAid],
    })
    const { isd, forLoad, lastSw } = load(block)
    expect([forLoad, lastSw]).toEqual([0x9000, 0x9000])
    const install = installForInstall({
      loadFileAid: PACKAGE_AID,
      moduleAid: counterApplet.moduleAid,
      aid: APP_AID,
      privileges: 0,
    })
    expect(unwrap(isd.send(install), "install").sw).toBe(0x9000)
    const files = unwrap(parseGetStatus(unwrap(isd.send(getStatus(0x10)), "status 10").data), "parse")
    const file = files.find((e) => toHex(e.aid) === toHex(PACKAGE_AID))
    expect(file?.lifeCycle).toBe(0x01)
    expect(file?.modules.map(toHex)).toEqual([toHex(counterApplet.moduleAid)])
    const sdFile = files.find((e) => toHex(e.aid) === "A0000001515350")
    expect(sdFile?.modules.map(toHex)).toEqual(["A000000151535041"])
    const apps = unwrap(parseGetStatus(unwrap(isd.send(getStatus(0x40)), "status 40").data), "parse")
    const app = apps.find((e) => toHex(e.aid) === toHex(APP_AID))
    expect(app && toHex(app.loadFile ?? new Uint8Array(0))).toBe(toHex(PACKAGE_AID))
    // GET STATUS 20 lists the same load file without its modules.
    const bare = unwrap(parseGetStatus(unwrap(isd.send(getStatus(0x20)), "status 20").data), "parse")
    expect(bare.every((e) => e.modules.length === 0)).toBe(true)
  })

  it("refuses a malformed CAP, a module without a class, a wrong hash and a module it lacks", () => {
    const good = buildCap({
      packageAid: PACKAGE_AID,
      packageName: "cn/gyt/test",
      appletAids: [counterApplet.moduleAid],
    })
    const broken = withComponent(good, CapTag.DIRECTORY, (d) => {
      d[1] = d[1]! ^ 1
      return d
    })
    expect(load(broken).lastSw).toBe(0x6a80)
    const unknown = buildCap({
      packageAid: PACKAGE_AID,
      packageName: "cn/gyt/x",
      appletAids: [SECOND_MODULE],
    })
    expect(load(unknown).lastSw).toBe(0x6a80)
    expect(load(good, crypto.sm3(unknown)).lastSw).toBe(0x6a80)
    const { isd } = load(good)
    const other = installForInstall({
      loadFileAid: PACKAGE_AID,
      moduleAid: SECOND_MODULE,
      aid: APP_AID,
      privileges: 0,
    })
    expect(unwrap(isd.send(other), "install").sw).toBe(0x6a88)
  })

  it("is what loadFileBlock builds for shipped classes by name", () => {
    const c4 = loadFileBlock(["pboc-payment", "pboc-ppse"], hex("A0000003330101"))
    const decoded = unwrap(decodeTlv(c4), "C4")
    expect(decoded.map((t) => t.tag)).toEqual([0xc4])
    const read = unwrap(readCap(decoded[0]!.value), "read")
    expect(read.appletAids.map(toHex)).toEqual(["A00000033301010000", "A0000003335050534500"])
    expect(() => loadFileBlock(["no-such-class"])).toThrow(/module AID/)
  })
})
