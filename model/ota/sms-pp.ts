/**
 * The SMS-PP bearer of OTA (3GPP TS 31.115 §4.2, TS 23.040, TS 102 223 §7.1): a command packet
 * travels as the user data of an SMS-DELIVER TPDU (TP-PID 7F "(U)SIM data download", TP-DCS F6
 * 8-bit class 2, TP-UDHI set, UDH = IEI 70 with no data), and the phone hands the TPDU to the
 * UICC in an ENVELOPE (SMS-PP DOWNLOAD): `80 C2 00 00 Lc D1 { 82 02 83 81, 86 SMSC, 8B TPDU }`.
 * The UICC's answer (the PoR user data, UDH 02 71 00 first) goes back in the SMS-DELIVER-REPORT.
 * One SMS carries at most 140 octets of user data; a longer packet is split over concatenated
 * SMS-DELIVERs (sms-concatenation.ts), each in its own ENVELOPE.
 */
import { concat } from "../bytes/bytes.ts"
import { err, ok, type Result } from "../bytes/result.ts"
import { USER_DATA_BYTES_MAX } from "./sms-concatenation.ts"

/** An address field: digit count, TON/NPI 81 (unknown, ISDN), BCD digits nibble-swapped, F-padded. */
const bcd = (digits: string): Uint8Array => {
  const padded = digits.length % 2 === 0 ? digits : `${digits}F`
  const out = new Uint8Array(padded.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(padded[2 * i + 1]! + padded[2 * i]!, 16)
  return out
}

export interface SmsDeliver {
  /** The OTA platform's short code (TP-OA), decimal digits. */
  readonly originator: string
  /** TP-SCTS, 7 semi-octets as given (the caller's simulated clock, nibble-swapped). */
  readonly timestamp: Uint8Array
  /** TP-UD with its header (a segment from sms-concatenation.ts). */
  readonly userData: Uint8Array
  /** TP-MMS: more segments of this packet follow from the SMSC. */
  readonly moreMessages: boolean
}

/** The SMS-DELIVER TPDU (TS 23.040 §9.2.2.1) carrying one SMS's user data. */
export const smsDeliverTpdu = (sms: SmsDeliver): Result<Uint8Array, "too-long-for-one-sms"> => {
  const { userData } = sms
  if (userData.length > USER_DATA_BYTES_MAX) return err("too-long-for-one-sms")
  // First octet: TP-MTI 00 (deliver), TP-MMS (bit 2: 0 = more messages waiting), TP-UDHI 1.
  const first = sms.moreMessages ? 0x40 : 0x44
  const oa = concat(Uint8Array.of(sms.originator.length, 0x81), bcd(sms.originator))
  return ok(
    concat(
      Uint8Array.of(first),
      oa,
      Uint8Array.of(0x7f, 0xf6),
      sms.timestamp,
      Uint8Array.of(userData.length),
      userData,
    ),
  )
}

const berLength = (n: number): Uint8Array => (n < 0x80 ? Uint8Array.of(n) : Uint8Array.of(0x81, n))

/** ENVELOPE (SMS-PP DOWNLOAD), TS 102 223 §7.1 / TS 31.111 §7.1.1.2, as a whole command APDU. */
export const envelopeSmsPpDownload = (smscDigits: string, tpdu: Uint8Array): Uint8Array => {
  const address = concat(Uint8Array.of(0x81), bcd(smscDigits))
  const body = concat(
    Uint8Array.of(0x82, 0x02, 0x83, 0x81),
    Uint8Array.of(0x86, address.length),
    address,
    Uint8Array.of(0x8b),
    berLength(tpdu.length),
    tpdu,
  )
  const template = concat(Uint8Array.of(0xd1), berLength(body.length), body)
  return concat(Uint8Array.of(0x80, 0xc2, 0x00, 0x00, template.length), template)
}

/** The UICC's side: the SMS user data (UDH included) inside an ENVELOPE SMS-PP DOWNLOAD, or why not. */
export const userDataOf = (envelope: Uint8Array): Result<Uint8Array, "not-sms-pp-download" | "malformed"> => {
  if (envelope.length < 7 || envelope[1] !== 0xc2 || envelope[5] !== 0xd1) return err("not-sms-pp-download")
  let at = 5 + (envelope[6] === 0x81 ? 3 : 2)
  while (at + 2 <= envelope.length && (envelope[at]! & 0x7f) !== 0x0b) at += 2 + envelope[at + 1]!
  if (at + 2 > envelope.length) return err("malformed")
  const long = envelope[at + 1] === 0x81
  const tpdu = envelope.subarray(at + (long ? 3 : 2))
  const oaDigits = tpdu[1]
  if (oaDigits === undefined || (tpdu[0]! & 0x40) === 0) return err("malformed")
  const udlAt = 1 + 2 + Math.ceil(oaDigits / 2) + 2 + 7
  const length = tpdu[udlAt]
  if (length === undefined || udlAt + 1 + length > tpdu.length) return err("malformed")
  return ok(tpdu.subarray(udlAt + 1, udlAt + 1 + length))
}
