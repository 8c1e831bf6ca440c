// Proves the OTA path of TS 102 225 between the telco's platform and a real card: a GP script
// wrapped in a secured command packet (3DES and AES, ciphered, with CC and counter) reaches the
// ISD (TAR 000000) and comes back in a secured PoR; a replayed counter, a wrong checksum, a skipped
// counter and an unknown TAR are refused with their PoR statuses and never reach the card; a PoR
// with a wrong checksum is refused by the platform.
import { describe, expect, it } from "vitest"
import { command, encodeCommand } from "../../../model/apdu/command.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import { NFC_SIM } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { packForSms } from "../../../model/ota/ota-packing.ts"
import { OtaPlatform } from "../../../model/ota/ota-platform.ts"
import { decodeSpi, type OtaAlgorithm, PorStatus } from "../../../model/ota/ota-security.ts"
import type { OtaKeys } from "../../../model/ota/secured-packet.ts"
import { SimOtaLayer } from "../../../model/ota/sim-ota-layer.ts"
import { newCard } from "../card/fixtures/gp-script.ts"

const crypto = nativeCrypto
const ISD_TAR = hex("000000")
/** SPI 16 19: CC, ciphered, counter must be higher; PoR always, with CC, ciphered. */
const SPI_HIGHER = decodeSpi(0x16, 0x19)
/** SPI 1E 19: the same, but the counter must be exactly one higher. */
const SPI_ONE_HIGHER = decodeSpi(0x1e, 0x19)

const keysOf = (algorithm: OtaAlgorithm): OtaKeys => ({
  algorithm,
  index: 1,
  kic: hex("404142434445464748494A4B4C4D4E4F"),
  kid: hex("505152535455565758595A5B5C5D5E5F"),
})

const SCRIPT = [
  encodeCommand(command(0x00, 0xa4, 0x04, 0x00, NFC_SIM.isdAid, 256)),
  encodeCommand(command(0x80, 0xca, 0x9f, 0x7f, new Uint8Array(0), 256)),
]

const rig = (algorithm: OtaAlgorithm, spi = SPI_HIGHER) => {
  const card = newCard(NFC_SIM, crypto)
  const seen: string[] = []
  const transmit = (apdu: Uint8Array) => {
    seen.push(toHex(apdu))
    return card.transmit(apdu)
  }
  const sim = new SimOtaLayer(crypto, [keysOf(algorithm)], [{ tar: ISD_TAR, transmit }])
  return { sim, seen, platform: new OtaPlatform(crypto, keysOf(algorithm), spi) }
}

describe.each(["3DES", "AES"] as const)("OTA over %s", (algorithm) => {
  it("carries a GP script to the ISD and returns its R-APDUs in a secured PoR", () => {
    const { sim, seen, platform } = rig(algorithm)
    const packet = platform.command(ISD_TAR, SCRIPT)
    expect(toHex(packet)).not.toContain(toHex(NFC_SIM.isdAid))
    const por = unwrap(platform.por(sim.receive(packet)!), "PoR")
    expect(por.status).toBe(PorStatus.OK)
    expect(por.responses.map((r) => toHex(r.subarray(r.length - 2)))).toEqual(["9000", "9000"])
    expect(toHex(por.responses[1]!)).toMatch(/^9F7F2A/)
    expect(seen).toEqual(SCRIPT.map(toHex))
    expect(sim.counterOf(1)).toBe(1)
  })

  it("replayed OTA counter: the same packet again gets PoR status 02 and never reaches the card", () => {
    const { sim, seen, platform } = rig(algorithm)
    const packet = platform.command(ISD_TAR, SCRIPT)
    expect(unwrap(platform.por(sim.receive(packet)!), "first").status).toBe(PorStatus.OK)
    const replay = unwrap(platform.por(sim.receive(packet)!), "replay")
    expect(replay.status).toBe(PorStatus.COUNTER_LOW)
    expect(replay.responses).toEqual([])
    expect(seen.length).toBe(SCRIPT.length)
    expect(unwrap(platform.por(sim.receive(platform.command(ISD_TAR, SCRIPT))!), "next").status).toBe(
      PorStatus.OK,
    )
  })

  it("wrong OTA checksum: any flipped bit after the header gets PoR status 01 and never reaches the card", () => {
    const { sim, seen, platform } = rig(algorithm)
    const packet = platform.command(ISD_TAR, SCRIPT)
    for (const at of [10, 17, packet.length - 1]) {
      const tampered = packet.slice()
      tampered[at] = tampered[at]! ^ 0x01
      const por = unwrap(platform.por(sim.receive(tampered)!), `flip at ${at}`)
      expect(por.status).toBe(PorStatus.RC_CC_DS_FAILED)
    }
    expect(seen).toEqual([])
    expect(sim.counterOf(1)).toBe(0)
  })

  it("a skipped counter under 'exactly one higher' gets 03; an unknown TAR gets 09", () => {
    const { sim, platform } = rig(algorithm, SPI_ONE_HIGHER)
    platform.command(ISD_TAR, SCRIPT)
    expect(unwrap(platform.por(sim.receive(platform.command(ISD_TAR, SCRIPT))!), "skip").status).toBe(
      PorStatus.COUNTER_HIGH,
    )
    const { sim: other, platform: p2 } = rig(algorithm)
    expect(unwrap(p2.por(other.receive(p2.command(hex("B00010"), SCRIPT))!), "tar").status).toBe(
      PorStatus.TAR_UNKNOWN,
    )
  })

  it("a PoR whose checksum does not verify is refused by the platform", () => {
    const { sim, platform } = rig(algorithm)
    const por = sim.receive(platform.command(ISD_TAR, SCRIPT))!
    const tampered = por.slice()
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0x80
    expect(platform.por(tampered).ok).toBe(false)
  })
})

describe("packing a script for SMS-PP", () => {
  it("splits it into packets that each fit one SMS and that the SIM runs in order, every command once", () => {
    const { sim, seen, platform } = rig("3DES")
    const script = Array.from({ length: 24 }, (_, i) =>
      encodeCommand(command(0x80, 0xca, 0x00, i % 2 === 0 ? 0x66 : 0xe0, new Uint8Array(0), 256)),
    )
    const packed = packForSms(platform, ISD_TAR, [SCRIPT[0]!, ...script])
    expect(packed.packets.length).toBeGreaterThan(1)
    expect(packed.messages).toBe(packed.packets.length)
    let responses = 0
    for (const packet of packed.packets) {
      expect(packet.length + 3).toBeLessThanOrEqual(140)
      const por = unwrap(platform.por(sim.receive(packet)!), "PoR")
      expect(por.status).toBe(PorStatus.OK)
      responses += por.responses.length
    }
    expect(responses).toBe(25)
    expect(seen).toEqual([SCRIPT[0]!, ...script].map(toHex))
  })
})
