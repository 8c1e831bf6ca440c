/**
 * Remote Application Management over HTTP (GP Card Spec Amendment B, "SCP81"): the SE's admin agent
 * is the HTTP client. It opens a TLS-PSK session to the admin server and POSTs; the server answers
 * each POST with the next script as the body of a `200 OK`, and the agent POSTs the script's
 * responses back with the next request, until the server answers `204 No Content`. Headers
 * (Amendment B §3.4): `X-Admin-Protocol: globalplatform-remote-admin/1.0` on both sides;
 * `X-Admin-From` (the agent's identity) and `X-Admin-Script-Status` on requests; `X-Admin-Next-URI`
 * and `X-Admin-Targeted-Application` on responses; the script content type
 * `application/vnd.globalplatform.card-content-mgt;version=1.0`, the responses'
 * `…card-content-mgt-response;version=1.0`. The bodies are ETSI TS 102 226's expanded format in
 * its indefinite-length form: `AE 80 {22 C-APDU}… 00 00` and `AF 80 {23 R-APDU}… 00 00`.
 *
 * The twin writes the HTTP messages as bytes and counts, per message, the TLS 1.2 record around
 * it (5-byte header, 16-byte explicit IV, 32-byte HMAC-SHA256, CBC padding to 16: the PSK suites
 * of Amendment B such as TLS_PSK_WITH_AES_128_CBC_SHA256) and the PSK handshake's bytes, an
 * estimate (TLS is not run byte for byte).
 */
import { concat } from "../bytes/bytes.ts"
import { err, ok, type Result } from "../bytes/result.ts"

export const ADMIN_PROTOCOL = "globalplatform-remote-admin/1.0"
export const SCRIPT_CONTENT_TYPE = "application/vnd.globalplatform.card-content-mgt;version=1.0"
export const RESPONSE_CONTENT_TYPE = "application/vnd.globalplatform.card-content-mgt-response;version=1.0"

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0x7f)
const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes)

const berLength = (n: number): Uint8Array =>
  n < 0x80 ? Uint8Array.of(n) : n < 0x100 ? Uint8Array.of(0x81, n) : Uint8Array.of(0x82, n >> 8, n & 0xff)
const item = (tag: number, value: Uint8Array) => concat(Uint8Array.of(tag), berLength(value.length), value)

/** `AE 80 {22 L C-APDU}… 00 00` (TS 102 226 §5.2.1, indefinite length). */
export const scriptBody = (apdus: ReadonlyArray<Uint8Array>): Uint8Array =>
  concat(Uint8Array.of(0xae, 0x80), ...apdus.map((a) => item(0x22, a)), Uint8Array.of(0, 0))

/** `AF 80 {23 L R-APDU}… 00 00`. */
export const responseBody = (rapdus: ReadonlyArray<Uint8Array>): Uint8Array =>
  concat(Uint8Array.of(0xaf, 0x80), ...rapdus.map((r) => item(0x23, r)), Uint8Array.of(0, 0))

/** The items of an indefinite-length body with the given template tag, or why not. */
export const readBody = (body: Uint8Array, template: 0xae | 0xaf): Result<Uint8Array[], "malformed"> => {
  if (body.length < 4 || body[0] !== template || body[1] !== 0x80) return err("malformed")
  if (body[body.length - 2] !== 0 || body[body.length - 1] !== 0) return err("malformed")
  const out: Uint8Array[] = []
  const end = body.length - 2
  for (let at = 2; at < end; ) {
    const first = body[at + 1]
    if (body[at] !== (template === 0xae ? 0x22 : 0x23) || first === undefined) return err("malformed")
    const extra = first === 0x81 ? 1 : first === 0x82 ? 2 : first < 0x80 ? 0 : -1
    if (extra < 0) return err("malformed")
    const length = extra === 0 ? first : extra === 1 ? body[at + 2]! : (body[at + 2]! << 8) | body[at + 3]!
    const start = at + 2 + extra
    if (start + length > end) return err("malformed")
    out.push(body.slice(start, start + length))
    at = start + length
  }
  return ok(out)
}

