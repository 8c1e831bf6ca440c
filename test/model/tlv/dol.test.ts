// Proves the DOL parser and the EMV 4.3 Book 3 §5.4 rules for building DOL data (zeros for
// unknown or constructed tags, n right-aligned with leading zeros, cn padded with FF, others
// left-aligned), that the card-side split reads back what the terminal built, and that random
// bytes never make parseDol throw.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { equals } from "../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import {
  buildDolData,
  type DolEntry,
  encodeDol,
  fitDolValue,
  parseDol,
  splitDolData,
} from "../../../model/tlv/dol.ts"
import { tagArb } from "./tlv-arbitraries.ts"

/** A typical qPBOC PDOL: TTQ, amount, other amount, country, TVR, currency, date, type, UN. */
const PDOL = hex("9F66049F02069F03069F1A0295055F2A029A039C019F3704")

describe("parseDol", () => {
  it("reads tag and one length byte per entry", () => {
    const parsed = parseDol(PDOL)
    expect(parsed.ok && parsed.value.map((e) => [e.tag.toString(16), e.length])).toEqual([
      ["9f66", 4],
      ["9f02", 6],
      ["9f03", 6],
      ["9f1a", 2],
      ["95", 5],
      ["5f2a", 2],
      ["9a", 3],
      ["9c", 1],
      ["9f37", 4],
    ])
    expect(parsed.ok && equals(encodeDol(parsed.value), PDOL)).toBe(true)
  })

  it("names a missing length or a cut tag with its offset", () => {
    const noLength = parseDol(hex("9F02069F37"))
    expect(noLength.ok ? undefined : [noLength.error.code, noLength.error.offset]).toEqual([
      "truncated_length",
      5,
    ])
    const cutTag = parseDol(hex("9F02069F"))
    expect(cutTag.ok ? undefined : [cutTag.error.code, cutTag.error.offset]).toEqual(["truncated_tag", 3])
  })

  it("round-trips random DOLs and never throws on random bytes", () => {
    const entryArb = fc.record({
      tag: fc.oneof(tagArb(false), tagArb(true)),
      length: fc.integer({ min: 0, max: 255 }),
    })
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 12 }), (entries) => {
        const parsed = parseDol(encodeDol(entries))
        return parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(entries)
      }),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const result = parseDol(bytes)
        return result.ok || result.error.offset <= bytes.length
      }),
      { numRuns: 5000 },
    )
  })
})

describe("buildDolData (EMV 4.3 Book 3 §5.4)", () => {
  it("fills unknown and constructed tags with zeros", () => {
    const dol: DolEntry[] = [
      { tag: 0x9f37, length: 4 },
      { tag: 0x70, length: 2 },
    ]
    const data = buildDolData(dol, (tag) => (tag === 0x70 ? hex("AAAA") : undefined))
    expect(toHex(data)).toBe("000000000000")
  })

  it("n: keeps the rightmost bytes and pads with leading zeros", () => {
    expect(toHex(fitDolValue(hex("000000012345"), 4, "n"))).toBe("00012345")
    expect(toHex(fitDolValue(hex("0156"), 3, "n"))).toBe("000156")
  })

  it("cn: keeps the leftmost bytes and pads with trailing FF", () => {
    expect(toHex(fitDolValue(hex("6228480012"), 7, "cn"))).toBe("6228480012FFFF")
    expect(toHex(fitDolValue(hex("6228480012"), 3, "cn"))).toBe("622848")
  })

  it("others: keep the leftmost bytes (Book 3 rule c) and pad with trailing zeros", () => {
    // Terminal capabilities A0 A0 C0 asked with length 2 give A0 A0.
    expect(toHex(fitDolValue(hex("A0A0C0"), 2, "other"))).toBe("A0A0")
    expect(toHex(fitDolValue(hex("A0"), 3, "other"))).toBe("A00000")
  })

  it("applies the built-in formats by tag in one DOL", () => {
    const dol: DolEntry[] = [
      { tag: 0x9f02, length: 6 },
      { tag: 0x5a, length: 10 },
      { tag: 0x9f33, length: 2 },
    ]
    const values = new Map([
      [0x9f02, hex("1234")],
      [0x5a, hex("6228480012345678")],
      [0x9f33, hex("E0F8C8")],
    ])
    expect(toHex(buildDolData(dol, (tag) => values.get(tag)))).toBe("0000000012346228480012345678FFFFE0F8")
  })
})

describe("splitDolData", () => {
  it("reads back what buildDolData wrote, for values of the DOL's lengths", () => {
    const entryArb = fc.record({ tag: tagArb(false), value: fc.uint8Array({ maxLength: 16 }) })
    fc.assert(
      fc.property(fc.uniqueArray(entryArb, { selector: (e) => e.tag, maxLength: 8 }), (entries) => {
        const dol = entries.map((e) => ({ tag: e.tag, length: e.value.length }))
        const values = new Map(entries.map((e) => [e.tag, e.value]))
        const split = splitDolData(
          dol,
          buildDolData(dol, (tag) => values.get(tag)),
        )
        return split.ok && entries.every((e) => equals(split.value.get(e.tag)!, e.value))
      }),
      { numRuns: 1000 },
    )
  })

  it("refuses data shorter or longer than the DOL, with the offset", () => {
    const dol: DolEntry[] = [
      { tag: 0x9f02, length: 6 },
      { tag: 0x9f37, length: 4 },
    ]
    const short = splitDolData(dol, new Uint8Array(8))
    expect(short.ok ? undefined : [short.error.reason, short.error.offset]).toEqual(["too-short", 6])
    const long = splitDolData(dol, new Uint8Array(11))
    expect(long.ok ? undefined : [long.error.reason, long.error.offset]).toEqual(["too-long", 10])
  })
})
