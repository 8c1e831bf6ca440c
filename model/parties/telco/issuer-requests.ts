/**
 * Which requests an SE issuer takes, and the pure admission decision that makes them idempotent
 * by order id: a finished request is answered again from its record, a running one is ignored
 * (its answer will come), a request for an SE the issuer never made is refused, anything else
 * starts a job. Keyed by order id and kind (and a relay's exchange number, since one order relays
 * several scripts).
 */
import type { Message } from "../messages/messages.ts"

export type IssuerRequest = Extract<
  Message,
  { _tag: "SsdCreateRequest" | "DeleteRequest" | "ScriptRelayRequest" }
>

/**
 * What admission reads, as small interfaces: the SeIssuer's Maps are one, the pilot's per-order
 * records and typed-array SE registry (model/world/pilot/issuance/) another (issue 12).
 */
export interface IssuerRecords {
  readonly finished: { get(key: string): Message | undefined }
  readonly running: { has(key: string): boolean }
  readonly ses: { has(seId: string): boolean }
}

export type Admission =
  | { readonly kind: "ignore" }
  | { readonly kind: "answer-again"; readonly message: Message }
  | { readonly kind: "refuse"; readonly reason: string }
  | { readonly kind: "start"; readonly request: IssuerRequest }

export const isIssuerRequest = (m: Message): m is IssuerRequest =>
  m._tag === "SsdCreateRequest" || m._tag === "DeleteRequest" || m._tag === "ScriptRelayRequest"

export const requestKeyOf = (orderId: string, r: IssuerRequest): string =>
  r._tag === "ScriptRelayRequest" ? `${orderId}/${r._tag}/${r.exchange}` : `${orderId}/${r._tag}`

export const admitRequest = (records: IssuerRecords, orderId: string, message: Message): Admission => {
  if (!isIssuerRequest(message)) return { kind: "ignore" }
  const key = requestKeyOf(orderId, message)
  const done = records.finished.get(key)
  if (done !== undefined) return { kind: "answer-again", message: done }
  if (records.running.has(key)) return { kind: "ignore" }
  if (!records.ses.has(message.seId)) return { kind: "refuse", reason: `unknown SE ${message.seId}` }
  return { kind: "start", request: message }
}
