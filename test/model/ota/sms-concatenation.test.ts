// Proves concatenated SMS for OTA command packets (TS 23.040 §9.2.3.24.1, TS 31.115 §4.2): a packet
// longer than one SMS is split into segments of at most 140 octets, the first carrying IE 00 and the
// CPI IE 70, the others IE 00; the UICC's reassembly gives back exactly the packet whatever the
// order the segments arrive in (8-bit and 16-bit references), waits while one is missing, and
// refuses a packet without CPI, a malformed header, a total that changes midway and a segment
// number beyond the total; a secured packet split this way is run by the SIM's OTA layer.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { command, encodeCommand } from "../../../model/apdu/command.ts"
import { concat } from "../../../model/bytes/bytes.ts"
import { hex } from "../../../model/bytes/hex.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import { NFC_SIM } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { OtaPlatform } from "../../../model/ota/ota-platform.ts"
import { decodeSpi, PorStatus } from "../../../model/ota/ota-security.ts"
import { SimOtaLayer } from "../../../model/ota/sim-ota-layer.ts"
import {
  readUserDataHeader,
  SmsReassembly,
  segmentCommandPacket,
  segmentCount,
  USER_DATA_BYTES_MAX,
} from "../../../model/ota/sms-concatenation.ts"
import { newCard } from "../card/fixtures/gp-script.ts"

describe("concatenated SMS for command packets", () => {
  it("split into ≤ 140-octet segments, CPI in the first only, and reassemble in any order", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer(),
        (packet, reference, shuffleSeed) => {
          const segments = unwrap(segmentCommandPacket(packet, reference), "segment")
          expect(segments.length).toBe(segmentCount(packet.length))
          for (const s of segments) expect(s.length).toBeLessThanOrEqual(USER_DATA_BYTES_MAX)
          const headers = segments.map((s) => unwrap(readUserDataHeader(s), "udh"))
          expect(headers.map((h) => h.cpi)).toEqual(segments.map((_, i) => i === 0))
          if (segments.length > 1) {
            expect(headers.map((h) => h.concatenation?.seq)).toEqual(segments.map((_, i) => i + 1))
            expect(headers.every((h) => h.concatenation?.reference === reference)).toBe(true)
          }
          const order = segments
            .map((_, i) => i)
            .sort((a, b) => ((a * 7919 + shuffleSeed) % 13) - ((b * 7919 + shuffleSeed) % 13))
          const reassembly = new SmsReassembly()
          const results = order.map((i) => unwrap(reassembly.accept(segments[i]!), "accept"))
          expect(results.slice(0, -1).every((r) => r === null)).toBe(true)
          expect(results.at(-1)).toEqual(packet)
          expect(reassembly.inFlight).toBe(0)
        },
      ),
      { numRuns: 200 },
    )
  })

  it("reads a 16-bit reference (IE 08) and refuses what is not a whole command packet", () => {
    const r = new SmsReassembly()
    expect(unwrap(r.accept(hex("0870000804123402017A7B")), "first")).toBeNull()
    expect(unwrap(r.accept(hex("060804123402027C")), "last")).toEqual(hex("7A7B7C"))
    // No CPI in the first segment: an ordinary concatenated SMS, not for the OTA layer.
    const plain = new SmsReassembly()
    plain.accept(hex("0500030902010A"))
    expect(plain.accept(hex("0500030902020B"))).toEqual({ ok: false, error: "not-a-command-packet" })
    expect(new SmsReassembly().accept(hex("0570000A0B"))).toEqual({ ok: false, error: "malformed-udh" })
    expect(new SmsReassembly().accept(hex("050003090304AA"))).toEqual({
      ok: false,
      error: "bad-concatenation",
    })
    const changed = new SmsReassembly()
    changed.accept(hex("07000309020170000A"))
    expect(changed.accept(hex("0500030903020B"))).toEqual({ ok: false, error: "segment-mismatch" })
    expect(new SmsReassembly().accept(hex("0271000A"))).toEqual({ ok: false, error: "not-a-command-packet" })
    expect(segmentCommandPacket(new Uint8Array(40_000), 1)).toEqual({ ok: false, error: "too-many-segments" })
  })

  it("carries a secured packet too long for one SMS to the ISD through the SIM's OTA layer", () => {
    const crypto = nativeCrypto
    const keys = {
      algorithm: "AES" as const,
      index: 1,
      kic: new Uint8Array(16).fill(1),
      kid: new Uint8Array(16).fill(2),
    }
    const card = newCard(NFC_SIM, crypto)
    const sim = new SimOtaLayer(crypto, [keys], [{ tar: hex("000000"), transmit: card.transmit }])
    const platform = new OtaPlatform(crypto, keys, decodeSpi(0x16, 0x19))
    const getData = encodeCommand(command(0x80, 0xca, 0x9f, 0x7f, undefined, 256))
    const apdus = [
      encodeCommand(command(0x00, 0xa4, 0x04, 0x00, NFC_SIM.isdAid, 256)),
      ...Array(20).fill(getData),
    ]
    const packet = platform.command(hex("000000"), apdus)
    const segments = unwrap(segmentCommandPacket(packet, 7), "segments")
    expect(segments.length).toBeGreaterThan(1)
    const reassembly = new SmsReassembly()
    let whole: Uint8Array | null = null
    for (const s of segments) whole = unwrap(reassembly.accept(s), "accept") ?? whole
    expect(whole).toEqual(packet)
    const por = unwrap(platform.por(sim.receive(whole!)!), "PoR")
    expect(por.status).toBe(PorStatus.OK)
    expect(por.responses.length).toBe(21)
    expect(concat(...por.responses.map((r) => r.subarray(-2)))).toEqual(hex("9000".repeat(21)))
  })
})
