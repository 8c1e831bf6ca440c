// Proves the card runtime's robustness properties: any bytes sent to transmit give ≥ 2 bytes ending
// in a valid status word without throwing; a single flipped bit in a wrapped command is rejected
// (closing the session when it reached the security domain); power torn after any NVM write of STORE DATA leaves, after reset, the
// before- or the after-state.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type CommandApdu, command, encodeCommand } from "../../../../model/apdu/command.ts"
import { hex } from "../../../../model/bytes/hex.ts"
import { unwrap } from "../../../../model/bytes/result.ts"
import { loadFileBlock } from "../../../../model/card/applets/security-domain/sd-load.ts"
import { EMBEDDED_SE, NFC_SIM, NFC_SIM_SM4 } from "../../../../model/card/profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import {
  getStatus,
  installForInstall,
  installForLoad,
  installForPersonalization,
  loadBlocks,
  storeDataDgi,
} from "../../../../model/host/gp/gp-commands.ts"
import { counterApplet } from "../fixtures/counter-applet.ts"
import { createSsd, newCard, open, selectAid } from "../fixtures/gp-script.ts"

const crypto = nativeCrypto
const swOf = (r: Uint8Array): number => (r[r.length - 2]! << 8) | r[r.length - 1]!
const validSw = (sw: number): boolean => (sw >> 12 === 0x6 && sw >> 8 !== 0x60) || sw >> 12 === 0x9

const CLAS = [0x00, 0x80, 0x84, 0x01, 0x81, 0x85, 0x03, 0xc0, 0xe0, 0x40, 0x60, 0x10, 0xff, 0x0c]
const INS = [0xa4, 0x70, 0xc0, 0x50, 0x82, 0xe6, 0xe8, 0xd8, 0xe2, 0xe4, 0xf0, 0xf2, 0xca, 0xcb, 0x20]

const structured = fc
  .record({
    cla: fc.oneof(fc.constantFrom(...CLAS), fc.integer({ min: 0, max: 255 })),
    ins: fc.oneof(fc.constantFrom(...INS), fc.integer({ min: 0, max: 255 })),
    p1: fc.oneof(
      fc.constantFrom(0x00, 0x02, 0x04, 0x0c, 0x20, 0x40, 0x80, 0x9f),
      fc.integer({ min: 0, max: 255 }),
    ),
    p2: fc.oneof(fc.constantFrom(0x00, 0x02, 0x03, 0x81, 0x7f), fc.integer({ min: 0, max: 255 })),
    data: fc.uint8Array({ maxLength: 40 }),
    le: fc.option(fc.integer({ min: 1, max: 256 }), { nil: null }),
  })
  .map((c) => encodeCommand(c as CommandApdu))

describe("transmit never throws and always answers a status word", () => {
  it("holds for 10,000 raw and structured commands, with resets and open sessions", () => {
    const card = newCard(NFC_SIM, crypto)
    createSsd(card, NFC_SIM, crypto)
    const input = fc.oneof(fc.uint8Array({ maxLength: 300 }), structured, structured)
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 4 }), fc.boolean(), (commands, reset) => {
        if (reset) card.reset()
        for (const bytes of commands) {
          const r = card.transmit(bytes)
          if (r.length < 2 || !validSw(swOf(r))) return false
        }
        return true
      }),
      { numRuns: 10_000 },
    )
  })
})

const flipCases = [
  { profile: NFC_SIM, level: 0x03 },
  { profile: NFC_SIM, level: 0x13 },
  { profile: EMBEDDED_SE, level: 0x33 },
  { profile: NFC_SIM_SM4, level: 0x13 },
]

describe.each(flipCases)(
  "a flipped bit in a wrapped command ($profile.name, level $level)",
  ({ profile, level }) => {
    const setUp = () => {
      const card = newCard(profile, crypto)
      selectAid(card, profile.isdAid)
      const session = open(card, profile, crypto, 1, 0x20, level)
      return { card, session }
    }
    const plain: CommandApdu = { ...getStatus(0x80), le: null }

    it("the unmodified command succeeds", () => {
      const { card, session } = setUp()
      expect(swOf(card.transmit(encodeCommand(session.channel.wrap(plain))))).toBe(0x9000)
    })

    it("is rejected, and closes the session when it reached the security domain", () => {
      const reference = encodeCommand(setUp().session.channel.wrap(plain))
      fc.assert(
        fc.property(fc.integer({ min: 0, max: reference.length * 8 - 1 }), (bit) => {
          const { card, session } = setUp()
          const wrapped = encodeCommand(session.channel.wrap(plain))
          wrapped[bit >> 3]! ^= 1 << (bit & 7)
          const sw = swOf(card.transmit(wrapped))
          // A flip that reaches the security domain fails its check and ends the session, so the
          // genuine command sent next is refused too; a flip in the channel bits or a length is
          // refused before it reaches any session (6881, 6700) and leaves the session alone.
          const reachedSession = sw === 0x6982 || sw === 0x6988
          const replay = swOf(card.transmit(reference))
          return sw !== 0x9000 && (!reachedSession || replay === 0x6982)
        }),
        { numRuns: 150 },
      )
    })
  },
)

describe("tearing during STORE DATA", () => {
  const APP = hex("F0000000010101AA")
  const PACKAGE = hex("F00000000101")
  const prepare = () => {
    const card = newCard(EMBEDDED_SE, crypto)
    const isd = createSsd(card, EMBEDDED_SE, crypto)
    unwrap(isd.send(installForLoad(PACKAGE)), "load")
    for (const block of loadBlocks(loadFileBlock([counterApplet]))) unwrap(isd.send(block), "LOAD")
    const install = installForInstall({
      loadFileAid: PACKAGE,
      moduleAid: counterApplet.moduleAid,
      aid: APP,
      privileges: 0,
    })
    unwrap(isd.send(install), "install")
    unwrap(isd.send(installForPersonalization(APP)), "perso")
    const store = isd.channel.wrap(
      storeDataDgi(0, true, 0x8000, hex("00112233445566778899AABBCCDDEEFF"), isd.channel.encryptData),
    )
    return { card, store: encodeCommand(store) }
  }

  it("leaves the before- or after-image after a reset, whatever write power is cut after", () => {
    const dry = prepare()
    const before = dry.card.image()
    const writesBefore = dry.card.writeCount()
    expect(swOf(dry.card.transmit(dry.store))).toBe(0x9000)
    const after = dry.card.image()
    const writes = dry.card.writeCount() - writesBefore
    expect(writes).toBeGreaterThan(2)
    expect(after).not.toEqual(before)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: writes - 1 }), (index) => {
        const { card, store } = prepare()
        card.tearAfterWrite(index)
        const torn = card.transmit(store)
        card.reset()
        const image = card.image()
        const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])
        const read = card.transmit(encodeCommand(command(0x00, 0xa4, 0x04, 0x00, APP)))
        return swOf(torn) === 0x6f00 && (same(image, before) || same(image, after)) && read.length >= 2
      }),
      { numRuns: writes * 3 },
    )
  })
})
