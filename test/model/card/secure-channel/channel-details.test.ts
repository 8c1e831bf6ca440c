// Proves the secure-channel details an OTA platform relies on, on a whole card: SCP02 i=55's
// pseudo-random card challenge, the SCP02 R-MAC session (BEGIN / END R-MAC SESSION), R-MAC and
// R-ENC at SCP03 level 33, each R-MAC check failing on a flipped response bit, and the SM4 profile
// telling itself apart from SCP03 on the wire.
import { describe, expect, it } from "vitest"
import { command, encodeCommand } from "../../../../model/apdu/command.ts"
import { decodeResponse } from "../../../../model/apdu/response.ts"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { unwrap } from "../../../../model/bytes/result.ts"
import type { SimulatedCard } from "../../../../model/card/card.ts"
import {
  type CardProfile,
  EMBEDDED_SE,
  NFC_SD,
  NFC_SIM,
  NFC_SIM_SM4,
} from "../../../../model/card/profile.ts"
import { scp02CardChallenge } from "../../../../model/card/secure-channel/scp02.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { beginRmacSession, endRmacSession, getStatus } from "../../../../model/host/gp/gp-commands.ts"
import { openSession } from "../../../../model/host/gp/gp-session.ts"
import { keysFor, newCard, selectAid } from "../fixtures/gp-script.ts"

const crypto = nativeCrypto
const HOST_CHALLENGE = hex("0102030405060708")

/** A card whose wire can be watched and, on request, have one response bit flipped. */
const wiredCard = (profile: CardProfile) => {
  const card: SimulatedCard = newCard(profile, crypto)
  selectAid(card, profile.isdAid)
  const wire: { flipNext: boolean; lastResponse: Uint8Array } = {
    flipNext: false,
    lastResponse: new Uint8Array(0),
  }
  const transmit = (bytes: Uint8Array): Uint8Array => {
    const out = card.transmit(bytes)
    if (wire.flipNext && out.length > 2) {
      out[0] = out[0]! ^ 0x01
      wire.flipNext = false
    }
    wire.lastResponse = out
    return out
  }
  return { card, wire, transmit }
}

const openOn = (profile: CardProfile, transmit: (b: Uint8Array) => Uint8Array, level: number) =>
  openSession(crypto, transmit, {
    protocol: profile.scp.protocol,
    keys: keysFor(profile, 1),
    kvn: 0x20,
    level,
    hostChallenge: HOST_CHALLENGE,
  })

const initializeUpdate = (card: SimulatedCard): Uint8Array => {
  const r = unwrap(
    decodeResponse(card.transmit(encodeCommand(command(0x80, 0x50, 0x20, 0x00, HOST_CHALLENGE, 256)))),
    "IU",
  )
  expect(r.sw).toBe(0x9000)
  return r.data
}

describe("SCP02 i=55 pseudo-random card challenge", () => {
  it("is the first 6 bytes of the C-MAC over the ISD AID under S-MAC of each session's counter", () => {
    const { card } = wiredCard(NFC_SIM)
    const first = initializeUpdate(card)
    const second = initializeUpdate(card)
    for (const iu of [first, second]) {
      const seq = iu.subarray(12, 14)
      const expected = scp02CardChallenge(crypto, keysFor(NFC_SIM, 1), seq, NFC_SIM.isdAid)
      expect(toHex(iu.subarray(14, 20))).toBe(toHex(expected))
    }
    expect(toHex(first.subarray(12, 14))).not.toBe(toHex(second.subarray(12, 14)))
    expect(toHex(first.subarray(14, 20))).not.toBe(toHex(second.subarray(14, 20)))
  })

  it("is drawn from entropy on an i=15 card, so it does not follow the pseudo-random rule", () => {
    const { card } = wiredCard(NFC_SD)
    const iu = initializeUpdate(card)
    const rule = scp02CardChallenge(crypto, keysFor(NFC_SD, 1), iu.subarray(12, 14), NFC_SD.isdAid)
    expect(toHex(iu.subarray(14, 20))).not.toBe(toHex(rule))
  })
})