export interface AdminAgent {
  /** The server path of the first POST and the server's host name. */
  readonly uri: string
  readonly host: string
  /** `X-Admin-From`: //se-id/… ;//aa-id/aid/RID/PIX (Amendment B §3.4.1). */
  readonly from: string
}

/** The agent's POST: the first carries no body; later ones carry the last script's responses. */
export const adminRequest = (agent: AdminAgent, uri: string, responses: Uint8Array | null): Uint8Array => {
  const lines = [
    `POST ${uri} HTTP/1.1`,
    `Host: ${agent.host}`,
    `X-Admin-Protocol: ${ADMIN_PROTOCOL}`,
    `X-Admin-From: ${agent.from}`,
  ]
  if (responses !== null) {
    lines.push(
      `Content-Type: ${RESPONSE_CONTENT_TYPE}`,
      `Content-Length: ${responses.length}`,
      "X-Admin-Script-Status: ok",
    )
  }
  return concat(ascii(`${lines.join("\r\n")}\r\n\r\n`), responses ?? new Uint8Array(0))
}

/** The server's answer: `200 OK` with the next script for the targeted application, or `204`. */
export const adminResponse = (
  next: { readonly uri: string; readonly targetAid: Uint8Array; readonly script: Uint8Array } | null,
): Uint8Array => {
  if (next === null) return ascii(`HTTP/1.1 204 No Content\r\nX-Admin-Protocol: ${ADMIN_PROTOCOL}\r\n\r\n`)
  const hex = Array.from(next.targetAid, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join("")
  const lines = [
    "HTTP/1.1 200 OK",
    `X-Admin-Protocol: ${ADMIN_PROTOCOL}`,
    `X-Admin-Next-URI: ${next.uri}`,
    `X-Admin-Targeted-Application: //aid/${hex.slice(0, 10)}/${hex.slice(10)}`,
    `Content-Type: ${SCRIPT_CONTENT_TYPE}`,
    `Content-Length: ${next.script.length}`,
  ]
  return concat(ascii(`${lines.join("\r\n")}\r\n\r\n`), next.script)
}

export interface HttpMessage {
  readonly startLine: string
  /** Header names in lower case. */
  readonly headers: ReadonlyMap<string, string>
  readonly body: Uint8Array
}

/** Splits an HTTP/1.1 message with Content-Length (or none) into its parts. */
export const parseHttpMessage = (bytes: Uint8Array): Result<HttpMessage, "malformed"> => {
  let end = -1
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      end = i
      break
    }
  }
  if (end < 0) return err("malformed")
  const [startLine, ...rest] = text(bytes.subarray(0, end)).split("\r\n")
  const headers = new Map<string, string>()
  for (const line of rest) {
    const colon = line.indexOf(":")
    if (colon <= 0) return err("malformed")
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const body = bytes.subarray(end + 4)
  const length = Number(headers.get("content-length") ?? "0")
  if (!Number.isInteger(length) || length !== body.length) return err("malformed")
  return ok({ startLine: startLine!, headers, body })
}

/** TLS 1.2 record bytes around `plain` bytes of application data (AES-CBC, HMAC-SHA256). */
export const tlsRecordBytes = (plain: number): number => {
  const macked = plain + 32
  return 5 + 16 + (macked + 16 - (macked % 16))
}

/**
 * Bytes of a TLS 1.2 PSK handshake (ClientHello with a few suites ≈ 80, ServerHello ≈ 80,
 * ServerHelloDone 9, ClientKeyExchange with the PSK identity ≈ 30, two ChangeCipherSpec 6 each,
 * two Finished ≈ 64 each as records), an estimate: 2 round trips before the first POST.
 */
export const TLS_PSK_HANDSHAKE_BYTES = 340
export const TLS_PSK_HANDSHAKE_ROUND_TRIPS = 2
