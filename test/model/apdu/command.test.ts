// Proves the command and response APDU codecs: encode∘decode is the identity for every case in
// short and extended form, the case is recognized from the bytes, Lc disagreeing with the data is
// refused with its offset, and random bytes never make a decoder throw.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type CommandApdu,
  command,
  decodeCommand,
  encodeCommand,
  isExtended,
} from "../../../model/apdu/command.ts"
import { decodeResponse, encodeResponse, response } from "../../../model/apdu/response.ts"
import { equals } from "../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"

const byte = fc.integer({ min: 0, max: 255 })

/** Commands of every case: data none / short / extended, Le none / short / extended. */
const commandArb: fc.Arbitrary<CommandApdu> = fc
  .tuple(
    byte,
    byte,
    byte,
    byte,
    fc.oneof(
      fc.constant(new Uint8Array(0)),
      fc.uint8Array({ minLength: 1, maxLength: 255 }),
      fc.uint8Array({ minLength: 256, maxLength: 1200 }),
      fc.integer({ min: 65000, max: 65535 }).map((n) => new Uint8Array(n).fill(0x5a)),
    ),
    fc.oneof(
      fc.constant(null),
      fc.integer({ min: 1, max: 256 }),
      fc.integer({ min: 257, max: 65536 }),
      fc.constantFrom(256, 65536),
    ),
  )
  .map(([cla, ins, p1, p2, data, le]) => command(cla, ins, p1, p2, data, le))

const sameCommand = (a: CommandApdu, b: CommandApdu): boolean =>
  a.cla === b.cla &&
  a.ins === b.ins &&
  a.p1 === b.p1 &&
  a.p2 === b.p2 &&
  a.le === b.le &&
  equals(a.data, b.data)

const decodedHex = (input: string) => {
  const result = decodeCommand(hex(input))
  return result.ok ? result.value : result.error
}

describe("command APDU properties", () => {
  it("decode(encode(c)) = c for random commands of every case, short and extended", () => {
    fc.assert(
      fc.property(commandArb, (c) => {
        const decoded = decodeCommand(encodeCommand(c))
        return decoded.ok && sameCommand(decoded.value, c)
      }),
      { numRuns: 1000 },
    )
  })

  it("encodes the extended form exactly when data > 255 or Le > 256, with the length of its case", () => {
    fc.assert(
      fc.property(commandArb, (c) => {
        const nc = c.data.length
        const extended = nc > 255 || (c.le ?? 0) > 256
        const lcSize = nc === 0 ? 0 : extended ? 3 : 1
        const leSize = c.le === null ? 0 : extended ? (nc === 0 ? 3 : 2) : 1
        return isExtended(c) === extended && encodeCommand(c).length === 4 + lcSize + nc + leSize
      }),
      { numRuns: 1000 },
    )
  })

  it("never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decodeCommand(bytes)
        return result.ok ? encodeCommand(result.value).length > 0 : result.error.offset <= bytes.length
      }),
      { numRuns: 5000 },
    )
  })

  it("never throws on encodings with a byte changed or the tail cut", () => {
    fc.assert(
      fc.property(commandArb, fc.nat(), byte, (c, at, value) => {
        const bytes = encodeCommand(c)
        const changed = bytes.slice()
        changed[at % changed.length] = value
        decodeCommand(changed)
        decodeCommand(bytes.subarray(0, at % bytes.length))
        return true
      }),
      { numRuns: 1000 },
    )
  })
})

