// Proves the vpcd framing: frames survive any split of the byte stream (TCP delivers bytes, not
// frames), encode∘decode is the identity, 1-byte payloads are control codes and longer ones APDUs,
// and a payload above the 16-bit length field is refused.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  encodeFrame,
  messageOf,
  VPCD_PAYLOAD_BYTES_MAX,
  VpcdFrameDecoder,
} from "../../../app/card/vpcd-frame.ts"

describe("vpcd frames", () => {
  it("decodes what was encoded, however the stream is cut", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Uint8Array.from(payloads.flatMap((p) => [...encodeFrame(p)]))
          const decoder = new VpcdFrameDecoder()
          const out: Uint8Array[] = []
          let at = 0
          for (let i = 0; at < stream.length; i++) {
            const step = cuts[i % cuts.length]!
            out.push(...decoder.push(stream.subarray(at, at + step)))
            at += step
          }
          expect(out.map((f) => [...f])).toEqual(payloads.map((p) => [...p]))
          expect(decoder.pendingBytes()).toBe(0)
        },
      ),
    )
  })

  it("frames the length big-endian in two bytes", () => {
    expect([...encodeFrame(Uint8Array.of(0x04))]).toEqual([0x00, 0x01, 0x04])
    expect([...encodeFrame(new Uint8Array(0x0102)).subarray(0, 2)]).toEqual([0x01, 0x02])
  })

  it("holds a partial frame until the rest arrives", () => {
    const decoder = new VpcdFrameDecoder()
    expect(decoder.push(Uint8Array.of(0x00, 0x05, 0x00, 0xa4))).toEqual([])
    expect(decoder.pendingBytes()).toBe(4)
    expect(decoder.push(Uint8Array.of(0x04, 0x00, 0x00)).map((f) => [...f])).toEqual([
      [0x00, 0xa4, 0x04, 0x00, 0x00],
    ])
  })

  it("tells control codes from APDUs", () => {
    expect(messageOf(Uint8Array.of(0x01))).toEqual({ kind: "control", code: 0x01 })
    expect(messageOf(Uint8Array.of(0x00, 0xa4))).toEqual({ kind: "apdu", command: Uint8Array.of(0x00, 0xa4) })
    expect(messageOf(new Uint8Array(0))).toEqual({ kind: "empty" })
  })

  it("refuses a payload the length field cannot carry", () => {
    expect(() => encodeFrame(new Uint8Array(VPCD_PAYLOAD_BYTES_MAX + 1))).toThrow(/at most 65535/)
  })
})
