/**
 * Validation of one message from a viewer client (DESIGN.md §4: the server validates every client
 * message). Anything a client can send — binary data, invalid UTF-8, text that is not JSON, JSON of
 * the wrong shape, a message over the size bound — ends here as a value: the command, or the error
 * message to send back. Nothing a client sends can throw out of this function.
 */
import { Result, Schema } from "effect"
import {
  type ClientMessage,
  ClientMessage as ClientMessageSchema,
  type ErrorCode,
  type ErrorMessage,
  PROTOCOL_LIMITS,
} from "./protocol.ts"

export type Decoded =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly error: ErrorMessage }

const MESSAGE_CHARS_MAX = 1024

export const errorMessage = (code: ErrorCode, message: string, id?: number): ErrorMessage => ({
  type: "error",
  code,
  message: message.length > MESSAGE_CHARS_MAX ? `${message.slice(0, MESSAGE_CHARS_MAX - 1)}…` : message,
  ...(id === undefined ? {} : { id }),
})

const decodeSchema = Schema.decodeUnknownResult(ClientMessageSchema)

/** The `id` a client attached, when it is a usable one, so even a refusal can be correlated. */
const requestIdOf = (value: unknown): number | undefined => {
  if (value === null || typeof value !== "object") return undefined
  const id = (value as { id?: unknown }).id
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0 && id <= 2 ** 31 ? id : undefined
}

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false; reason: string } => {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : "not JSON" }
  }
}

/** Decodes one ws message; `bytes` is its raw payload, `isBinary` the ws frame type. */
export const decodeClientMessage = (bytes: Uint8Array, isBinary: boolean): Decoded => {
  if (bytes.length > PROTOCOL_LIMITS.clientMessageBytesMax) {
    const bound = PROTOCOL_LIMITS.clientMessageBytesMax
    return {
      ok: false,
      error: errorMessage("too-large", `message of ${bytes.length} bytes; the bound is ${bound}`),
    }
  }
  if (isBinary)
    return { ok: false, error: errorMessage("malformed", "binary messages are not part of the protocol") }
  let text: string
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, error: errorMessage("malformed", "the message is not valid UTF-8") }
  }
  const parsed = parseJson(text)
  if (!parsed.ok) return { ok: false, error: errorMessage("malformed", `not JSON: ${parsed.reason}`) }
  const decoded = decodeSchema(parsed.value, { errors: "all" })
  if (Result.isFailure(decoded)) {
    return { ok: false, error: errorMessage("invalid", decoded.failure.message, requestIdOf(parsed.value)) }
  }
  return { ok: true, message: decoded.success }
}
