// Proves that client-message validation never throws: random bytes, random JSON and wrong types all
// come back as error messages naming what was wrong, and every well-formed command decodes.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeClientMessage } from "../../../sim/server/client-message.ts"
import { PROTOCOL_LIMITS } from "../../../sim/server/protocol.ts"

const utf8 = (text: string) => new TextEncoder().encode(text)

describe("decodeClientMessage", () => {
  it("answers random bytes with an error or a command, never an exception", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (bytes, binary) => {
        const decoded = decodeClientMessage(bytes, binary)
        if (!decoded.ok) expect(["malformed", "invalid", "too-large"]).toContain(decoded.error.code)
      }),
      { numRuns: 2000 },
    )
  })

  it("refuses any JSON value that is not a command, naming the problem", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const decoded = decodeClientMessage(utf8(JSON.stringify(value)), false)
        const isCommand = typeof value === "object" && value !== null && "type" in value
        if (!isCommand) expect(decoded.ok).toBe(false)
        if (!decoded.ok) expect(decoded.error.message.length).toBeGreaterThan(0)
      }),
      { numRuns: 1000 },
    )
  })

  it("refuses wrong types and out-of-range values with the path", () => {
    const cases: Array<[unknown, string]> = [
      [{ type: "step", events: "10" }, "events"],
      [{ type: "step", events: 0 }, "events"],
      [{ type: "step", events: PROTOCOL_LIMITS.stepEventsMax + 1 }, "events"],
      [{ type: "speed", factor: -1 }, "factor"],
      [{ type: "speed", factor: "fast" }, "factor"],
      [{ type: "restart", seed: 1.5 }, "seed"],
      [{ type: "inject", fault: "" }, "fault"],
      [{ type: "inject", fault: "x".repeat(65) }, "fault"],
    ]
    for (const [value, path] of cases) {
      const decoded = decodeClientMessage(utf8(JSON.stringify(value)), false)
      expect(decoded.ok, JSON.stringify(value)).toBe(false)
      if (!decoded.ok) {
        expect(decoded.error.code).toBe("invalid")
        expect(decoded.error.message).toContain(path)
      }
    }
    const unknown = decodeClientMessage(utf8('{"type":"launch-missiles"}'), false)
    expect(unknown.ok).toBe(false)
  })

  it("refuses oversized, binary and non-UTF-8 messages by their own codes", () => {
    const big = utf8(
      JSON.stringify({ type: "pause", pad: "x".repeat(PROTOCOL_LIMITS.clientMessageBytesMax) }),
    )
    const tooLarge = decodeClientMessage(big, false)
    expect(!tooLarge.ok && tooLarge.error.code).toBe("too-large")
    const binary = decodeClientMessage(utf8('{"type":"pause"}'), true)
    expect(!binary.ok && binary.error.code).toBe("malformed")
    const badUtf8 = decodeClientMessage(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d), false)
    expect(!badUtf8.ok && badUtf8.error.message).toContain("UTF-8")
  })

  it("decodes every command of the protocol and echoes request ids on refusals", () => {
    const commands = [
      { type: "hello", protocol: 1 },
      { type: "pause", id: 3 },
      { type: "resume" },
      { type: "step", events: 5 },
      { type: "speed", factor: null },
      { type: "speed", factor: 604800 },
      { type: "inject", fault: "mtps-outage-7d" },
      { type: "scenario", scenario: "demo-01-baseline" },
      { type: "restart", seed: 42 },
      { type: "inspect", flow: "issuance-0" },
    ]
    for (const c of commands) {
      const decoded = decodeClientMessage(utf8(JSON.stringify(c)), false)
      expect(decoded.ok ? decoded.message : decoded.error).toEqual(c)
    }
    const refused = decodeClientMessage(utf8('{"type":"step","events":-1,"id":9}'), false)
    expect(!refused.ok && refused.error.id).toBe(9)
  })
})
