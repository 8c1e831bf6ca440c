/**
 * PEM text to DER (RFC 7468 §2-3): one `-----BEGIN <label>-----` … `-----END <label>-----` block
 * with strict Base64 inside (whitespace between lines allowed, nothing else). Text outside the
 * block, as `openssl x509 -text` puts there, is ignored.
 */
import { err, ok, type Result } from "../../bytes/result.ts"

export interface PemError {
  readonly reason: "no-pem-block" | "bad-base64"
  /** Character offset in the text. */
  readonly offset: number
  readonly message: string
}

/** RFC 7468 §3: the base64 body is at most this long for any certificate the twin handles. */
const PEM_CHARS_MAX = 1 << 20

export const pemToDer = (text: string, label = "CERTIFICATE"): Result<Uint8Array, PemError> => {
  const begin = `-----BEGIN ${label}-----`
  const end = `-----END ${label}-----`
  const start = text.indexOf(begin)
  const stop = start < 0 ? -1 : text.indexOf(end, start + begin.length)
  if (start < 0 || stop < 0 || stop - start > PEM_CHARS_MAX) {
    return err({ reason: "no-pem-block", offset: Math.max(start, 0), message: `no ${label} PEM block` })
  }
  const bodyStart = start + begin.length
  const body = text.slice(bodyStart, stop).replace(/\s+/g, "")
  if (body.length === 0 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    return err({ reason: "bad-base64", offset: bodyStart, message: "PEM body is not strict Base64" })
  }
  const binary = atob(body)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return ok(out)
}
