// Proves the message union's canonical encoding: decode∘encode is the identity for arbitrary messages of every kind, the Schema and the wire agree on what is valid, and bad bytes come back as typed errors, never exceptions.

import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { toHex } from "../../../../model/bytes/hex.ts"
import {
  decodeMessage,
  encodeMessage,
  MESSAGE_KINDS,
  Message,
} from "../../../../model/parties/messages/messages.ts"
import { message } from "./message-arbitraries.ts"

const isMessage = Schema.is(Message)

describe("message union", () => {
  it("lists the same kinds in the Schema union as in the codec table, with unique codes", () => {
    const members = (Message as unknown as { members: ReadonlyArray<unknown> }).members
    expect(members).toEqual(MESSAGE_KINDS.map((kind) => kind.schema))
    expect(new Set(MESSAGE_KINDS.map((kind) => kind.code)).size).toBe(MESSAGE_KINDS.length)
  })

  it("generates only values the Schema accepts (the generators are sound)", () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(isMessage(m)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it("decodes what it encodes, for arbitrary messages of every kind", () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = encodeMessage(m)
        const decoded = decodeMessage(bytes)
        expect(decoded).toEqual({ ok: true, value: m })
        if (decoded.ok) expect(isMessage(decoded.value)).toBe(true)
        expect(encodeMessage(decoded.ok ? decoded.value : m)).toEqual(bytes)
      }),
      { numRuns: 2000 },
    )
  })

  it("encodes field by field in declared order (a hand-assembled StatusQuery)", () => {
    const bytes = encodeMessage({
      _tag: "StatusQuery",
      attempt: 2,
      seId: "0102030405060708",
      aid: "A000000333",
    })
    // code 21 | attempt 02 | seId: length 0008 + 8 bytes | aid: length 0005 + 5 bytes
    expect(toHex(bytes)).toBe("2102" + "0008" + "0102030405060708" + "0005" + "A000000333")
  })

  it("answers a typed error with an offset for truncated, extended or random bytes", () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, cut) => {
        const bytes = encodeMessage(m)
        const truncated = decodeMessage(bytes.subarray(0, cut % bytes.length))
        expect(truncated.ok).toBe(false)
        const extended = decodeMessage(Uint8Array.from([...bytes, 0]))
        expect(extended).toMatchObject({ ok: false, error: { _tag: "MessageDecodeError" } })
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const decoded = decodeMessage(bytes)
        if (decoded.ok) expect(isMessage(decoded.value)).toBe(true)
        else expect(decoded.error.offset).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 2000 },
    )
  })

  it("rejects values outside the profile in the Schema and refuses to encode them", () => {
    const lowerHex = { _tag: "StatusQuery", attempt: 1, seId: "0102030405060a08", aid: "A000000333" } as const
    expect(isMessage(lowerHex)).toBe(false)
    expect(() => encodeMessage(lowerHex)).toThrow(RangeError)
    const badAttempt = {
      _tag: "StatusQuery",
      attempt: 256,
      seId: "0102030405060708",
      aid: "A000000333",
    } as const
    expect(isMessage(badAttempt)).toBe(false)
    expect(() => encodeMessage(badAttempt)).toThrow(RangeError)
    expect(decodeMessage(Uint8Array.of(0xee))).toMatchObject({ ok: false, error: { offset: 0 } })
  })

  it("refuses a literal index or a boolean byte outside its range", () => {
    const ok = encodeMessage({ _tag: "Acknowledgement", acknowledgedNonce: "00".repeat(16) })
    expect(decodeMessage(ok).ok).toBe(true)
    const report = encodeMessage({ _tag: "ErrorReport", code: "timeout", refersToNonce: "", detail: "挂失" })
    const badCode = report.slice()
    badCode[1] = 200
    expect(decodeMessage(badCode)).toMatchObject({ ok: false, error: { offset: 1 } })
  })
})
