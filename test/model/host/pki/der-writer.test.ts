// Proves the DER writer and the calendar: what the writer encodes, the project's DER reader decodes to the same value, and simulated seconds map to the same civil time and X.509 text as JavaScript's Date (used here only as an independent oracle).
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { toHex } from "../../../../model/bytes/hex.ts"
import { readElement } from "../../../../model/crypto/x509/der-reader.ts"
import {
  decodeObjectIdentifier,
  decodeTime,
  decodeUnsignedInteger,
} from "../../../../model/crypto/x509/der-values.ts"
import { civilFromSeconds, derX509Time, secondsFromX509Time } from "../../../../model/host/pki/civil-time.ts"
import {
  derBitString,
  derInteger,
  derLength,
  derNamedBits,
  derObjectIdentifier,
  derOctetString,
  derSetOf,
} from "../../../../model/host/pki/der-writer.ts"

const whole = (bytes: Uint8Array) => readElement(bytes, 0, bytes.length)

describe("DER writer", () => {
  it("encodes INTEGERs the reader decodes back, minimal and positive (X.690 §8.3)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }), (value) => {
        const der = derInteger(value)
        const element = whole(der)
        expect(element.end).toBe(der.length)
        expect(decodeUnsignedInteger(der, element)).toBe(value)
        // Minimal: no leading 00 unless the next octet has its top bit set.
        const contents = der.subarray(element.valueStart)
        if (contents.length > 1 && contents[0] === 0) expect((contents[1] as number) & 0x80).toBe(0x80)
      }),
      { numRuns: 500 },
    )
    expect(toHex(derInteger(0n))).toBe("020100")
    expect(toHex(derInteger(128n))).toBe("02020080")
  })

  it("encodes lengths in short and long form that the reader accepts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), (length) => {
        const der = derOctetString(new Uint8Array(length))
        const element = whole(der)
        expect(element.end - element.valueStart).toBe(length)
        expect(element.valueStart).toBe(1 + derLength(length).length)
      }),
      { numRuns: 200 },
    )
    expect(toHex(derLength(127))).toBe("7F")
    expect(toHex(derLength(128))).toBe("8180")
    expect(toHex(derLength(256))).toBe("820100")
  })

  it("encodes OIDs the reader decodes back, including the SM2 ones of ref/PROTOCOLS.md §3", () => {
    expect(toHex(derObjectIdentifier("1.2.156.10197.1.501"))).toBe("06082A811CCF55018375")
    expect(toHex(derObjectIdentifier("1.2.156.10197.1.301"))).toBe("06082A811CCF5501822D")
    // The reader keeps arcs to safe integers, so arcs stay below 2^40 here.
    const arc = fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }).map(String)
    const oid = fc
      .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(arc, { maxLength: 8 }))
      .map(([a, b, rest]) => [a, b, ...rest].join("."))
    fc.assert(
      fc.property(oid, (dotted) => {
        const der = derObjectIdentifier(dotted)
        expect(decodeObjectIdentifier(der, whole(der))).toBe(dotted)
      }),
      { numRuns: 300 },
    )
  })

  it("writes KeyUsage bits without trailing zeros (X.690 §11.2.2)", () => {
    expect(toHex(derNamedBits([5, 6]))).toBe("03020106")
    expect(toHex(derNamedBits([0]))).toBe("03020780")
    expect(toHex(derBitString(Uint8Array.of(0xab)))).toBe("030200AB")
  })

  it("sorts SET OF members by their encodings (X.690 §11.6)", () => {
    expect(toHex(derSetOf(Uint8Array.of(0x04, 0x01, 0x02), Uint8Array.of(0x02, 0x01, 0x05)))).toBe(
      "3106020105040102",
    )
  })
})

describe("civil time", () => {
  // 0001-01-01 .. 9999-12-31, the span X.509 times can express.
  const seconds = fc.integer({ min: -62_135_596_800, max: 253_402_300_799 })

  it("agrees with Date's UTC calendar for any instant", () => {
    fc.assert(
      fc.property(seconds, (s) => {
        const date = new Date(s * 1000)
        expect(civilFromSeconds(s)).toEqual({
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
          hour: date.getUTCHours(),
          minute: date.getUTCMinutes(),
          second: date.getUTCSeconds(),
        })
      }),
      { numRuns: 2000 },
    )
  })

  it("writes UTCTime for 1950-2049 and GeneralizedTime otherwise, read back to the same instant", () => {
    expect(new TextDecoder().decode(derX509Time(1_406_851_200).subarray(2))).toBe("140801000000Z")
    expect(new TextDecoder().decode(derX509Time(2_524_608_000).subarray(2))).toBe("20500101000000Z")
    fc.assert(
      fc.property(seconds, (s) => {
        const der = derX509Time(s)
        const text = decodeTime(der, whole(der))
        const year = new Date(s * 1000).getUTCFullYear()
        expect(text.length).toBe(year >= 1950 && year < 2050 ? 13 : 15)
        expect(secondsFromX509Time(text)).toBe(s)
      }),
      { numRuns: 1000 },
    )
  })

  it("rejects impossible dates instead of rolling them over", () => {
    expect(secondsFromX509Time("150230000000Z")).toBeNull()
    expect(secondsFromX509Time("160229000000Z")).not.toBeNull()
    expect(secondsFromX509Time("21000229000000Z")).toBeNull()
    expect(secondsFromX509Time("1508011200Z")).toBeNull()
  })
})
