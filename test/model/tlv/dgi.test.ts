// Proves the DGI codec (EMV CPS v1.1 format): encode∘decode is the identity for random sequences
// across the FE/FF length boundary, truncations give their code and offset, and random bytes never
// make the decoder throw.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { equals } from "../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { decodeDgi, encodeDgi, encodeDgiList } from "../../../model/tlv/dgi.ts"

const dgiArb = fc.record({
  dgi: fc.integer({ min: 0, max: 0xffff }),
  value: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 250, maxLength: 700 })),
})

const errorOf = (input: string) => {
  const result = decodeDgi(hex(input))
  return result.ok ? undefined : { code: result.error.code, offset: result.error.offset }
}

describe("DGI", () => {
  it("decode(encode(groups)) = groups for random sequences", () => {
    fc.assert(
      fc.property(fc.array(dgiArb, { maxLength: 5 }), (groups) => {
        const decoded = decodeDgi(encodeDgiList(groups))
        return (
          decoded.ok &&
          decoded.value.length === groups.length &&
          decoded.value.every((g, i) => g.dgi === groups[i]!.dgi && equals(g.value, groups[i]!.value))
        )
      }),
      { numRuns: 1000 },
    )
  })

  it("never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decodeDgi(bytes)
        return result.ok || result.error.offset <= bytes.length
      }),
      { numRuns: 5000 },
    )
  })

  it("writes one length byte up to FE and FF + two bytes from FF on", () => {
    expect(toHex(encodeDgi(0x0101, hex("5A0862")))).toBe("0101035A0862")
    expect(toHex(encodeDgi(0x8000, new Uint8Array(0xfe))).slice(0, 6)).toBe("8000FE")
    expect(toHex(encodeDgi(0x8000, new Uint8Array(0xff))).slice(0, 10)).toBe("8000FF00FF")
    expect(() => encodeDgi(0x10000, new Uint8Array(0))).toThrow(RangeError)
  })

  it("accepts a non-minimal FF length", () => {
    const decoded = decodeDgi(hex("9102FF0002AABB"))
    expect(decoded.ok && decoded.value.map((g) => [g.dgi, toHex(g.value)])).toEqual([[0x9102, "AABB"]])
  })

  it("names each truncation with its offset", () => {
    expect(errorOf("01010001")).toEqual({ code: "truncated_tag", offset: 3 })
    expect(errorOf("0101")).toEqual({ code: "truncated_length", offset: 2 })
    expect(errorOf("0101FF00")).toEqual({ code: "truncated_length", offset: 2 })
    expect(errorOf("010103AABB")).toEqual({ code: "truncated_value", offset: 3 })
    expect(errorOf("0101FF0003AABB")).toEqual({ code: "truncated_value", offset: 5 })
  })
})
