/**
 * DER to PEM (RFC 7468 §2): the label lines, then strict Base64 in lines of 64 characters, the
 * form `openssl x509` reads and writes. The reader is model/crypto/x509/pem.ts.
 */

const LINE_CHARS = 64

export const toPem = (der: Uint8Array, label: string): string => {
  if (!/^[A-Z0-9 ]+$/.test(label)) throw new RangeError(`PEM label "${label}"`)
  let binary = ""
  for (const byte of der) binary += String.fromCharCode(byte)
  const body = btoa(binary)
  const lines: string[] = []
  for (let at = 0; at < body.length; at += LINE_CHARS) lines.push(body.slice(at, at + LINE_CHARS))
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`
}
