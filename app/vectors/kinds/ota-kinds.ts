/**
 * Checkers for the OTA secured-packet kinds (test/vectors/README.md, "Kinds added by the twin"):
 * ota_sms_command (the platform encodes the command packet; the card's side opens it again) and
 * ota_sms_response (the platform checks and deciphers a PoR; valid ones are re-encoded).
 */
import { toHex } from "../../../model/bytes/hex.ts"
import type { OtaAlgorithm } from "../../../model/ota/ota-security.ts"
import { decodeSpi } from "../../../model/ota/ota-security.ts"
import {
  encodeCommandPacket,
  encodeResponsePacket,
  type OtaKeys,
  openCommandPacket,
  openResponsePacket,
} from "../../../model/ota/secured-packet.ts"
import { type KindChecker, Mismatches } from "../vector-check.ts"
import type { VectorFields } from "../vector-fields.ts"

const keysOf = (f: VectorFields): OtaKeys => {
  const algorithm: OtaAlgorithm = f.oneOf("algorithm", ["3DES", "AES"])
  const index = f.integer("key_index")
  if (index < 1 || index > 15) f.problems.push("key_index: expected 1 to 15")
  return { algorithm, index, kic: f.hex("kic_key_hex", 16), kid: f.hex("kid_key_hex", 16) }
}

const counterOf = (bytes: Uint8Array): number => bytes.reduce((n, b) => n * 256 + b, 0)

export const otaSmsCommandChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const keys = keysOf(f)
    const spiBytes = f.hex("spi_hex", 2)
    const tar = f.hex("tar_hex", 3)
    const counter = f.hex("counter_hex", 5)
    const data = f.hex("secured_data_hex")
    const expected = f.hex("command_packet_hex")
    if (f.problems.length > 0) return m.list
    const header = { spi: decodeSpi(spiBytes[0]!, spiBytes[1]!), tar, counter: counterOf(counter) }
    m.bytes("command_packet_hex", expected, encodeCommandPacket(crypto, keys, header, data))
    const opened = openCommandPacket(crypto, () => keys, expected)
    if (!opened.ok)
      m.list.push(`command_packet_hex: the card side refused it with PoR status ${opened.error.status}`)
    else m.bytes("secured_data_hex (opened again)", data, opened.value.data)
    return m.list
  },
}

export const otaSmsResponseChecker: KindChecker = {
  usesCrypto: true,
  check: (f, crypto) => {
    const m = new Mismatches()
    const keys = keysOf(f)
    const spiBytes = f.hex("command_spi_hex", 2)
    const userData = f.hex("user_data_hex")
    const valid = f.boolean("expected_valid")
    const expected = valid
      ? {
          tar: f.hex("tar_hex", 3),
          counter: f.hex("counter_hex", 5),
          status: f.hex("status_hex", 1),
          data: f.hex("additional_data_hex"),
        }
      : null
    if (f.problems.length > 0) return m.list
    const spi = decodeSpi(spiBytes[0]!, spiBytes[1]!)
    const opened = openResponsePacket(crypto, keys, spi, userData)
    if (expected === null) {
      if (opened.ok) m.list.push("expected_valid: the PoR was accepted, expected a refusal")
      return m.list
    }
    if (!opened.ok) return [`user_data_hex: refused (${opened.error})`]
    m.bytes("tar_hex", expected.tar, opened.value.tar)
    m.value(
      "counter_hex",
      toHex(expected.counter),
      toHex(
        Uint8Array.of(0, 0, 0, 0, 0).map((_, i) => Math.floor(opened.value.counter / 256 ** (4 - i)) % 256),
      ),
    )
    m.value("status_hex", expected.status[0], opened.value.status)
    m.bytes("additional_data_hex", expected.data, opened.value.data)
    m.bytes("user_data_hex (encoded again)", userData, encodeResponsePacket(crypto, keys, spi, opened.value))
    return m.list
  },
}
