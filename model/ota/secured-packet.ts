/**
 * Secured command and response packets (ETSI TS 102 225 §5.1-§5.2) in the SMS dialect of 3GPP
 * TS 31.115 §4.2/§4.4: the command packet `CPL CHL SPI KIc KID TAR | CNTR PCNTR CC data padding`
 * (the part after TAR ciphered when the SPI asks), the CC over CPL … PCNTR, data and padding; the
 * response packet `UDH(02 71 00) RPL RHL TAR | CNTR PCNTR status CC data padding`, whose CC also
 * covers the UDH (31.115 §4.4; pySim's ota.py does the same, and its test vectors, two of them
 * from real cards, are in test/vectors/ota_sms_*.json).
 */
import { bytesToUint, concat, equalsConstantTime, uintToBytes } from "../bytes/bytes.ts"
import { err, ok, type Result } from "../bytes/result.ts"
import type { Crypto } from "../crypto/crypto.ts"
import {
  algorithmNibble,
  blockBytes,
  CC_BYTES,
  checksum,
  decipher,
  decodeSpi,
  encipher,
  encodeSpi,
  type OtaAlgorithm,
  PorStatus,
  paddingBytes,
  type Spi,
} from "./ota-security.ts"

/** One OTA key set of a card (TS 102 225 §5.1.2: KIc for ciphering, KID for the checksum). */
export interface OtaKeys {
  readonly algorithm: OtaAlgorithm
  /** Key index 1-15 (the high nibble of KIc / KID). */
  readonly index: number
  readonly kic: Uint8Array
  readonly kid: Uint8Array
}

export interface CommandHeader {
  readonly spi: Spi
  readonly tar: Uint8Array
  /** 5-byte counter as a number (≤ 2^40 - 1). */
  readonly counter: number
}

const ccLength = (spi: Spi): number => (spi.integrity === "cc" ? CC_BYTES : 0)
const counterBytes = (counter: number): Uint8Array => {
  const out = new Uint8Array(5)
  let rest = counter
  for (let i = 4; i >= 0; i--, rest = Math.floor(rest / 256)) out[i] = rest % 256
  return out
}
const counterOf = (bytes: Uint8Array): number => bytes.reduce((n, b) => n * 256 + b, 0)

/**
 * The length of the command packet `encodeCommandPacket` makes for `dataBytes` of secured data,
 * without any cryptography: CPL (2), CHL, SPI (2), KIc, KID, TAR (3), CNTR (5), PCNTR, the CC, the
 * data and its padding. Packing uses it to size groups of commands.
 */
export const commandPacketBytes = (spi: Spi, algorithm: OtaAlgorithm, dataBytes: number): number => {
  const cc = ccLength(spi)
  const pad = spi.ciphered ? paddingBytes(6 + cc + dataBytes, algorithm) : 0
  return 2 + 8 + 6 + cc + dataBytes + pad
}

/** The command packet the OTA platform sends (the SMS user data after the UDH 02 70 00). */
export const encodeCommandPacket = (
  crypto: Crypto,
  keys: OtaKeys,
  header: CommandHeader,
  data: Uint8Array,
): Uint8Array => {
  const { spi } = header
  const cc = ccLength(spi)
  const pad = spi.ciphered ? paddingBytes(6 + cc + data.length, keys.algorithm) : 0
  const ki = (keys.index << 4) | algorithmNibble(keys.algorithm)
  const head = concat(Uint8Array.of(13 + cc), encodeSpi(spi), Uint8Array.of(ki, ki), header.tar)
  const count = concat(counterBytes(header.counter), Uint8Array.of(pad))
  const body = concat(data, new Uint8Array(pad))
  const cpl = uintToBytes(head.length + count.length + cc + body.length, 2)
  const mac =
    cc === 0 ? new Uint8Array(0) : checksum(crypto, keys.algorithm, keys.kid, concat(cpl, head, count, body))
  const secured = concat(count, mac, body)
  return concat(cpl, head, spi.ciphered ? encipher(crypto, keys.algorithm, keys.kic, secured) : secured)
}

export interface OpenedCommand {
  readonly header: CommandHeader
  readonly data: Uint8Array
  readonly kic: number
  readonly kid: number
}

/** Why a command packet is refused, with the PoR status to send back (TS 102 225 Table 5). */
export interface CommandRefusal {
  readonly status: PorStatus
  /** What is known of the packet when it was refused (for the PoR header). */
  readonly tar: Uint8Array
  readonly counter: number
  readonly spi: Spi | null
}

/**
 * The receiving entity's first checks (TS 102 225 §5.1.1): the structure, deciphering, the CC.
 * Counter checks need the card's state and are done by the OTA layer (ota-layer.ts).
 */
