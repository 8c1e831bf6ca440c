// Proves ISO 7816-4 command chaining (CLA 0x10 on all parts but the last, data reassembles) and
// the 61xx / 6Cxx response dialogue against a tiny fake card, including the bounds on both loops.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { chainCommand, transmitWithResponses } from "../../../model/apdu/chaining.ts"
import { type CommandApdu, command, decodeCommand } from "../../../model/apdu/command.ts"
import { encodeResponse, response } from "../../../model/apdu/response.ts"
import { concat, equals } from "../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"

/**
 * A test double for a T=0 card: it answers the first command with 61xx (or 6Cxx when `exactLe` is
 * set and the Le is wrong) and hands out `payload` in GET RESPONSE pieces of at most `chunk` bytes.
 */
const fakeCard = (payload: Uint8Array, options: { chunk: number; exactLe?: number; endless?: boolean }) => {
  const sent: string[] = []
  let position = 0
  const transmit = (bytes: Uint8Array): Uint8Array => {
    sent.push(toHex(bytes))
    const decoded = decodeCommand(bytes)
    if (!decoded.ok) return encodeResponse(response(new Uint8Array(0), 0x6700))
    const c = decoded.value
    if (options.exactLe !== undefined && c.ins !== 0xc0 && c.le !== options.exactLe) {
      return encodeResponse(response(new Uint8Array(0), 0x6c00 | options.exactLe))
    }
    if (c.ins !== 0xc0) position = 0
    const take = c.ins === 0xc0 ? Math.min(c.le ?? 0, payload.length - position) : 0
    const data = payload.subarray(position, position + take)
    position += take
    const left = payload.length - position
    const sw = options.endless || left > 0 ? 0x6100 | Math.min(left || options.chunk, options.chunk) : 0x9000
    return encodeResponse(response(data, sw))
  }
  return { transmit, sent }
}

describe("command chaining (ISO 7816-4 §5.1.1.1)", () => {
  it("splits data into parts of maxData with CLA | 0x10 on all but the last, which keeps Le", () => {
    const c = command(
      0x00,
      0xe2,
      0x00,
      0x00,
      new Uint8Array(600).map((_, i) => i & 0xff),
      256,
    )
    const parts = chainCommand(c)
    expect(parts.map((p) => [p.cla, p.data.length, p.le])).toEqual([
      [0x10, 255, null],
      [0x10, 255, null],
      [0x00, 90, 256],
    ])
    expect(equals(concat(...parts.map((p) => p.data)), c.data)).toBe(true)
  })

  it("returns a command that fits unchanged, and reassembles for any size and maxData", () => {
    const c = command(0x80, 0xe2, 0x80, 0x01, hex("0101"))
    expect(chainCommand(c)).toEqual([c])
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), (data, maxData) => {
        const parts = chainCommand(command(0x00, 0xdb, 0x3f, 0xff, data, null), maxData)
        const flagsRight = parts.every((p, i) => (p.cla === 0x10) === i < parts.length - 1)
        const sizesRight = parts.every((p) => p.data.length <= maxData)
        return flagsRight && sizesRight && equals(concat(...parts.map((p) => p.data)), data)
      }),
      { numRuns: 1000 },
    )
    expect(() => chainCommand(c, 0)).toThrow(RangeError)
    expect(() => chainCommand(command(0x10, 0xe2, 0, 0, new Uint8Array(300)))).toThrow(RangeError)
  })
})

describe("transmitWithResponses", () => {
  const getStatus: CommandApdu = command(0x80, 0xf2, 0x40, 0x02, hex("4F00"), 256)

  it("follows 61xx with GET RESPONSE 00 C0 00 00 xx and concatenates the data", () => {
    const payload = new Uint8Array(300).map((_, i) => (i * 7) & 0xff)
    const card = fakeCard(payload, { chunk: 0x80 })
    const result = transmitWithResponses(card.transmit, getStatus)
    expect(result.ok && { sw: result.value.sw, same: equals(result.value.data, payload) }).toEqual({
      sw: 0x9000,
      same: true,
    })
    // 300 bytes in pieces of 0x80: 128 + 128 + 44 (0x2C).
    expect(card.sent).toEqual(["80F24002024F0000", "00C0000080", "00C0000080", "00C000002C"])
  })

  it("re-sends with Le = xx after 6Cxx", () => {
    const card = fakeCard(hex("0102030405060708"), { chunk: 8, exactLe: 8 })
    const result = transmitWithResponses(card.transmit, command(0x00, 0xb2, 0x01, 0x0c, undefined, 256))
    expect(result.ok && toHex(result.value.data)).toBe("0102030405060708")
    expect(card.sent).toEqual(["00B2010C00", "00B2010C08", "00C0000008"])
  })

  it("keeps the logical channel of the command in GET RESPONSE", () => {
    const card = fakeCard(hex("AABB"), { chunk: 2 })
    transmitWithResponses(card.transmit, command(0x83, 0xca, 0x00, 0x66, undefined, 256))
    expect(card.sent[1]).toBe("03C0000002")
  })

  it("stops after the GET RESPONSE bound with an error", () => {
    const card = fakeCard(new Uint8Array(4), { chunk: 1, endless: true })
    const result = transmitWithResponses(card.transmit, getStatus, {
      getResponseRoundsMax: 3,
      wrongLeRoundsMax: 1,
    })
    expect(result.ok ? undefined : result.error.reason).toBe("get-response-rounds-exceeded")
    expect(card.sent.length).toBe(4)
  })

  it("stops after the 6Cxx bound with an error", () => {
    const transmit = (_: Uint8Array): Uint8Array => hex("6C10")
    const result = transmitWithResponses(transmit, getStatus, 2)
    expect(result.ok ? undefined : result.error).toMatchObject({
      reason: "wrong-le-rounds-exceeded",
      offset: 0,
    })
  })

  it("passes a final error SW through and reports a response under two bytes", () => {
    const denied = transmitWithResponses(() => hex("6982"), getStatus)
    expect(denied.ok && denied.value.sw).toBe(0x6982)
    const broken = transmitWithResponses(() => hex("90"), getStatus)
    expect(broken.ok ? undefined : broken.error.reason).toBe("too-short")
  })
})
