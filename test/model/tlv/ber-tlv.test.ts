// Proves the BER-TLV codec: encode∘decode is the identity on random trees, random bytes never make
// the decoder throw, each error code carries the offset of the field it names, and the builders
// (tlv, constructed, findTag, tagBytes) keep the tree and its bytes consistent.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { equals } from "../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import {
  constructed,
  decodeTlv,
  encodeTlv,
  findTag,
  isConstructedTag,
  lengthBytes,
  type Tlv,
  tagBytes,
  tlv,
} from "../../../model/tlv/ber-tlv.ts"
import { TLV_DEPTH_MAX } from "../../../model/tlv/tlv-limits.ts"
import { tlvTreeArb } from "./tlv-arbitraries.ts"

/** Structural equality of two trees, comparing value bytes rather than array identity. */
const sameTree = (a: ReadonlyArray<Tlv>, b: ReadonlyArray<Tlv>): boolean =>
  a.length === b.length &&
  a.every((x, i) => {
    const y = b[i]!
    if (x.tag !== y.tag || !equals(x.value, y.value)) return false
    if ((x.children === undefined) !== (y.children === undefined)) return false
    return x.children === undefined || sameTree(x.children, y.children!)
  })

const errorOf = (input: string) => {
  const result = decodeTlv(hex(input))
  return result.ok ? undefined : { code: result.error.code, offset: result.error.offset }
}

describe("BER-TLV properties", () => {
  it("decode(encode(tree)) = tree for random trees (multi-byte tags, constructed, long lengths)", () => {
    fc.assert(
      fc.property(tlvTreeArb, (tree) => {
        const decoded = decodeTlv(encodeTlv(tree))
        return decoded.ok && sameTree(decoded.value, tree)
      }),
      { numRuns: 1000 },
    )
  })

  it("encode(decode(bytes)) = bytes when the bytes use minimal lengths", () => {
    fc.assert(
      fc.property(tlvTreeArb, (tree) => {
        const bytes = encodeTlv(tree)
        const decoded = decodeTlv(bytes)
        return decoded.ok && equals(encodeTlv(decoded.value), bytes)
      }),
      { numRuns: 1000 },
    )
  })

  it("never throws on random bytes, and any error offset lies inside the input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = decodeTlv(bytes)
        return result.ok || (result.error.offset >= 0 && result.error.offset <= bytes.length)
      }),
      { numRuns: 5000 },
    )
  })

  it("never throws on truncations and single-byte corruptions of valid encodings", () => {
    fc.assert(
      fc.property(tlvTreeArb, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (tree, cut, at, byte) => {
        const bytes = encodeTlv(tree)
        const truncated = bytes.subarray(0, bytes.length === 0 ? 0 : cut % bytes.length)
        const corrupted = bytes.slice()
        if (corrupted.length > 0) corrupted[at % corrupted.length] = byte
        decodeTlv(truncated)
        decodeTlv(corrupted)
        return true
      }),
      { numRuns: 1000 },
    )
  })
})

