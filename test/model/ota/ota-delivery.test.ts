// Proves the pilot's OTA hook `planOtaDelivery`: for an issuance-sized GP script (INSTALL [for
// load], the LOAD blocks of a CAP, INSTALL, personalization STORE DATAs) it returns, per bearer,
// packets that carry exactly the script — SMS-PP and BIP packets open under the OTA keys with
// consecutive counters, HTTP admin's 200 body is the script — with SMS segments within 140 octets
// and BIP packets within their bound; the bearer time follows the messages (more SMS, more time;
// BIP's round trips beat SMS's queue for a large script); an eSE or NFC-SD is reached only by HTTP
// admin; missing keys or agent and an empty script are refused; the same request gives the same
// bytes; and the packet-length arithmetic packing uses equals the length of the encoded packet.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { encodeCommand } from "../../../model/apdu/command.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import { loadFileBlock } from "../../../model/card/applets/security-domain/sd-load.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import {
  installForInstall,
  installForLoad,
  loadBlocks,
  storeDataDgi,
} from "../../../model/host/gp/gp-commands.ts"
import { parseHttpMessage, readBody } from "../../../model/ota/http-admin.ts"
import { type OtaDeliveryRequest, planOtaDelivery } from "../../../model/ota/ota-delivery.ts"
import { decodeSpi } from "../../../model/ota/ota-security.ts"
import { decodeCommandScript } from "../../../model/ota/remote-script.ts"
import {
  commandPacketBytes,
  encodeCommandPacket,
  openCommandPacket,
} from "../../../model/ota/secured-packet.ts"
import { segmentCommandPacket } from "../../../model/ota/sms-concatenation.ts"

const crypto = nativeCrypto
const KEYS = {
  algorithm: "3DES" as const,
  index: 1,
  kic: new Uint8Array(16).fill(0x11),
  kid: new Uint8Array(16).fill(0x22),
}
const OTA = { keys: KEYS, spi: decodeSpi(0x16, 0x19), tar: hex("000000"), lastCounter: 41 }
const HTTP = {
  agent: { uri: "/admin", host: "ota.example", from: "//se-id/eid/1;//aa-id/aid/A000000151/000000" },
  targetAid: hex("A000000151000000"),
}
const PACKAGE = hex("A0000003330101")

const issuanceScript = (storeDataCount: number): Uint8Array[] =>
  [
    installForLoad(PACKAGE),
    ...loadBlocks(loadFileBlock(["pboc-payment", "pboc-ppse"], PACKAGE)),
    installForInstall({
      loadFileAid: PACKAGE,
      moduleAid: hex("A00000033301010000"),
      aid: hex("A000000333010101"),
      privileges: 0,
    }),
    ...Array.from({ length: storeDataCount }, (_, i) =>
      storeDataDgi(i, i === storeDataCount - 1, 0x0101 + i, new Uint8Array(96).fill(i)),
    ),
  ].map(encodeCommand)

const plan = (r: Partial<OtaDeliveryRequest> & Pick<OtaDeliveryRequest, "bearer">) =>
  planOtaDelivery(crypto, { seType: "uicc", script: issuanceScript(6), ota: OTA, http: HTTP, ...r })

/** The commands the packets carry, opened as the SIM's OTA layer opens them, and their counters. */
const opened = (packets: ReadonlyArray<Uint8Array>) => {
  const items = packets.map((p) =>
    unwrap(
      openCommandPacket(crypto, (ki) => (ki >> 4 === 1 ? KEYS : undefined), p),
      "open",
    ),
  )
  return {
    apdus: items.flatMap((o) => unwrap(decodeCommandScript(o.data), "script")).map(toHex),
    counters: items.map((o) => o.header.counter),
  }
}

