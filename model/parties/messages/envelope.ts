/**
 * Signed envelopes for inter-institution messages (DESIGN.md §4: messages between TSM, MTPS and
 * TSMs carry SM2 signatures). The twin's own profile, since the JR/T 0088-0098 formats are not
 * public (ref/PROTOCOLS.md §5). Layout, all big-endian:
 *
 *   "TTE" 01 | sender (1-byte length + id) | recipient (same) | sender certificate serial
 *   (1-byte length + unsigned bytes) | order id (1-byte length + ASCII) | sentAtUs (8) |
 *   nonce (16) | payload (4-byte length + canonical message) | r (32) | s (32)
 *
 * The signature is SM2 (GB/T 32918.2) by the sender's key over every byte before r, with ZA
 * from the sender's certificate key and the GM/T 0009 default ID, so header and payload are
 * covered together and a single changed bit anywhere is detected.
 */
import { bigintToBytes, bytesToBigint, concat } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import type { Sm2Signature } from "../../crypto/sm2/sm2.ts"
import { ByteReader, ByteWriter, MalformedInput } from "./canonical-bytes.ts"
import { institutionField } from "./message-fields.ts"
import { MESSAGE_BYTES_MAX, type Message, readMessage, writeMessage } from "./messages.ts"

export const ENVELOPE_MAGIC = Uint8Array.of(0x54, 0x54, 0x45, 0x01)
export const NONCE_BYTES = 16
const SCALAR_BYTES = 32
/** RFC 5280 §4.1.2.2 bounds serials to 20 octets; the envelope carries the same. */
const SERIAL_BYTES_MAX = 20
export const ORDER_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/
export const ENVELOPE_BYTES_MAX = MESSAGE_BYTES_MAX + 256

export interface EnvelopeHeader {
  readonly sender: string
  readonly recipient: string
  readonly senderSerial: bigint
  readonly orderId: string
  /** Simulated send time in µs. */
  readonly sentAtUs: number
  readonly nonce: Uint8Array
}

export interface Envelope extends EnvelopeHeader {
  readonly payload: Message
  readonly signature: Sm2Signature
}

/** The bytes the sender signs: header and payload. Bad header values are programmer errors. */
export const signedPartOf = (header: EnvelopeHeader, payload: Message): Uint8Array => {
  if (!ORDER_ID_PATTERN.test(header.orderId)) throw new RangeError(`order id "${header.orderId}"`)
  if (header.nonce.length !== NONCE_BYTES) throw new RangeError(`nonce of ${header.nonce.length} bytes`)
  if (header.senderSerial < 1n || header.senderSerial >= 1n << 159n) throw new RangeError("serial")
  const writer = new ByteWriter()
  writer.raw(ENVELOPE_MAGIC)
  institutionField.write(writer, header.sender)
  institutionField.write(writer, header.recipient)
  const serialBytes = bigintToBytes(
    header.senderSerial,
    Math.ceil(header.senderSerial.toString(16).length / 2),
  )
  writer.prefixed(serialBytes, 1)
  writer.prefixed(new TextEncoder().encode(header.orderId), 1)
  writer.uint(header.sentAtUs, 8)
  writer.raw(header.nonce)
  const payloadWriter = new ByteWriter()
  writeMessage(payloadWriter, payload)
  writer.prefixed(payloadWriter.toBytes(), 4)
  return writer.toBytes()
}

export const encodeEnvelope = (signedPart: Uint8Array, signature: Sm2Signature): Uint8Array =>
  concat(signedPart, bigintToBytes(signature.r, SCALAR_BYTES), bigintToBytes(signature.s, SCALAR_BYTES))

export interface EnvelopeDecodeError {
  readonly _tag: "EnvelopeDecodeError"
  readonly offset: number
  readonly reason: string
}

export interface DecodedEnvelope {
  readonly envelope: Envelope
  /** The exact bytes the signature covers, as received. */
  readonly signedPart: Uint8Array
}

export const decodeEnvelope = (bytes: Uint8Array): Result<DecodedEnvelope, EnvelopeDecodeError> => {
  if (bytes.length > ENVELOPE_BYTES_MAX) {
    return err({ _tag: "EnvelopeDecodeError", offset: ENVELOPE_BYTES_MAX, reason: "envelope too large" })
  }
  try {
    return ok(readEnvelope(bytes))
  } catch (error) {
    if (!(error instanceof MalformedInput)) throw error
    return err({ _tag: "EnvelopeDecodeError", offset: error.offset, reason: error.reason })
  }
}

const readEnvelope = (bytes: Uint8Array): DecodedEnvelope => {
  const reader = new ByteReader(bytes)
  const magic = reader.take(ENVELOPE_MAGIC.length, "magic")
  if (magic.some((byte, i) => byte !== ENVELOPE_MAGIC[i])) throw new MalformedInput(0, "not a TTE1 envelope")
  const sender = institutionField.read(reader, "sender")
  const recipient = institutionField.read(reader, "recipient")
  const serialStart = reader.offset
  const serialBytes = reader.prefixed(1, "sender serial", SERIAL_BYTES_MAX)
  // Minimal big-endian only, so one serial has one encoding and the bytes stay canonical.
  if (serialBytes.length === 0 || serialBytes[0] === 0)
    throw new MalformedInput(serialStart, "serial not minimal")
  const orderStart = reader.offset
  const orderId = String.fromCharCode(...reader.prefixed(1, "order id", 64))
  if (!ORDER_ID_PATTERN.test(orderId)) throw new MalformedInput(orderStart, "order id")
  const sentAtUs = reader.uint(8, "sent at")
  const nonce = reader.take(NONCE_BYTES, "nonce").slice()
  const payloadStart = reader.offset
  const payloadBytes = reader.prefixed(4, "payload", MESSAGE_BYTES_MAX)
  const payloadReader = new ByteReader(bytes, payloadStart + 4, payloadStart + 4 + payloadBytes.length)
  const payload = readMessage(payloadReader)
  payloadReader.expectEnd("the payload")
  const signedEnd = reader.offset
  const r = bytesToBigint(reader.take(SCALAR_BYTES, "signature r"))
  const s = bytesToBigint(reader.take(SCALAR_BYTES, "signature s"))
  reader.expectEnd("the envelope")
  const senderSerial = bytesToBigint(serialBytes)
  const envelope = { sender, recipient, senderSerial, orderId, sentAtUs, nonce, payload, signature: { r, s } }
  return { envelope, signedPart: bytes.slice(0, signedEnd) }
}