export const openCommandPacket = (
  crypto: Crypto,
  keysFor: (kiByte: number) => OtaKeys | undefined,
  packet: Uint8Array,
): Result<OpenedCommand, CommandRefusal> => {
  const refuse = (status: PorStatus, spi: Spi | null, counter = 0) =>
    err({ status, tar: packet.subarray(7, 10).slice(), counter, spi })
  if (packet.length < 10 || bytesToUint(packet.subarray(0, 2)) !== packet.length - 2) {
    return refuse(PorStatus.UNDEFINED_SECURITY_ERROR, null)
  }
  const spi = decodeSpi(packet[3]!, packet[4]!)
  const cc = ccLength(spi)
  const keys = keysFor(packet[5]!)
  const kidKeys = keysFor(packet[6]!)
  if (packet[2] !== 13 + cc || (spi.integrity !== "none" && spi.integrity !== "cc")) {
    return refuse(PorStatus.UNDEFINED_SECURITY_ERROR, spi)
  }
  if ((spi.ciphered && keys === undefined) || (cc > 0 && kidKeys === undefined)) {
    return refuse(PorStatus.INSUFFICIENT_SECURITY_LEVEL, spi)
  }
  let secured = packet.subarray(10)
  if (spi.ciphered) {
    if (secured.length % blockBytes(keys!.algorithm) !== 0) return refuse(PorStatus.CIPHERING_ERROR, spi)
    secured = decipher(crypto, keys!.algorithm, keys!.kic, secured)
  }
  if (secured.length < 6 + cc) return refuse(PorStatus.UNDEFINED_SECURITY_ERROR, spi)
  const counter = counterOf(secured.subarray(0, 5))
  const pad = secured[5]!
  const body = secured.subarray(6 + cc)
  // The CC covers the PCNTR too, so it is checked before the padding count is believed.
  if (cc > 0) {
    const input = concat(packet.subarray(0, 10), secured.subarray(0, 6), body)
    const expected = checksum(crypto, kidKeys!.algorithm, kidKeys!.kid, input)
    if (!equalsConstantTime(expected, secured.subarray(6, 6 + cc))) {
      return refuse(PorStatus.RC_CC_DS_FAILED, spi, counter)
    }
  }
  if (pad > body.length) return refuse(PorStatus.CIPHERING_ERROR, spi, counter)
  const header = { spi, tar: packet.subarray(7, 10).slice(), counter }
  return ok({ header, data: body.subarray(0, body.length - pad).slice(), kic: packet[5]!, kid: packet[6]! })
}

/** The SMS user-data header of a response packet: UDHL 02, IEI 71 (RPI), length 00 (31.115 §4.4). */
export const RESPONSE_UDH = Uint8Array.of(0x02, 0x71, 0x00)
/** The SMS user-data header of a command packet: UDHL 02, IEI 70 (CPI), length 00 (31.115 §4.2). */
export const COMMAND_UDH = Uint8Array.of(0x02, 0x70, 0x00)

export interface ResponseFields {
  readonly tar: Uint8Array
  readonly counter: number
  readonly status: PorStatus
  /** The additional response data (TS 102 226 compact format: count ‖ last SW ‖ last data). */
  readonly data: Uint8Array
}

/** The PoR as SMS user data, UDH included, secured as the command's SPI octet 2 asks. */
export const encodeResponsePacket = (
  crypto: Crypto,
  keys: OtaKeys | undefined,
  spi: Spi,
  fields: ResponseFields,
): Uint8Array => {
  const cc = spi.porIntegrity === "cc" && keys !== undefined ? CC_BYTES : 0
  const ciphered = spi.porCiphered && keys !== undefined
  const pad = ciphered ? paddingBytes(7 + cc + fields.data.length, keys.algorithm) : 0
  const rhl = Uint8Array.of(10 + cc)
  const count = concat(counterBytes(fields.counter), Uint8Array.of(pad, fields.status))
  const body = concat(fields.data, new Uint8Array(pad))
  const rpl = uintToBytes(1 + fields.tar.length + count.length + cc + body.length, 2)
  const mac =
    cc === 0
      ? new Uint8Array(0)
      : checksum(crypto, keys!.algorithm, keys!.kid, concat(RESPONSE_UDH, rpl, rhl, fields.tar, count, body))
  const secured = concat(count, mac, body)
  return concat(
    RESPONSE_UDH,
    rpl,
    rhl,
    fields.tar,
    ciphered ? encipher(crypto, keys!.algorithm, keys!.kic, secured) : secured,
  )
}

export type ResponseError = "malformed" | "ciphering" | "checksum"

/** The platform's side: checks the PoR's CC and deciphers it, as the command's SPI announced. */
export const openResponsePacket = (
  crypto: Crypto,
  keys: OtaKeys | undefined,
  spi: Spi,
  userData: Uint8Array,
): Result<ResponseFields, ResponseError> => {
  if (userData.length < 9 || !equalsConstantTime(userData.subarray(0, 3), RESPONSE_UDH))
    return err("malformed")
  const packet = userData.subarray(3)
  if (bytesToUint(packet.subarray(0, 2)) !== packet.length - 2) return err("malformed")
  const cc = packet[2]! - 10
  const wantCc = spi.porIntegrity === "cc" ? CC_BYTES : 0
  if (cc !== wantCc || ((cc > 0 || spi.porCiphered) && keys === undefined)) return err("malformed")
  let secured = packet.subarray(6)
  if (spi.porCiphered) {
    if (secured.length % blockBytes(keys!.algorithm) !== 0) return err("ciphering")
    secured = decipher(crypto, keys!.algorithm, keys!.kic, secured)
  }
  if (secured.length < 7 + cc) return err("malformed")
  const pad = secured[5]!
  const body = secured.subarray(7 + cc)
  if (cc > 0) {
    const input = concat(RESPONSE_UDH, packet.subarray(0, 6), secured.subarray(0, 7), body)
    if (
      !equalsConstantTime(checksum(crypto, keys!.algorithm, keys!.kid, input), secured.subarray(7, 7 + cc))
    ) {
      return err("checksum")
    }
  }
  if (pad > body.length) return err("ciphering")
  return ok({
    tar: packet.subarray(3, 6).slice(),
    counter: counterOf(secured.subarray(0, 5)),
    status: secured[6]! as PorStatus,
    data: body.subarray(0, body.length - pad).slice(),
  })
}