describe("SCP02 R-MAC session (BEGIN / END R-MAC SESSION)", () => {
  it("adds a verified R-MAC to every response between BEGIN and END, and none outside", () => {
    const { wire, transmit } = wiredCard(NFC_SIM)
    const session = unwrap(openOn(NFC_SIM, transmit, 0x01), "open")
    const statusBefore = unwrap(session.send(getStatus(0x80)), "status")
    expect(statusBefore.sw).toBe(0x9000)
    const plainLength = statusBefore.data.length
    expect(wire.lastResponse.length).toBe(plainLength + 2)
    expect(unwrap(session.send(beginRmacSession(hex("A1A2A3A4"))), "begin").sw).toBe(0x9000)
    expect(wire.lastResponse.length).toBe(8 + 2)
    const statusInside = unwrap(session.send(getStatus(0x80)), "status inside")
    expect(toHex(statusInside.data)).toBe(toHex(statusBefore.data))
    expect(wire.lastResponse.length).toBe(plainLength + 8 + 2)
    const end = unwrap(session.send(endRmacSession(true)), "end")
    expect(end.sw).toBe(0x9000)
    expect(wire.lastResponse.length).toBe(8 + 2)
    unwrap(session.send(getStatus(0x80)), "status after")
    expect(wire.lastResponse.length).toBe(plainLength + 2)
  })

  it("refuses END without a session (6985), a malformed BEGIN (6700) and BEGIN on SCP03 (6D00)", () => {
    const sim = wiredCard(NFC_SIM)
    const session = unwrap(openOn(NFC_SIM, sim.transmit, 0x01), "open")
    expect(unwrap(session.send(endRmacSession(true)), "end").sw).toBe(0x6985)
    const badLv = command(0x80, 0x7a, 0x10, 0x00, hex("05A1"), 256)
    expect(unwrap(session.send(badLv), "bad begin").sw).toBe(0x6700)
    const ese = wiredCard(EMBEDDED_SE)
    const scp03 = unwrap(openOn(EMBEDDED_SE, ese.transmit, 0x01), "open scp03")
    expect(unwrap(scp03.send(beginRmacSession(hex("A1"))), "begin scp03").sw).toBe(0x6d00)
  })
})

describe("R-MAC verification failure", () => {
  const flipped = (profile: CardProfile, level: number, beginFirst: boolean) => {
    const { wire, transmit } = wiredCard(profile)
    const session = unwrap(openOn(profile, transmit, level), "open")
    if (beginFirst) expect(unwrap(session.send(beginRmacSession(hex("01"))), "begin").sw).toBe(0x9000)
    expect(unwrap(session.send(getStatus(0x80)), "clean").sw).toBe(0x9000)
    wire.flipNext = true
    return session.send(getStatus(0x80))
  }

  it("SCP02 level 11: a flipped response bit is refused as response-mac", () => {
    expect(flipped(NFC_SIM, 0x11, false)).toEqual({
      ok: false,
      error: { kind: "channel", error: "response-mac" },
    })
  })

  it("SCP02 inside BEGIN R-MAC SESSION: a flipped response bit is refused as response-mac", () => {
    expect(flipped(NFC_SD, 0x01, true)).toEqual({
      ok: false,
      error: { kind: "channel", error: "response-mac" },
    })
  })

  it("SCP03 level 33 (R-MAC + R-ENC): responses decrypt, and a flipped bit is refused as response-mac", () => {
    const { wire, transmit } = wiredCard(EMBEDDED_SE)
    const session = unwrap(openOn(EMBEDDED_SE, transmit, 0x33), "open")
    const status = unwrap(session.send(getStatus(0x80)), "status")
    expect(status.sw).toBe(0x9000)
    expect(status.data[0]).toBe(0xe3)
    // Encrypted and MACed: the wire carries padding to 16 bytes plus the 8-byte R-MAC.
    expect((wire.lastResponse.length - 2 - 8) % 16).toBe(0)
    expect(toHex(wire.lastResponse)).not.toContain(toHex(EMBEDDED_SE.isdAid))
    expect(flipped(EMBEDDED_SE, 0x33, false)).toEqual({
      ok: false,
      error: { kind: "channel", error: "response-mac" },
    })
  })
})

describe("the SM4 profile on the wire", () => {
  it("answers INITIALIZE UPDATE with SCP identifier F3, which a host expecting SCP03 refuses", () => {
    const { card, transmit } = wiredCard(NFC_SIM_SM4)
    expect(toHex(initializeUpdate(card).subarray(11, 13))).toBe("F370")
    const asScp03 = openSession(crypto, transmit, {
      protocol: "SCP03",
      keys: keysFor(NFC_SIM_SM4, 1),
      kvn: 0x20,
      level: 0x01,
      hostChallenge: HOST_CHALLENGE,
    })
    expect(asScp03).toEqual({ ok: false, error: { kind: "channel", error: "scp-mismatch" } })
    expect(openOn(NFC_SIM_SM4, transmit, 0x03).ok).toBe(true)
  })

  it("names itself F3 70 in the card recognition data, where an AES card says 03 70", () => {
    const recognition = (profile: CardProfile): string => {
      const { card } = wiredCard(profile)
      return toHex(card.transmit(encodeCommand(command(0x80, 0xca, 0x00, 0x66, new Uint8Array(0), 256))))
    }
    expect(recognition(NFC_SIM_SM4)).toContain("2A864886FC6B04F370")
    expect(recognition(EMBEDDED_SE)).toContain("2A864886FC6B040370")
  })
})
