/**
 * OpenSSL as the independent RSA implementation for the ODA tests: its raw public operation
 * (`pkeyutl -verifyrecover`, no padding) and `dgst -sha1`, with the Book 2 recovery checks.
 */
import { execFileSync } from "node:child_process"
import { createPublicKey } from "node:crypto"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import { concat } from "../../../../model/bytes/bytes.ts"
import { toHex } from "../../../../model/bytes/hex.ts"
import { type RsaPublicKey, rsaPublic } from "../../../../model/crypto/rsa.ts"

const dir = mkdtempSync(join(tmpdir(), "oda-openssl-"))

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url")
export const file = (name: string, bytes: Uint8Array | string): string => {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}
export const rsaPem = (key: RsaPublicKey): string =>
  createPublicKey({ key: { kty: "RSA", n: b64url(key.modulus), e: b64url(key.exponent) }, format: "jwk" })
    .export({ type: "spki", format: "pem" })
    .toString()

/** OpenSSL's raw RSA public operation (`pkeyutl -verifyrecover`, no padding). */
export const opensslRecover = (key: RsaPublicKey, block: Uint8Array): Uint8Array => {
  const out = join(dir, "recovered.bin")
  execFileSync("openssl", [
    "pkeyutl",
    "-verifyrecover",
    "-pubin",
    "-inkey",
    file("rsa.pem", rsaPem(key)),
    "-pkeyopt",
    "rsa_padding_mode:none",
    "-in",
    file("block.bin", block),
    "-out",
    out,
  ])
  return new Uint8Array(readFileSync(out))
}
export const opensslSha1 = (data: Uint8Array): Uint8Array =>
  new Uint8Array(execFileSync("openssl", ["dgst", "-sha1", "-binary", file("hashed.bin", data)]))

/** Recovers with OpenSSL, then checks the Book 2 hash with OpenSSL over `hashedTail` appended. */
export const checkRecovered = (key: RsaPublicKey, block: Uint8Array, hashedTail: Uint8Array): Uint8Array => {
  const recovered = opensslRecover(key, block)
  expect(toHex(recovered)).toBe(toHex(rsaPublic(key, block)!))
  const n = recovered.length
  expect([recovered[0], recovered[n - 1]]).toEqual([0x6a, 0xbc])
  const hashed = concat(recovered.subarray(1, n - 21), hashedTail)
  expect(toHex(opensslSha1(hashed))).toBe(toHex(recovered.subarray(n - 21, n - 1)))
  return recovered
}
