/**
 * The one union of inter-institution messages (DESIGN.md §3 "messages.ts (one union)") and its
 * canonical binary encoding: the kind's code byte, then each field in its declared order
 * (message-fields.ts gives each type's fixed form). Equal messages have equal bytes, which is what
 * the envelope signs. The formats are the twin's own profile: the JR/T 0088-0098 TSM/MTPS
 * interface texts are not public (ref/PROTOCOLS.md §5).
 */
import { Schema } from "effect"
import { err, ok, type Result } from "../../bytes/result.ts"
import { ByteReader, ByteWriter, MalformedInput } from "./canonical-bytes.ts"
import {
  AppletInstallRequest,
  AppletInstallResponse,
  PersonalizationRequest,
  PersonalizationResponse,
  ScriptRelayRequest,
  ScriptRelayResponse,
  SsdCreateRequest,
  SsdCreateResponse,
} from "./issuance-messages.ts"
import {
  Acknowledgement,
  DeleteRequest,
  ErrorReport,
  LifecycleResponse,
  LockRequest,
  RegistryUpdate,
  StatusQuery,
  StatusReport,
  UnlockRequest,
} from "./lifecycle-messages.ts"
import type { Fields } from "./message-fields.ts"
import type { MessageKind } from "./message-kind.ts"

export const MESSAGE_KINDS = [
  SsdCreateRequest,
  SsdCreateResponse,
  AppletInstallRequest,
  AppletInstallResponse,
  PersonalizationRequest,
  PersonalizationResponse,
  ScriptRelayRequest,
  ScriptRelayResponse,
  LockRequest,
  UnlockRequest,
  DeleteRequest,
  LifecycleResponse,
  RegistryUpdate,
  StatusQuery,
  StatusReport,
  Acknowledgement,
  ErrorReport,
] as const

/** The union Schema, listing the same kinds as MESSAGE_KINDS (a test checks the two agree). */
export const Message = Schema.Union([
  SsdCreateRequest.schema,
  SsdCreateResponse.schema,
  AppletInstallRequest.schema,
  AppletInstallResponse.schema,
  PersonalizationRequest.schema,
  PersonalizationResponse.schema,
  ScriptRelayRequest.schema,
  ScriptRelayResponse.schema,
  LockRequest.schema,
  UnlockRequest.schema,
  DeleteRequest.schema,
  LifecycleResponse.schema,
  RegistryUpdate.schema,
  StatusQuery.schema,
  StatusReport.schema,
  Acknowledgement.schema,
  ErrorReport.schema,
])
export type Message = typeof Message.Type
export type MessageTag = Message["_tag"]

type AnyKind = MessageKind<string, Fields>

const byTag = new Map<string, AnyKind>()
const byCode = new Map<number, AnyKind>()
for (const kind of MESSAGE_KINDS as ReadonlyArray<AnyKind>) {
  if (byTag.has(kind.tag) || byCode.has(kind.code)) throw new Error(`duplicate message kind ${kind.tag}`)
  byTag.set(kind.tag, kind)
  byCode.set(kind.code, kind)
}

/** Bounds one encoded message; the largest (two 64-APDU scripts' worth) stays well below it. */
export const MESSAGE_BYTES_MAX = 64 * 1024

/** Writes the message into `writer`. An invalid message is a programmer error and throws. */
export const writeMessage = (writer: ByteWriter, message: Message): void => {
  const kind = byTag.get(message._tag)
  if (kind === undefined) throw new RangeError(`unknown message kind ${message._tag}`)
  writer.uint(kind.code, 1)
  const values = message as unknown as Readonly<Record<string, unknown>>
  for (const [name, field] of Object.entries(kind.fields)) field.write(writer, values[name])
}

export const encodeMessage = (message: Message): Uint8Array => {
  const writer = new ByteWriter()
  writeMessage(writer, message)
  const bytes = writer.toBytes()
  if (bytes.length > MESSAGE_BYTES_MAX) throw new RangeError(`message of ${bytes.length} bytes`)
  return bytes
}

export interface MessageDecodeError {
  readonly _tag: "MessageDecodeError"
  readonly offset: number
  readonly reason: string
}

/** Reads one message from `reader` (throws `MalformedInput`; decodeMessage is the safe entry). */
export const readMessage = (reader: ByteReader): Message => {
  const start = reader.offset
  const kind = byCode.get(reader.uint(1, "message kind"))
  if (kind === undefined) throw new MalformedInput(start, "unknown message kind")
  const message: Record<string, unknown> = { _tag: kind.tag }
  for (const [name, field] of Object.entries(kind.fields)) message[name] = field.read(reader, name)
  return message as Message
}

export const decodeMessage = (bytes: Uint8Array): Result<Message, MessageDecodeError> => {
  if (bytes.length > MESSAGE_BYTES_MAX) {
    return err({ _tag: "MessageDecodeError", offset: MESSAGE_BYTES_MAX, reason: "message too large" })
  }
  try {
    const reader = new ByteReader(bytes)
    const message = readMessage(reader)
    reader.expectEnd("the message")
    return ok(message)
  } catch (error) {
    if (!(error instanceof MalformedInput)) throw error
    return err({ _tag: "MessageDecodeError", offset: error.offset, reason: error.reason })
  }
}
