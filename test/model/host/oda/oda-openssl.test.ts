// Cross-checks the twin's ODA cryptography against OpenSSL, code it did not write: OpenSSL's raw
// RSA public operation recovers the same issuer certificate, ICC certificate and signed dynamic
// data as rsaPublic, and `openssl dgst -sha1` over the Book 2 hash input gives the hash inside
// them; OpenSSL's SM2 (distid 1234567812345678, SM3) verifies the SM2 certificates and signed
// data, and rejects them after one flipped bit.
import { spawnSync } from "node:child_process"
import { beforeAll, describe, expect, it } from "vitest"
import { concat } from "../../../../model/bytes/bytes.ts"
import { hex, toHex } from "../../../../model/bytes/hex.ts"
import { signSdadRsa, signSdadSm2 } from "../../../../model/card/applets/pboc/pboc-oda.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import type { Sm2Point } from "../../../../model/crypto/sm2/sm2.ts"
import { createIccOda, type IccOda } from "../../../../model/host/oda/issuer-oda.ts"
import { pointBytes } from "../../../../model/host/oda/sm2-certificates.ts"
import { DATES, type OdaWorld, odaWorld } from "./oda-fixture.ts"
import { checkRecovered, file, opensslSha1 } from "./openssl-rsa.ts"

const crypto = nativeCrypto
let world: OdaWorld
let iccRsa: IccOda
let iccSm2: IccOda
const STATIC = hex("5A0862305200000000015F24032012318200")
beforeAll(() => {
  world = odaWorld(crypto, 77)
  iccRsa = createIccOda(crypto, world.issuers.rsa, "6230520000000001", DATES, STATIC, 5)
  iccSm2 = createIccOda(crypto, world.issuers.sm2, "6230520000000001", DATES, STATIC, 5)
})

describe("RSA ODA against OpenSSL", () => {
  it("recovers the issuer and ICC certificates and checks their SHA-1", () => {
    const issuer = world.issuers.rsa
    if (issuer.algorithm !== "rsa" || iccRsa.algorithm !== "rsa") throw new Error("rsa fixtures")
    const ca = world.ca.rsaKey
    const exp = issuer.key.exponent
    const recoveredIssuer = checkRecovered(
      ca,
      issuer.certificate.certificate,
      concat(issuer.certificate.remainder, exp),
    )
    expect(recoveredIssuer[1]).toBe(0x02)
    const tail = concat(iccRsa.certificate.remainder, iccRsa.key.exponent, STATIC)
    const recoveredIcc = checkRecovered(issuer.key, iccRsa.certificate.certificate, tail)
    expect(toHex(recoveredIcc.subarray(2, 12))).toBe("6230520000000001FFFF")
  })

  it("recovers the card's signed dynamic application data and checks its SHA-1", () => {
    if (iccRsa.algorithm !== "rsa") throw new Error("rsa fixture")
    const terminalData = hex("010203040000000010000156")
    const sdad = signSdadRsa(iccRsa.key, hex("081122334455667788"), terminalData)
    const recovered = checkRecovered(iccRsa.key, sdad, terminalData)
    expect(toHex(recovered.subarray(1, 13))).toBe("050109081122334455667788")
    // A flipped bit in the terminal data no longer matches the signed hash.
    const n = recovered.length
    const hashed = concat(recovered.subarray(1, n - 21), flip(terminalData, 0))
    expect(toHex(opensslSha1(hashed))).not.toBe(toHex(recovered.subarray(n - 21, n - 1)))
  })
})

const sm2Pem = (point: Sm2Point): string => {
  const der = concat(hex("3059301306072A8648CE3D020106082A811CCF5501822D03420004"), pointBytes(point))
  return `-----BEGIN PUBLIC KEY-----\n${Buffer.from(der).toString("base64")}\n-----END PUBLIC KEY-----\n`
}
const derInteger = (bytes: Uint8Array): Uint8Array => {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const body = bytes[start]! & 0x80 ? concat(hex("00"), bytes.subarray(start)) : bytes.subarray(start)
  return concat(new Uint8Array([0x02, body.length]), body)
}
const derSignature = (rs: Uint8Array): Uint8Array => {
  const body = concat(derInteger(rs.subarray(0, 32)), derInteger(rs.subarray(32)))
  return concat(new Uint8Array([0x30, body.length]), body)
}
/** OpenSSL's SM2 verification with SM3 and the default distinguishing ID. */
const opensslSm2Verifies = (signer: Sm2Point, message: Uint8Array, rs: Uint8Array): boolean =>
  spawnSync("openssl", [
    "pkeyutl",
    "-verify",
    "-pubin",
    "-inkey",
    file("sm2.pem", sm2Pem(signer)),
    "-rawin",
    "-digest",
    "sm3",
    "-pkeyopt",
    "distid:1234567812345678",
    "-in",
    file("msg.bin", message),
    "-sigfile",
    file("sig.der", derSignature(rs)),
  ]).status === 0

const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const out = bytes.slice()
  out[at]! ^= 0x01
  return out
}

describe("SM2 ODA against OpenSSL", () => {
  it("verifies the issuer certificate under the CA key and the ICC certificate over the static data", () => {
    const issuer = world.issuers.sm2
    if (issuer.algorithm !== "sm2" || iccSm2.algorithm !== "sm2") throw new Error("sm2 fixtures")
    const caKey = world.ca.publicKeys.find((k) => k.algorithm === "sm2")!.key as Sm2Point
    const cert = issuer.certificate
    const body = cert.subarray(0, cert.length - 64)
    expect(opensslSm2Verifies(caKey, body, cert.subarray(cert.length - 64))).toBe(true)
    expect(opensslSm2Verifies(caKey, flip(body, 20), cert.subarray(cert.length - 64))).toBe(false)
    const issuerKey = {
      x: BigInt(`0x${toHex(body.subarray(body.length - 64, body.length - 32))}`),
      y: BigInt(`0x${toHex(body.subarray(body.length - 32))}`),
    }
    const icc = iccSm2.certificate
    const iccBody = icc.subarray(0, icc.length - 64)
    expect(opensslSm2Verifies(issuerKey, concat(iccBody, STATIC), icc.subarray(icc.length - 64))).toBe(true)
    expect(
      opensslSm2Verifies(issuerKey, concat(iccBody, flip(STATIC, 3)), icc.subarray(icc.length - 64)),
    ).toBe(false)
  })

  it("verifies the card's signed dynamic application data", () => {
    if (iccSm2.algorithm !== "sm2") throw new Error("sm2 fixture")
    const terminalData = hex("010203040000000010000156")
    const sdad = signSdadSm2(crypto, iccSm2.privateKey, hex("081122334455667788"), terminalData)
    const point = crypto.sm2.publicKeyOf(SM2P256V1, BigInt(`0x${toHex(iccSm2.privateKey)}`))
    const body = sdad.subarray(0, sdad.length - 64)
    expect(opensslSm2Verifies(point, concat(body, terminalData), sdad.subarray(sdad.length - 64))).toBe(true)
    expect(
      opensslSm2Verifies(point, concat(body, flip(terminalData, 0)), sdad.subarray(sdad.length - 64)),
    ).toBe(false)
  })
})