describe("command APDU cases (ISO 7816-4 §5.1)", () => {
  it("encodes each case as the standard lays it out", () => {
    expect(toHex(encodeCommand(command(0x00, 0xa4, 0x04, 0x00)))).toBe("00A40400")
    expect(toHex(encodeCommand(command(0x80, 0xca, 0x9f, 0x79, undefined, 256)))).toBe("80CA9F7900")
    expect(toHex(encodeCommand(command(0x80, 0xe4, 0x00, 0x80, hex("4F00"))))).toBe("80E40080024F00")
    expect(toHex(encodeCommand(command(0x80, 0xf2, 0x80, 0x02, hex("4F00"), 256)))).toBe("80F28002024F0000")
    expect(toHex(encodeCommand(command(0x00, 0xb0, 0x00, 0x00, undefined, 65536)))).toBe("00B00000000000")
    expect(toHex(encodeCommand(command(0x00, 0xb0, 0x00, 0x00, undefined, 257)))).toBe("00B00000000101")
    const big = new Uint8Array(256).fill(0xee)
    expect(toHex(encodeCommand(command(0x80, 0xe8, 0x00, 0x00, big)))).toBe(
      `80E80000000100${"EE".repeat(256)}`,
    )
    expect(toHex(encodeCommand(command(0x80, 0xe8, 0x00, 0x00, big, 65536)))).toBe(
      `80E80000000100${"EE".repeat(256)}0000`,
    )
    // Short data with an extended Le forces both lengths into the extended form.
    expect(toHex(encodeCommand(command(0x00, 0x88, 0x00, 0x00, hex("AA"), 300)))).toBe("00880000000001AA012C")
  })

  it("decodes case 1, 2S (00 = 256), 3S, 4S and the extended cases", () => {
    expect(decodedHex("00A40400")).toMatchObject({ le: null, data: new Uint8Array(0) })
    expect(decodedHex("80CA9F7900")).toMatchObject({ le: 256 })
    expect(decodedHex("80CA9F7905")).toMatchObject({ le: 5 })
    expect(decodedHex("80E40080024F00")).toMatchObject({ data: hex("4F00"), le: null })
    expect(decodedHex("80F28002024F0000")).toMatchObject({ data: hex("4F00"), le: 256 })
    expect(decodedHex("00B00000000000")).toMatchObject({ data: new Uint8Array(0), le: 65536 })
    expect(decodedHex("00B00000000101")).toMatchObject({ le: 257 })
    expect(decodedHex("00880000000001AA")).toMatchObject({ data: hex("AA"), le: null })
    expect(decodedHex("00880000000001AA012C")).toMatchObject({ data: hex("AA"), le: 300 })
  })

  it("refuses an Lc that disagrees with the data, naming offset 4", () => {
    expect(decodedHex("80E40080034F00")).toMatchObject({ reason: "lc-mismatch", offset: 4 })
    expect(decodedHex("80E40080014F0000")).toMatchObject({ reason: "lc-mismatch", offset: 4 })
    expect(decodedHex("00880000000002AA")).toMatchObject({ reason: "lc-mismatch", offset: 4 })
    const result = decodeCommand(hex("80E40080034F00"))
    expect(result.ok || result.error.message).toMatch(/Lc 3 at offset 4 needs 8 or 9 bytes, the APDU has 7/)
  })

  it("refuses odd cases: under 4 bytes, 00 then too few bytes, extended Lc 0000", () => {
    expect(decodedHex("")).toMatchObject({ reason: "too-short", offset: 0 })
    expect(decodedHex("00A404")).toMatchObject({ reason: "too-short", offset: 3 })
    expect(decodedHex("00A4040000AA")).toMatchObject({ reason: "malformed-extended-length", offset: 4 })
    expect(decodedHex("00A40400000000AA")).toMatchObject({ reason: "extended-lc-zero", offset: 5 })
  })

  it("treats out-of-range fields as programmer errors", () => {
    expect(() => command(0x100, 0, 0, 0)).toThrow(RangeError)
    expect(() => command(0, 0, 0, 0, undefined, 0)).toThrow(RangeError)
    expect(() => command(0, 0, 0, 0, undefined, 65537)).toThrow(RangeError)
    expect(() => command(0, 0, 0, 0, new Uint8Array(65536))).toThrow(RangeError)
  })
})

describe("response APDU", () => {
  it("decode(encode(r)) = r for random responses", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 0xffff }), (data, sw) => {
        const decoded = decodeResponse(encodeResponse(response(data, sw)))
        return decoded.ok && decoded.value.sw === sw && equals(decoded.value.data, data)
      }),
      { numRuns: 1000 },
    )
  })

  it("never throws on random bytes and needs at least SW1 SW2", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        (bytes) => decodeResponse(bytes).ok === bytes.length >= 2,
      ),
      { numRuns: 2000 },
    )
    const short = decodeResponse(hex("90"))
    expect(short.ok ? undefined : short.error).toMatchObject({ reason: "too-short", offset: 1 })
  })

  it("splits data from the status word", () => {
    const decoded = decodeResponse(hex("6F0A84089000"))
    expect(decoded.ok && { data: toHex(decoded.value.data), sw: decoded.value.sw }).toEqual({
      data: "6F0A8408",
      sw: 0x9000,
    })
    expect(() => response(new Uint8Array(0), 0x10000)).toThrow(RangeError)
  })
})