describe("packet length arithmetic", () => {
  it("equals the length of the packet encoded, for both algorithms, ciphered or not, with or without CC", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("3DES" as const, "AES" as const),
        fc.constantFrom(0x16, 0x12, 0x10, 0x02, 0x00),
        fc.uint8Array({ maxLength: 600 }),
        (algorithm, spi1, data) => {
          const spi = decodeSpi(spi1, 0x19)
          const keys = { ...KEYS, algorithm }
          const packet = encodeCommandPacket(crypto, keys, { spi, tar: OTA.tar, counter: 7 }, data)
          expect(commandPacketBytes(spi, algorithm, data.length)).toBe(packet.length)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe("planOtaDelivery", () => {
  it("SMS-PP: packets carry the script once, in order, with consecutive counters, each SMS ≤ 140 octets", () => {
    const d = unwrap(plan({ bearer: "sms-pp" }), "sms")
    const { apdus, counters } = opened(d.packets)
    expect(apdus).toEqual(issuanceScript(6).map(toHex))
    expect(counters).toEqual(d.packets.map((_, i) => 42 + i))
    expect(d.lastCounter).toBe(41 + d.packets.length)
    const segments = d.packets.flatMap((p) => unwrap(segmentCommandPacket(p, 0), "segments"))
    expect(d.messages).toBe(segments.length)
    for (const s of segments) expect(s.length).toBeLessThanOrEqual(140)
    expect(d.timeUsMax).toBeGreaterThan(d.timeUsMin)
  })

  it("BIP: packets within their bound carry the same script as CAT-TP PDUs; fewer round trips than SMS", () => {
    const d = unwrap(plan({ bearer: "bip", bipPacketBytesMax: 600 }), "bip")
    expect(opened(d.packets).apdus).toEqual(issuanceScript(6).map(toHex))
    for (const p of d.packets) expect(p.length).toBeLessThanOrEqual(600)
    expect(d.roundTrips).toBe(1 + d.packets.length)
    expect(d.bearerBytes).toBeGreaterThan(d.packets.reduce((n, p) => n + p.length, 0))
    const sms = unwrap(plan({ bearer: "sms-pp" }), "sms")
    expect(d.timeUsMax).toBeLessThan(sms.timeUsMin)
  })

  it("HTTP admin: the 200's body is the script; the only bearer to an eSE or NFC-SD", () => {
    for (const seType of ["uicc", "eSE", "undefined"] as const) {
      const d = unwrap(plan({ bearer: "http-admin", seType }), "http")
      const ok200 = unwrap(parseHttpMessage(d.packets[1]!), "200")
      expect(unwrap(readBody(ok200.body, 0xae), "body").map(toHex)).toEqual(issuanceScript(6).map(toHex))
      expect(d.lastCounter).toBe(41)
    }
    expect(plan({ bearer: "sms-pp", seType: "eSE" })).toEqual({ ok: false, error: "bearer-unreachable" })
    expect(plan({ bearer: "bip", seType: "undefined" })).toEqual({ ok: false, error: "bearer-unreachable" })
    const script = issuanceScript(1)
    expect(planOtaDelivery(crypto, { seType: "uicc", bearer: "bip", script, http: HTTP })).toEqual({
      ok: false,
      error: "missing-ota-keys",
    })
    expect(planOtaDelivery(crypto, { seType: "uicc", bearer: "http-admin", script, ota: OTA })).toEqual({
      ok: false,
      error: "missing-http-agent",
    })
    expect(plan({ bearer: "sms-pp", script: [] })).toEqual({ ok: false, error: "empty-script" })
  })

  it("HTTP admin: a script the server must cut (a random card challenge) takes one more POST / 200 per cut", () => {
    const script = issuanceScript(6)
    const whole = unwrap(plan({ bearer: "http-admin" }), "whole")
    const cut = unwrap(plan({ bearer: "http-admin", http: { ...HTTP, roundEnds: [2, 2, 0, 99] } }), "cut")
    // One valid cut (2): request, 200 (2 commands), request (their answers), 200 (the rest), request, 204.
    expect(cut.messages).toBe(whole.messages + 2)
    expect(cut.roundTrips).toBe(whole.roundTrips + 1)
    expect(cut.timeUsMin).toBeGreaterThan(whole.timeUsMin)
    const bodies = [1, 3].map((i) => unwrap(parseHttpMessage(cut.packets[i]!), "200"))
    expect(unwrap(readBody(bodies[0]!.body, 0xae), "first").map(toHex)).toEqual(script.slice(0, 2).map(toHex))
    expect(unwrap(readBody(bodies[1]!.body, 0xae), "rest").map(toHex)).toEqual(script.slice(2).map(toHex))
    const answers = unwrap(parseHttpMessage(cut.packets[2]!), "answers")
    expect(unwrap(readBody(answers.body, 0xaf), "answers")).toHaveLength(2)
    expect(cut.frames.map((f) => f.uplink)).toEqual([true, false, true, false, true, false])
    expect(unwrap(parseHttpMessage(cut.packets[5]!), "204").startLine).toBe("HTTP/1.1 204 No Content")
  })

  it("takes more SMS and more time for a larger script, and is a function of its request", () => {
    const small = unwrap(plan({ bearer: "sms-pp", script: issuanceScript(1) }), "small")
    const large = unwrap(plan({ bearer: "sms-pp", script: issuanceScript(12) }), "large")
    expect(large.messages).toBeGreaterThan(small.messages)
    expect(large.timeUsMin).toBeGreaterThan(small.timeUsMin)
    expect(large.bearerBytes).toBeGreaterThan(small.bearerBytes)
    const again = unwrap(plan({ bearer: "sms-pp", script: issuanceScript(12) }), "again")
    expect(again.packets.map(toHex)).toEqual(large.packets.map(toHex))
  })
})
