// Proves X.509 parsing of the published SM2 certificates (fields as `openssl asn1parse` shows them), that parsing never throws on random, truncated or corrupted DER, and that errors carry a reason and an offset.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bigintToBytes } from "../../../../model/bytes/bytes.ts"
import { toHex } from "../../../../model/bytes/hex.ts"
import { encodePoint, isOnCurve, SM2P256V1 } from "../../../../model/crypto/sm2/curve.ts"
import { type Certificate, parseCertificate } from "../../../../model/crypto/x509/certificate.ts"
import { OID } from "../../../../model/crypto/x509/oids.ts"
import { pemToDer } from "../../../../model/crypto/x509/pem.ts"
import { vectorsOf } from "../sm2/sm2-vector-files.ts"

const chain = vectorsOf("sm2_x509_chain")[0]!
const caPem = chain.ca_pem as string
const leafPem = chain.leaf_pem as string
const derOf = (pem: string): Uint8Array => {
  const der = pemToDer(pem)
  if (!der.ok) throw new Error(der.error.message)
  return der.value
}
const parsed = (input: string | Uint8Array): Certificate => {
  const result = parseCertificate(input)
  if (!result.ok) throw new Error(`${result.error.reason} at ${result.error.offset}`)
  return result.value
}

describe("parseCertificate on the vectors' chain", () => {
  // Expected values read off `openssl asn1parse -i` of the same PEM (not from this parser).
  it("reads the root's fields", () => {
    const ca = parsed(caPem)
    expect(ca.version).toBe(3)
    expect(ca.serial).toBe(0x79b116d0e6d17898c95128832364d98d4f79bd3dn)
    expect(ca.subject.commonName).toBe("Test SM2 Root")
    expect(ca.issuer.der).toEqual(ca.subject.der)
    expect(ca.issuer.der.length).toBe(2 + 62)
    expect(ca.validity).toEqual({ notBefore: "261126163413Z", notAfter: "361123163413Z" })
    expect(ca.signatureAlgorithm).toBe(OID.SM3_WITH_SM2)
    expect(ca.extensions?.length).toBe(2 + 99)
    expect(isOnCurve(SM2P256V1, ca.subjectPublicKey)).toBe(true)
  })

  it("reads the leaf (a v1 certificate) and keeps the exact TBSCertificate bytes", () => {
    const der = derOf(leafPem)
    const leaf = parsed(der)
    expect(leaf.version).toBe(1)
    expect(leaf.subject.commonName).toBe("tsm.example")
    expect(leaf.issuer.commonName).toBe("Test SM2 Root")
    expect(leaf.extensions).toBeNull()
    expect(leaf.tbs).toEqual(der.slice(4, 4 + 4 + 277))
    expect(leaf.der).toEqual(der)
  })

  it("takes the subject key from the SubjectPublicKeyInfo BIT STRING and the signature from SEQUENCE{r, s}", () => {
    const der = derOf(leafPem)
    const leaf = parsed(der)
    // The key BIT STRING sits at offset 217 (header 2, unused-bits byte 1, then 04 ‖ x ‖ y).
    expect(toHex(der.slice(220, 285))).toBe(toHex(encodePoint(SM2P256V1, leaf.subjectPublicKey)))
    const { r, s } = leaf.signature
    const body = toHex(der.slice(297 + 3))
    expect(body).toContain(toHex(bigintToBytes(r, 32)))
    expect(body).toContain(toHex(bigintToBytes(s, 32)))
  })
})

describe("parseCertificate on bad input", () => {
  const der = derOf(caPem)

  it("never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(parseCertificate(bytes).ok).toBe(false)
      }),
      { numRuns: 3000 },
    )
  })

  it("refuses every truncation with a reason and an offset inside the input", () => {
    for (let length = 0; length < der.length; length++) {
      const result = parseCertificate(der.subarray(0, length))
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error.offset).toBeLessThanOrEqual(der.length)
    }
  })

  it("never throws on corrupted certificates (random bytes overwritten)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: der.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const bytes = der.slice()
          for (const [offset, value] of edits) bytes[offset] = value
          const result = parseCertificate(bytes)
          if (!result.ok) expect(result.error.offset).toBeGreaterThanOrEqual(0)
        },
      ),
      { numRuns: 3000 },
    )
  })

  it("names the reason: trailing bytes, indefinite length, a wrong tag, bad PEM", () => {
    const reasonOf = (input: Uint8Array | string) => {
      const result = parseCertificate(input)
      return result.ok ? "ok" : `${result.error.reason}@${result.error.offset}`
    }
    const trailing = new Uint8Array(der.length + 1)
    trailing.set(der)
    expect(reasonOf(trailing)).toBe(`trailing-bytes@${der.length}`)
    const indefinite = der.slice()
    indefinite[1] = 0x80
    expect(reasonOf(indefinite)).toBe("indefinite-length@1")
    const wrongTag = der.slice()
    wrongTag[4] = 0x31
    expect(reasonOf(wrongTag)).toBe("unexpected-tag@4")
    expect(reasonOf("no certificate here")).toBe("bad-pem@0")
    expect(reasonOf(caPem.replace("MIIB", "MI*B"))).toMatch(/^bad-pem@/)
  })

  it("refuses a public key that is not on the curve", () => {
    const bad = der.slice()
    bad[280]! ^= 1 // a byte of the root's key point (BIT STRING at 230..298, point from 233)
    expect(parseCertificate(bad)).toMatchObject({
      ok: false,
      error: { reason: "bad-public-key", offset: 230 },
    })
  })
})