describe("BER-TLV errors name the field and its offset", () => {
  it("truncated_tag at the first tag byte, also inside a constructed value", () => {
    expect(errorOf("9C009F")).toEqual({ code: "truncated_tag", offset: 2 })
    expect(errorOf("5F8182")).toEqual({ code: "truncated_tag", offset: 0 })
    expect(errorOf("E0019F0001FF")).toEqual({ code: "truncated_tag", offset: 2 })
  })

  it("truncated_length where the length field starts", () => {
    expect(errorOf("9C")).toEqual({ code: "truncated_length", offset: 1 })
    expect(errorOf("9F0282")).toEqual({ code: "truncated_length", offset: 2 })
    expect(errorOf("9F028201")).toEqual({ code: "truncated_length", offset: 2 })
    expect(errorOf("E0029C8101FF")).toEqual({ code: "truncated_length", offset: 3 })
  })

  it("truncated_value at the first value byte", () => {
    expect(errorOf("9C0201")).toEqual({ code: "truncated_value", offset: 2 })
    expect(errorOf(`70820100${"00".repeat(255)}`)).toEqual({ code: "truncated_value", offset: 4 })
    expect(errorOf("E0039C8101C001FF")).toEqual({ code: "truncated_value", offset: 5 })
  })

  it("unsupported_length_form for 80 and 85-FF", () => {
    expect(errorOf("9C80")).toEqual({ code: "unsupported_length_form", offset: 1 })
    expect(errorOf("9F0285000000000101")).toEqual({ code: "unsupported_length_form", offset: 2 })
    expect(errorOf("9CFF")).toEqual({ code: "unsupported_length_form", offset: 1 })
  })

  it("reports the first error in a left-to-right, depth-first parse", () => {
    // The constructed E0 holds a truncated length; the later 80 form is never reached.
    expect(errorOf("E0029C819C80")).toEqual({ code: "truncated_length", offset: 3 })
  })

  it("refuses tags over four bytes and nesting over the depth bound", () => {
    expect(errorOf("DF81818101FF")).toEqual({ code: "tag_too_long", offset: 0 })
    let nested = "E000"
    for (let depth = 1; depth <= TLV_DEPTH_MAX; depth++) {
      nested = `E0${toHex(lengthBytes(nested.length / 2))}${nested}`
    }
    expect(errorOf(nested)?.code).toBe("nesting_too_deep")
    const shallow = nested.slice(nested.indexOf("E000") - 4)
    expect(decodeTlv(hex(shallow)).ok).toBe(true)
  })

  it("messages say what is wrong and where", () => {
    const result = decodeTlv(hex("9C0201"))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toMatch(/length 2 exceeds .* at offset 2/)
  })
})

describe("BER-TLV builders", () => {
  it("tagBytes writes the tag big-endian and refuses malformed tags", () => {
    expect(toHex(tagBytes(0x70))).toBe("70")
    expect(toHex(tagBytes(0x9f02))).toBe("9F02")
    expect(toHex(tagBytes(0xbf0c))).toBe("BF0C")
    expect(toHex(tagBytes(0xdf8101))).toBe("DF8101")
    expect(() => tagBytes(0x9f)).toThrow(RangeError)
    expect(() => tagBytes(0x1234)).toThrow(RangeError)
    expect(() => tagBytes(0x9f81)).toThrow(RangeError)
    expect(() => tagBytes(-1)).toThrow(RangeError)
  })

  it("isConstructedTag reads bit 6 of the first tag byte", () => {
    expect([0x70, 0xe3, 0xbf0c, 0x61, 0xa5].map(isConstructedTag)).toEqual([true, true, true, true, true])
    expect([0x4f, 0x9f70, 0x5a, 0xc5, 0xdf8101].map(isConstructedTag)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ])
  })

  it("lengthBytes picks the minimal form at each boundary", () => {
    const cases: ReadonlyArray<[number, string]> = [
      [0, "00"],
      [0x7f, "7F"],
      [0x80, "8180"],
      [0xff, "81FF"],
      [0x100, "820100"],
      [0xffff, "82FFFF"],
      [0x10000, "83010000"],
      [0x1000000, "8401000000"],
    ]
    for (const [length, expected] of cases) expect(toHex(lengthBytes(length))).toBe(expected)
  })

  it("constructed() nests children and tlv() on a constructed tag parses its value", () => {
    const fci = constructed(0x6f, [
      tlv(0x84, hex("A000000333010101")),
      constructed(0xa5, [tlv(0x50, hex("50424F43"))]),
    ])
    // 6F holds 84 (2 + 8 bytes) and A5 (2 + 6 bytes): 18 = 0x12 bytes.
    expect(toHex(encodeTlv(fci))).toBe("6F12" + "8408A000000333010101" + "A506" + "5004" + "50424F43")
    const again = tlv(0x6f, fci.value)
    expect(again.children?.length).toBe(2)
    expect(() => tlv(0x6f, hex("9F"))).toThrow(RangeError)
    expect(() => constructed(0x9f02, [])).toThrow(RangeError)
  })

  it("findTag searches depth first, parents before children before later siblings", () => {
    const first = tlv(0x50, hex("01"))
    const tree = [constructed(0x70, [constructed(0xa5, [first])]), tlv(0x50, hex("02"))]
    expect(findTag(tree, 0x50)).toBe(first)
    expect(findTag(tree, 0xa5)?.children?.[0]).toBe(first)
    expect(findTag(tree, 0x9f02)).toBeUndefined()
  })
})
